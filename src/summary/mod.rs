//! `polarsdesc run`: find the files, describe them in parallel, combine the results, write them.

mod inputs;
mod own_files;
pub mod parts;
pub mod records;
pub mod store;
mod workers;

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use polars::prelude::DataFrame;

use crate::config::{OutputFormat, OutputTarget, RunConfig};
use crate::describe::{self, FileSummary};
use crate::destination::{Destination, Sink};
use crate::error::{Error, ExitCode, Result};
use crate::output::{self, Provenance};
use crate::parallel::SpareCores;
use crate::progress::Console;
use crate::read::{self, FileError, Origin};
use crate::results::table::combine_error;
use crate::results::Log;
use crate::sources::{self, display_path, Input};
pub use inputs::find_inputs;
use inputs::skipped_note;
use own_files::OwnFiles;
use store::{Store, StoreLocation};

/// How `run` describes one file or object: [`read::describe_origin`], or
/// a stand-in (tests use one that panics, to show that a panic costs only
/// its file).
pub type Describer = dyn Fn(Origin, &describe::Options, &SpareCores) -> std::result::Result<FileSummary, FileError>
    + Sync;

/// One file that could not be summarized, and why.
#[derive(Debug)]
pub struct FileFailure {
    pub path: PathBuf,
    pub error: FileError,
}

impl FileFailure {
    /// This failure as a row of the `--errors` file.
    pub fn row(&self) -> output::FailureRow {
        output::FailureRow {
            path: display_path(&self.path),
            line: self.error.line(),
            reason: self.error.reason(),
        }
    }
}

impl fmt::Display for FileFailure {
    /// `path: line N: reason`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", display_path(&self.path))?;
        if let Some(line) = self.error.line() {
            write!(f, "line {line}: ")?;
        }
        write!(f, "{}", self.error.reason())
    }
}

/// What a run did.
#[derive(Debug)]
pub struct RunReport {
    /// Files found.
    pub files: usize,
    /// Files summarized (described now, or reused from an earlier run).
    pub summarized: usize,
    /// Of those, files whose results were reused (cache or `--resume`).
    pub reused: usize,
    /// Rows in the result (one per file and numeric column).
    pub rows: usize,
    /// Files that failed, sorted by path.
    pub failures: Vec<FileFailure>,
    /// With thresholds: rows above their threshold, and the comparison made.
    pub above: Option<(usize, String)>,
    /// Wall time of the whole run, writing included.
    pub elapsed: Duration,
    /// The shard whose part was written (`--shard`).
    pub part: Option<crate::shards::Shard>,
}

impl RunReport {
    /// 0 when every file was summarized, 1 when some failed, 2 when all did.
    /// A shard's run is a success once its part is written, whatever its
    /// files did: its failures are in the part, and `merge` reports them
    /// (exit 1), so that a scheduler starts the merge (`afterok`).
    pub fn exit_code(&self) -> ExitCode {
        if self.failures.is_empty() || self.part.is_some() {
            ExitCode::Success
        } else if self.summarized == 0 {
            ExitCode::Failure
        } else {
            ExitCode::PartialFailure
        }
    }
}

/// Inputs described in memory, nothing written (see [`collect`]).
#[derive(Debug)]
pub struct Collected {
    /// The table `run` writes (with thresholds, their columns).
    pub frame: DataFrame,
    /// Files found.
    pub files: usize,
    /// Files that failed, sorted by path.
    pub failures: Vec<FileFailure>,
    /// Warnings per file, sorted by path.
    pub warnings: Vec<(PathBuf, Vec<String>)>,
    /// What the user may not expect (subfolders not searched).
    pub notes: Vec<String>,
    /// What each row's `top` is to pandas, when text or bool columns are
    /// included (see [`crate::results::Batch`]).
    pub top_values: Option<Vec<Option<String>>>,
    /// The `--by` key columns of `frame`, by their names in it.
    pub key_columns: Vec<String>,
}

