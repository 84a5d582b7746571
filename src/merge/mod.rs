//! `polarsdesc merge`: the parts of a sharded run, checked (all there, once each, made alike) and combined into one table sorted as a single run's.
//!
//! Each part (`part-0000K-of-0000N.parquet`, written by `run --shard K/N`) records in
//! its Parquet metadata what made it: the shard, the polarsdesc version, the
//! options that change results (percentiles, separator, thresholds, `-r`,
//! the inputs), what its shard found, the files it described and those that
//! failed. `merge` refuses a folder whose parts are not one whole run (a part
//! missing or of another count, made by another version, with other options
//! or from another listing, one that cannot be read, or a file that is not a
//! part) and an output inside the folder, then concatenates them and
//! sorts the rows by label and path, keeping each file's columns in their
//! order: the table a single run on all the inputs writes, value for value.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use polars::prelude::*;
use serde_json::Value;

use crate::config::{OutputFormat, OutputTarget};
use crate::destination::Sink;
use crate::error::{Error, ExitCode, Result};
use crate::output::{self, provenance, FailureRow, Provenance};
use crate::progress::Console;
use crate::shards::Shard;

mod checks;
mod parts;

use checks::{check_whole_run, is_inside};
use parts::read_parts;

/// What `merge` combines, and where the table goes.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeConfig {
    /// The folder of parts.
    pub folder: PathBuf,
    pub output: OutputTarget,
    pub format: OutputFormat,
}

/// What a merge did.
#[derive(Debug)]
pub struct MergeReport {
    pub parts: usize,
    /// Files the parts described (summarized or failed).
    pub files: usize,
    pub rows: usize,
    /// The files that failed in any part, sorted by path.
    pub failures: Vec<FailureRow>,
    pub elapsed: Duration,
}

impl MergeReport {
    /// 0, or 1 when some files failed (as `run` exits).
    pub fn exit_code(&self) -> ExitCode {
        if self.failures.is_empty() {
            ExitCode::Success
        } else {
            ExitCode::PartialFailure
        }
    }
}

/// One part, read.
struct Part {
    path: PathBuf,
    shard: Shard,
    provenance: Provenance,
    frame: DataFrame,
}

/// Checks and combines the parts in `config.folder`, writes the table, and
/// reports the failed files of every part on `console`.
///
/// # Errors
/// When the folder is not one whole run's parts (named in the message), a
/// part cannot be read, or the output cannot be written. Nothing is written
/// then.
pub fn merge(config: &MergeConfig, console: &Console) -> Result<MergeReport> {
    let started = Instant::now();
    let sink = match &config.output {
        OutputTarget::Stdout => Sink::stdout(),
        OutputTarget::File(path) => Sink::resolve(path)?,
    };
    if is_inside(&sink.destination, &config.folder) {
        return Err(refused(format!(
            "the output {} is inside the folder of parts {}: readers of that folder would \
             count every file twice, and the next merge would refuse it; write it elsewhere",
            sink.name.display(),
            config.folder.display()
        )));
    }
    let parts = read_parts(&config.folder)?;
    check_whole_run(&parts, &config.folder)?;
    let mut failures: Vec<FailureRow> = parts
        .iter()
        .flat_map(|part| part_failures(&part.provenance))
        .collect();
    failures.sort_by(|a, b| a.path.cmp(&b.path));
    let files = parts
        .iter()
        .map(|part| {
            part.provenance
                .get(provenance::FILES)
                .and_then(Value::as_u64)
                .unwrap_or(0)
        })
        .sum::<u64>() as usize;
    let first = &parts[0].provenance;
    let merged_provenance = Provenance::default()
        .with(
            provenance::OPTIONS,
            first
                .get(provenance::OPTIONS)
                .cloned()
                .unwrap_or(Value::Null),
        )
        .with(provenance::FILES, serde_json::json!(files))
        .with(
            provenance::FAILURES,
            Value::Array(
                failures
                    .iter()
                    .map(
                        |f| serde_json::json!({"path": f.path, "line": f.line, "reason": f.reason}),
                    )
                    .collect(),
            ),
        );
    let part_count = parts.len();
    let mut frame = combine(parts.into_iter().map(|part| part.frame).collect())?;
    output::write(&mut frame, &sink, config.format, &merged_provenance)?;
    for failure in &failures {
        let line = failure
            .line
            .map(|l| format!("line {l}: "))
            .unwrap_or_default();
        console.error(&format!("{}: {line}{}", failure.path, failure.reason));
    }
    let report = MergeReport {
        parts: part_count,
        files,
        rows: frame.height(),
        failures,
        elapsed: started.elapsed(),
    };
    console.info(&format!(
        "merged {} parts: {} files, {} rows{} in {:.2} s -> {}",
        report.parts,
        report.files,
        report.rows,
        match report.failures.len() {
            0 => String::new(),
            n => format!("; {n} failed"),
        },
        report.elapsed.as_secs_f64(),
        sink.describe()
    ));
    Ok(report)
}

