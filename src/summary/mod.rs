//! `polarsdesc run`: find the files, describe them in parallel, combine the results, write them.

pub mod discover;
pub mod records;
pub mod store;
pub mod table;

use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::{GenerateConfig, OutputTarget, RunConfig};
use crate::describe::{self, FileError, FileSummary, Percentiles};
use crate::error::{Error, ExitCode, Result};
use crate::generate;
use crate::interrupt;
use crate::output;
use crate::parallel;
use crate::progress::Console;
use records::FileKey;
use store::Store;

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
            path: self.path.display().to_string(),
            line: self.error.line(),
            reason: self.error.reason(),
        }
    }
}

impl fmt::Display for FileFailure {
    /// `path: line N: reason`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path.display())?;
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
}

impl RunReport {
    /// 0 when every file was summarized, 1 when some failed, 2 when all did.
    pub fn exit_code(&self) -> ExitCode {
        if self.failures.is_empty() {
            ExitCode::Success
        } else if self.summarized == 0 {
            ExitCode::Failure
        } else {
            ExitCode::PartialFailure
        }
    }
}

/// Runs `polarsdesc run`: describes every input file (or reuses its result
/// from an earlier run) and writes the combined result, reporting progress,
/// per-file problems and a summary on `console`.
///
/// The result is written only if at least one file was summarized; any
/// previous output is otherwise left as it was. The journal of the run is
/// kept if it does not complete, for `--resume`.
///
/// # Errors
/// When no input file is found (and none may be generated), the journal or the
/// output cannot be written, another run writes the same output, the run is
/// interrupted, or (with `--strict`) a file fails. A file that fails is
/// otherwise not an error of the run: it is listed in the report.
pub fn run(config: &RunConfig, console: &Console) -> Result<RunReport> {
    let started = Instant::now();
    let files = find_inputs(&config.inputs, config.generate_if_empty.as_ref(), console)?;
    if let Some(thresholds) = &config.thresholds {
        let labels: Vec<String> = files.iter().map(|path| describe::label_of(path)).collect();
        thresholds.check_labels(labels.iter().map(String::as_str))?;
    }
    let store = match &config.output {
        OutputTarget::File(path) => Some(Store::open(path, &config.percentiles, config.store)?),
        OutputTarget::Stdout => None,
    };
    let described = describe_all(&files, config, store.as_ref(), console)?;
    let mut failures = described.failures;
    failures.sort_by(|a, b| a.path.cmp(&b.path));
    report_problems(&described.warnings, &failures, console);
    if let Some(errors_file) = &config.errors_file {
        let rows: Vec<output::FailureRow> = failures.iter().map(FileFailure::row).collect();
        output::write_failures(errors_file, &rows)?;
    }
    if config.strict {
        if let Some(first) = failures.first() {
            return Err(Error::Strict(first.to_string()));
        }
    }

    let combine_error = |source| Error::Polars {
        context: "cannot combine the results".into(),
        source,
    };
    let mut frame = described.rows.finish().map_err(combine_error)?;
    let mut above = None;
    if let Some(thresholds) = &config.thresholds {
        frame = thresholds.apply(frame).map_err(combine_error)?;
        let count = frame
            .column("above_threshold")
            .map_err(combine_error)?
            .bool()
            .map_err(combine_error)?
            .sum();
        above = Some((count.unwrap_or(0) as usize, thresholds.to_string()));
    }
    if described.summarized > 0 {
        output::write(&mut frame, &config.output, config.format)?;
    }
    if let Some(store) = store {
        store.complete()?;
    }
    let report = RunReport {
        files: files.len(),
        summarized: described.summarized,
        reused: described.reused,
        rows: frame.height(),
        failures,
        above,
        elapsed: started.elapsed(),
    };
    if !console.is_quiet() && frame.height() > 0 {
        console.info(output::preview::render(&frame).trim_end());
    }
    console.info(&summary_line(&report, &config.output));
    Ok(report)
}