/// Finds the inputs of `config`, describes them on its workers and combines
/// the results into the table `run` would write, writing nothing: no
/// output, journal or cache (`config`'s are not used). This is the library's
/// entry for other programs (the Python package).
///
/// A file named as an input that does not exist is one file that failed,
/// as in `run`, unless nothing else was found: then nothing can be done
/// (`run` exits 2) and the error names the first.
///
/// # Errors
/// When no input is found, the only inputs are missing files, a folder or
/// bucket cannot be listed, a label has no threshold, the table cannot be
/// built, or the run is interrupted (a signal, or a cancelled
/// [`Scope`](crate::interrupt::Scope) of the caller's).
pub fn collect(config: &RunConfig, console: &Console) -> Result<Collected> {
    let discovered = sources::discover(&config.inputs, config.discover)?;
    let notes: Vec<String> = skipped_note(&discovered).into_iter().collect();
    let inputs = discovered.files;
    if inputs.is_empty() {
        return Err(Error::NoInputs(config.inputs.clone()));
    }
    if let Some(missing) = only_missing_files(&inputs) {
        return Err(missing);
    }
    check_threshold_labels(config, &inputs)?;
    let log = Log::temporary(config.describe.memory.held_rows());
    let described =
        workers::describe_all(&inputs, config, None, &log, console, &read::describe_origin)?;
    let mut failures = described.failures;
    failures.sort_by(|a, b| a.path.cmp(&b.path));
    let mut warnings = described.warnings;
    warnings.sort_by(|a, b| a.0.cmp(&b.0));
    let key_columns = described.rows.key_columns();
    let categorical = described.rows.categorical();
    let mut frames = Vec::new();
    let mut top_values: Option<Vec<Option<String>>> = categorical.then(Vec::new);
    described.rows.for_each_batch(&log, &mut |batch| {
        frames.push(with_thresholds(batch.frame, config, &key_columns)?);
        if let (Some(all), Some(batch)) = (&mut top_values, batch.top_values) {
            all.extend(batch);
        }
        Ok(())
    })?;
    let mut frames = frames.into_iter();
    let mut frame = frames.next().expect("at least one batch");
    for more in frames {
        frame.vstack_mut_owned(more).map_err(combine_error)?;
    }
    Ok(Collected {
        frame,
        files: inputs.len(),
        failures,
        warnings,
        notes,
        top_values,
        key_columns,
    })
}

/// The error for the first of `inputs` when every one is a local file,
/// named as an input, that does not exist. The look-ups stop at the first
/// input that is not such a file, so a folder's files cost none.
fn only_missing_files(inputs: &[Input]) -> Option<Error> {
    let mut first = None;
    for input in inputs {
        if !input.named || input.object.is_some() {
            return None;
        }
        match std::fs::metadata(&input.path) {
            Err(cause) if cause.kind() == std::io::ErrorKind::NotFound => {
                first.get_or_insert(Error::Input {
                    path: input.path.clone(),
                    cause,
                });
            }
            _ => return None,
        }
    }
    first
}

/// Runs `polarsdesc run`: describes every input file (or reuses its result
/// from an earlier run) and writes the combined result, reporting progress,
/// per-file problems and a summary on `console`.
///
/// Everything that can be checked without reading a file is checked first:
/// the output and `--errors` destinations, that neither is an input, the
/// thresholds of every label. The result is written only if at least one
/// file was summarized; any previous output is otherwise left as it was. The
/// journal of the run is kept if it does not complete, for `--resume`.
///
/// # Errors
/// When no input file is found (and none may be generated), an output is an
/// input or cannot be written, another run writes the same output, the run is
/// interrupted, or (with `--strict`) a file fails. A file that fails is
/// otherwise not an error of the run: it is listed in the report.
pub fn run(config: &RunConfig, console: &Console) -> Result<RunReport> {
    run_with(config, console, &read::describe_origin)
}