fn refused(message: String) -> Error {
    Error::Parts(message)
}

/// The first few of `names` and how many more there are: a message stays a
/// line however many there are (a data folder given by mistake, a million
/// parts missing).
fn a_few(names: &[String]) -> String {
    const NAMED: usize = 5;
    let more = match names.len().saturating_sub(NAMED) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!("{}{more}", names[..names.len().min(NAMED)].join(", "))
}

/// The failed files a part records.
fn part_failures(provenance: &Provenance) -> Vec<FailureRow> {
    provenance
        .get(provenance::FAILURES)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|failure| FailureRow {
            path: failure["path"].as_str().unwrap_or_default().to_string(),
            line: failure["line"].as_u64(),
            reason: failure["reason"].as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

/// The parts' rows as one table, sorted by label and path; a file's rows
/// (all in one part, in its column order) keep their order.
///
/// # Errors
/// When the parts' columns cannot be stacked.
///
/// Each part is already sorted so, and a file's rows are contiguous: the
/// files (runs of one label and path) are sorted, not the rows, and the rows
/// gathered once in that order. For 1,000 parts of 1,000 rows this is a sort
/// of 1,000 keys instead of 1,000,000.
fn combine(frames: Vec<DataFrame>) -> Result<DataFrame> {
    let combine_error = |cause| Error::Polars {
        context: "cannot combine the parts".into(),
        cause,
    };
    // (label, path, first row in the combined table, rows)
    let mut runs: Vec<(String, String, usize, usize)> = Vec::new();
    let mut offset = 0;
    for frame in &frames {
        let labels = frame
            .column("label")
            .and_then(|c| c.str().cloned())
            .map_err(combine_error)?;
        let paths = frame
            .column("path")
            .and_then(|c| c.str().cloned())
            .map_err(combine_error)?;
        let mut start = 0;
        for row in 1..=frame.height() {
            let same = row < frame.height()
                && labels.get(row) == labels.get(start)
                && paths.get(row) == paths.get(start);
            if !same {
                let label = labels.get(start).unwrap_or_default().to_string();
                let path = paths.get(start).unwrap_or_default().to_string();
                runs.push((label, path, offset + start, row - start));
                start = row;
            }
        }
        offset += frame.height();
    }
    runs.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let order: Vec<IdxSize> = runs
        .iter()
        .flat_map(|&(_, _, first, rows)| (first..first + rows).map(|row| row as IdxSize))
        .collect();
    let mut frames = with_text_columns_alike(frames)
        .map_err(combine_error)?
        .into_iter();
    let mut all = frames.next().expect("at least one part");
    for frame in frames {
        all.vstack_mut_owned(frame).map_err(combine_error)?;
    }
    all.rechunk_mut();
    let order = IdxCa::from_vec("order".into(), order);
    all.take(&order).map_err(combine_error)
}

/// pandas' `unique`, `top` and `freq` in every part when one has them: a
/// part whose files all had numbers lacks them where another described a
/// file by its text (as a single run would have them, empty for numbers).
fn with_text_columns_alike(frames: Vec<DataFrame>) -> PolarsResult<Vec<DataFrame>> {
    let Some(model) = frames.iter().find(|f| f.column("unique").is_ok()).cloned() else {
        return Ok(frames);
    };
    let after_count = model.get_column_index("count").map_or(0, |index| index + 1);
    frames
        .into_iter()
        .map(|mut frame| {
            if frame.column("unique").is_err() {
                for (offset, name) in ["unique", "top", "freq"].into_iter().enumerate() {
                    let dtype = model.column(name)?.dtype().clone();
                    let empty = Column::full_null(name.into(), frame.height(), &dtype);
                    frame.insert_column(after_count + offset, empty)?;
                }
            }
            Ok(frame)
        })
        .collect()
}