/// The files `inputs` name; with `generate_if_empty` (the embedded default),
/// generates that data set first when its folder is missing or holds no CSV file.
///
/// # Errors
/// When no file is found, or the data set cannot be generated.
pub fn find_inputs(
    inputs: &[PathBuf],
    generate_if_empty: Option<&GenerateConfig>,
    console: &Console,
) -> Result<Vec<PathBuf>> {
    if let Some(demo) = generate_if_empty {
        if !discover::has_csv_files(&demo.dir) {
            console.info(&format!(
                "no CSV files in {}/: generating the demo data set there first (seed {})",
                demo.dir.display(),
                demo.seed.map_or_else(|| "random".into(), |s| s.to_string())
            ));
            let generated = generate::generate(demo, console)?;
            console.info(&generated.to_string());
        }
    }
    let files = discover::discover(inputs)?;
    if files.is_empty() {
        return Err(Error::NoInputs(inputs.to_vec()));
    }
    Ok(files)
}

/// What the workers found: the rows of the files summarized, the failures,
/// and warnings per file.
struct Described {
    rows: table::Collector,
    summarized: usize,
    reused: usize,
    failures: Vec<FileFailure>,
    warnings: Vec<(PathBuf, Vec<String>)>,
}

/// Describes every file on the configured workers, each file isolated from
/// the others' failures and panics, with a progress bar. A file unchanged
/// since an earlier run takes its stored result; every result is put on
/// record in the journal as it comes.
///
/// # Errors
/// When the worker threads cannot start, or the run is interrupted.
fn describe_all(
    files: &[PathBuf],
    config: &RunConfig,
    store: Option<&Store>,
    console: &Console,
) -> Result<Described> {
    let bar = console.bar(files.len() as u64, "describing", "files");
    let described = Mutex::new(Described {
        rows: table::Collector::new(&config.percentiles),
        summarized: 0,
        reused: 0,
        failures: Vec::new(),
        warnings: Vec::new(),
    });
    let stop = AtomicBool::new(false);
    parallel::for_each_on_workers(config.jobs, files, |_, path, spare| {
        if interrupt::requested() || stop.load(Ordering::Relaxed) {
            return;
        }
        let key = store.and_then(|_| FileKey::of(path));
        let stored = store
            .zip(key.as_ref())
            .and_then(|(store, key)| store.reuse(key));
        let reused = stored.is_some();
        let outcome = match stored {
            Some(summary) => Ok(summary),
            None => describe_isolated(path, &config.percentiles, spare),
        };
        if let (Ok(summary), Some(store), Some(key), false) = (&outcome, store, &key, reused) {
            store.record(key, summary);
        }
        // The lock is held for a few appends; the file's own allocations are
        // freed at once, so memory grows only by the rows kept.
        let mut described = described.lock().unwrap_or_else(|e| e.into_inner());
        match outcome {
            Ok(summary) => {
                described.rows.add(&summary);
                described.summarized += 1;
                described.reused += usize::from(reused);
                if !summary.warnings.is_empty() {
                    described.warnings.push((summary.path, summary.warnings));
                }
            }
            Err(failure) => {
                stop.fetch_or(config.strict, Ordering::Relaxed);
                described.failures.push(failure);
            }
        }
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    if interrupt::requested() {
        return Err(Error::Interrupted {
            resumable: store.is_some(),
        });
    }
    Ok(described.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Describes one file; a panic inside (ours or a dependency's) becomes this file's error.
fn describe_isolated(
    path: &Path,
    percentiles: &Percentiles,
    spare: &parallel::SpareCores,
) -> std::result::Result<FileSummary, FileFailure> {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        panic_if_asked(path);
        describe::describe_file(path, percentiles, spare)
    }))
    .unwrap_or_else(|payload| Err(FileError::Panic(panic_message(&*payload))));
    outcome.map_err(|error| FileFailure {
        path: path.to_path_buf(),
        error,
    })
}

/// The environment variable that makes the run panic on files whose name
/// contains its value: how the tests prove that a panic is contained.
pub const PANIC_FOR_TESTS: &str = "POLARSDESC_TEST_PANIC_ON";

fn panic_if_asked(path: &Path) {
    static TRIGGER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let trigger = TRIGGER.get_or_init(|| std::env::var(PANIC_FOR_TESTS).ok());
    if let Some(trigger) = trigger {
        if path.to_string_lossy().contains(trigger.as_str()) {
            panic!("test panic on {}", path.display());
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
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
            console.warn(&format!("{}: {message}", path.display()));
        }
    }
    for failure in failures {
        console.error(&failure.to_string());
    }
}

/// One line: what was summarized, how long it took, where it went.
fn summary_line(report: &RunReport, target: &OutputTarget) -> String {
    let destination = match target {
        OutputTarget::Stdout => "stdout".to_string(),
        OutputTarget::File(path) => path.display().to_string(),
    };
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