/// [`run`], describing each file with `describer`.
///
/// # Errors
/// As [`run`].
pub fn run_with(config: &RunConfig, console: &Console, describer: &Describer) -> Result<RunReport> {
    let started = Instant::now();
    let ceiling = config.describe.memory.bytes() as u64 * config.jobs.max(1) as u64;
    if let Some(warning) = describe::ceiling_warning(ceiling) {
        console.warn(&warning);
    }
    let plan = Plan::make(config, console)?;
    let own_log;
    let log = match &plan.store {
        Some(store) => store.log(),
        None => {
            own_log = Log::temporary(config.describe.memory.held_rows());
            &own_log
        }
    };
    let described = workers::describe_all(
        &plan.files,
        config,
        plan.store.as_ref(),
        log,
        console,
        describer,
    )?;
    let mut failures = described.failures;
    failures.sort_by(|a, b| a.path.cmp(&b.path));
    report_problems(&described.warnings, &failures, console);
    if let Some(errors) = &plan.errors {
        let rows: Vec<output::FailureRow> = failures.iter().map(FileFailure::row).collect();
        output::write_failures(errors, &rows)?;
    }
    if config.strict {
        if let Some(first) = failures.first() {
            if let Some(store) = plan.store {
                store.abandon()?;
            }
            return Err(Error::Strict(first.to_string()));
        }
    }

    // A shard always writes its part, even empty: the parts of a run must
    // all be there, with one schema, for readers and for `merge`.
    let written = described.summarized > 0 || config.shard.is_some();
    let rows = described.rows.rows() as usize;
    let mut above = 0;
    let mut preview = None;
    if written {
        let provenance = run_provenance(&plan, config, &failures);
        let key_columns = described.rows.key_columns();
        let empty = described.rows.empty().map_err(combine_error)?;
        let schema = with_thresholds(empty.frame, config, &key_columns)?
            .schema()
            .clone();
        let mut collector = Some(described.rows);
        let resumable = plan.store.is_some() && config.store.journal;
        let outcome = output::write_batches(
            &plan.output,
            config.format,
            &schema,
            &provenance,
            &mut |write| {
                let collector = collector.take().expect("the table is written once");
                collector.for_each_batch(log, &mut |batch| {
                    let mut frame = with_thresholds(batch.frame, config, &key_columns)?;
                    above += above_threshold(&frame)?;
                    if preview.is_none() && frame.height() > 0 {
                        preview = Some(frame.head(Some(output::preview::PREVIEW_ROWS)));
                    }
                    write(&mut frame)
                })
            },
        );
        match outcome {
            Err(Error::Interrupted { .. }) => return Err(Error::Interrupted { resumable }),
            outcome => outcome?,
        }
    }
    match plan.store {
        // A run that wrote nothing must not replace a good cache with an empty one.
        Some(store) if described.summarized == 0 => store.abandon()?,
        Some(store) => store.complete()?,
        None => {}
    }
    let report = RunReport {
        part: config.shard.filter(|_| written),
        files: plan.files.len(),
        summarized: described.summarized,
        reused: described.reused,
        rows,
        failures,
        above: (config.thresholds.as_ref()).map(|thresholds| (above, thresholds.to_string())),
        elapsed: started.elapsed(),
    };
    if let Some(preview) = preview.filter(|_| !console.is_quiet()) {
        console.info(output::preview::render(&preview, rows).trim_end());
    }
    console.info(&summary_line(&report, &plan.output));
    Ok(report)
}

/// The rows of `frame` above their threshold (none without thresholds).
fn above_threshold(frame: &DataFrame) -> Result<usize> {
    match frame.column("above_threshold") {
        Ok(column) => {
            let flags = column.bool().map_err(combine_error)?;
            Ok(flags.sum().unwrap_or(0) as usize)
        }
        Err(_) => Ok(0),
    }
}

/// Refuses thresholds that leave a label of `inputs` without one, before
/// any file is read.
fn check_threshold_labels(config: &RunConfig, inputs: &[Input]) -> Result<()> {
    let Some(thresholds) = &config.thresholds else {
        return Ok(());
    };
    if !config.describe.by.is_empty() {
        return Ok(()); // matched on the keys, known once the files are read
    }
    let labels: Vec<String> = inputs.iter().map(|i| read::label_of(&i.path)).collect();
    thresholds.check_labels(labels.iter().map(String::as_str))
}

/// A batch of the result with the thresholds' columns, when there are
/// thresholds.
fn with_thresholds(
    frame: DataFrame,
    config: &RunConfig,
    key_columns: &[String],
) -> Result<DataFrame> {
    match &config.thresholds {
        Some(thresholds) => thresholds.apply(frame, key_columns).map_err(combine_error),
        None => Ok(frame),
    }
}

/// The provenance of a run's output: the version, the options that change
/// results, and what the run found.
fn run_provenance(plan: &Plan, config: &RunConfig, failures: &[FileFailure]) -> Provenance {
    let percentiles: Vec<f64> = config.describe.percentiles.fractions().to_vec();
    // Absolute: the same relative input in two working folders is two inputs.
    let inputs: Vec<String> = config
        .inputs
        .iter()
        .map(|path| match std::path::absolute(path) {
            Ok(absolute) if !sources::s3::is_s3(path) => display_path(&absolute),
            _ => display_path(path),
        })
        .collect();
    let options = serde_json::json!({
        "percentiles": percentiles,
        "separator": char::from(config.describe.separator).to_string(),
        "include": config.describe.include.names(),
        "by": config.describe.by,
        "recursive": config.discover.recursive,
        "thresholds": config.thresholds.as_ref().map(ToString::to_string),
        "inputs": inputs,
    });
    let failures: Vec<serde_json::Value> = failures
        .iter()
        .map(|failure| {
            let row = failure.row();
            serde_json::json!({ "path": row.path, "line": row.line, "reason": row.reason })
        })
        .collect();
    let mut provenance = Provenance::default()
        .with(output::provenance::OPTIONS, options)
        .with(
            output::provenance::FILES,
            serde_json::json!(plan.files.len()),
        )
        .with(output::provenance::FAILURES, serde_json::json!(failures))
        .with(output::provenance::LISTING, plan.listing.clone());
    if let Some(shard) = config.shard {
        provenance = provenance.with(
            output::provenance::SHARD,
            serde_json::json!(shard.to_string()),
        );
    }
    provenance
}

/// What a run decided before reading its first file.
struct Plan {
    output: Sink,
    errors: Option<Sink>,
    files: Vec<Input>,
    /// What the run found, before a shard kept its own (see [`listing_of`]).
    listing: serde_json::Value,
    store: Option<Store>,
}

/// How many `inputs` there are and a fingerprint of their paths: the
/// parts of one sharded run must have seen the same.
fn listing_of(inputs: &[Input]) -> serde_json::Value {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for input in inputs {
        hasher.update(input.path.as_os_str().as_encoded_bytes());
        hasher.update(b"\0");
    }
    serde_json::json!({
        "files": inputs.len(),
        "fingerprint": format!("{:016x}", hasher.digest()),
    })
}

/// Where the run's result goes, and where its journal and cache live.
fn output_and_state(config: &RunConfig) -> Result<(Sink, Option<StoreLocation>)> {
    let keeps = config.store.keeps_files();
    match (&config.output, config.shard) {
        (OutputTarget::Stdout, None) => Ok((Sink::stdout(), None)),
        (OutputTarget::Stdout, Some(_)) => Err(Error::InvalidConfig(
            "--shard writes its part into a folder: give -o DIR, not -o -".into(),
        )),
        (OutputTarget::File(path), None) => {
            let sink = Sink::resolve(path)?;
            let location = match &sink.destination {
                Destination::File(real) if keeps => Some(StoreLocation::beside(real)),
                _ => None,
            };
            Ok((sink, location))
        }
        (OutputTarget::File(folder), Some(shard)) => {
            let parts = parts::Parts::prepare(folder)?;
            let sink = parts.sink(shard)?;
            let location = parts.store_location(shard).filter(|_| keeps);
            Ok((sink, location))
        }
    }
}

impl Plan {
    /// Resolves and checks the outputs, finds the inputs (generating the
    /// demo data first if asked), leaves the run's own files out of them, and
    /// opens the journal.
    fn make(config: &RunConfig, console: &Console) -> Result<Plan> {
        let (output, location) = output_and_state(config)?;
        check_output(&output, config)?;
        let errors = config
            .errors_file
            .as_deref()
            .map(Sink::resolve)
            .transpose()?;
        if let Some(errors) = &errors {
            check_writable(errors)?;
        }
        let own = OwnFiles::new(
            &output,
            errors.as_ref(),
            location
                .as_ref()
                .map(|l| (l.journal.clone(), l.cache.clone())),
            config.thresholds.as_ref().and_then(|t| t.file()),
        )?;
        let discovered = find_inputs(
            &config.inputs,
            config.discover,
            config.generate_if_empty.as_ref(),
            console,
        )?;
        let (mut inputs, notes) = own.screen(discovered.files)?;
        for note in notes {
            console.note(&note);
        }
        if inputs.is_empty() {
            return Err(Error::NoInputs(config.inputs.clone()));
        }
        // Every shard checks every label, so that all fail alike or none does.
        check_threshold_labels(config, &inputs)?;
        let listing = listing_of(&inputs);
        if let Some(shard) = config.shard {
            inputs.retain(|input| shard.owns(input.relative.as_os_str().as_encoded_bytes()));
        }
        let store = location
            .map(|location| Store::open(&location, &config.describe, config.store))
            .transpose()?;
        Ok(Plan {
            output,
            errors,
            files: inputs,
            listing,
            store,
        })
    }
}

/// Refuses outputs that cannot work, before any file is read.
fn check_output(output: &Sink, config: &RunConfig) -> Result<()> {
    if config.format == OutputFormat::Parquet && output.destination.is_terminal() {
        return Err(Error::InvalidConfig(
            "refusing to write Parquet (binary) to a terminal: redirect it, or use --format csv"
                .into(),
        ));
    }
    if config.store.resume && !output.destination.is_file() {
        return Err(Error::InvalidConfig(format!(
            "--resume needs a local output file (the journal is kept beside it), not {}",
            output.describe()
        )));
    }
    check_writable(output)
}

/// Checks that a file destination's folder takes a new file (by making and
/// removing one), so that a bad `-o` or `--errors` costs no work.
fn check_writable(sink: &Sink) -> Result<()> {
    match &sink.destination {
        Destination::File(real) => {
            crate::atomic::check_writable(real).map_err(|err| Error::write(&sink.name, err))
        }
        Destination::Object(url) => crate::sources::s3::client()
            .and_then(|client| client.check_bucket(url))
            .map_err(|err| Error::write(&sink.name, std::io::Error::other(err.reason))),
        Destination::Stdout | Destination::Stream(_) => Ok(()),
    }
}

/// Warnings per file, then errors per file, on stderr, each sorted by path.
fn report_problems(
    warnings: &[(PathBuf, Vec<String>)],
    failures: &[FileFailure],
    console: &Console,
) {
    let mut warnings: Vec<&(PathBuf, Vec<String>)> = warnings.iter().collect();
    warnings.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, messages) in warnings {
        for message in messages {
            console.warn(&format!("{}: {message}", display_path(path)));
        }
    }
    for failure in failures {
        console.error(&failure.to_string());
    }
}

/// One line: what was summarized, how long it took, where it went.
fn summary_line(report: &RunReport, output: &Sink) -> String {
    let destination = output.describe();
    let reused = match report.reused {
        0 => String::new(),
        n => format!("; {n} unchanged, reused"),
    };
    let mut line = format!(
        "summarized {} of {} files ({} rows{reused}) in {:.2} s",
        report.summarized,
        report.files,
        report.rows,
        report.elapsed.as_secs_f64()
    );
    if let Some((count, comparison)) = &report.above {
        line.push_str(&format!(
            "; {count} of {} rows with {comparison}",
            report.rows
        ));
    }
    if report.summarized > 0 {
        line.push_str(&format!(" -> {destination}"));
    } else {
        line.push_str(&format!("; {destination} not written"));
    }
    if !report.failures.is_empty() {
        line.push_str(&format!("; {} failed", report.failures.len()));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect_from(inputs: &[&std::path::Path]) -> Result<Collected> {
        let config = RunConfig::in_memory(
            inputs.iter().map(|path| path.to_path_buf()).collect(),
            crate::config::DiscoverOptions::default(),
            describe::Options::default(),
            1,
            None,
        );
        collect(&config, &Console::silent())
    }

    #[test]
    fn only_missing_files_is_an_error_naming_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let (first, second) = (dir.path().join("nope.csv"), dir.path().join("gone.csv"));
        match collect_from(&[&first, &second]) {
            Err(Error::Input { path, cause }) => {
                assert_eq!(path, first);
                assert_eq!(cause.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("expected the missing file's error, got {other:?}"),
        }
    }

    #[test]
    fn a_missing_file_among_others_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let (good, missing) = (dir.path().join("a.csv"), dir.path().join("nope.csv"));
        std::fs::write(&good, "v\n1\n2\n").unwrap();
        let collected = collect_from(&[&missing, &good]).unwrap();
        assert_eq!(collected.files, 2);
        assert_eq!(collected.frame.height(), 1);
        let failed: Vec<&PathBuf> = collected.failures.iter().map(|f| &f.path).collect();
        assert_eq!(failed, [&missing]);
    }
}
