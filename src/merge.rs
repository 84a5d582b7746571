//! `polarsdesc merge`: the parts of a sharded run, checked (all there, once each, made alike) and combined into one table sorted as a single run's.
//!
//! Each part (`part-K-of-N.parquet`, written by `run --shard K/N`) records in
//! its Parquet metadata what made it: the shard, the polarsdesc version, the
//! options that change results (percentiles, separator, thresholds, `-r`,
//! the inputs), the files it described and those that failed. `merge`
//! refuses a folder whose parts are not one whole run (a part missing or of
//! another count, made by another version or with other options, one that
//! cannot be read, or a file that is not a part), then concatenates them and
//! sorts the rows by label and path, keeping each file's columns in their
//! order: the table a single run on all the inputs writes, value for value.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use polars::prelude::*;
use serde_json::Value;

use crate::config::{OutputFormat, OutputTarget};
use crate::destination::Sink;
use crate::error::{Error, ExitCode, Result};
use crate::output::{self, provenance, FailureRow, Provenance};
use crate::progress::Console;
use crate::shards::Shard;
use crate::sources::s3;

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
    if let Some(path) = sink.destination.path() {
        if path.starts_with(&config.folder) || same_folder(path, &config.folder) {
            return Err(refused(format!(
                "the output {} is inside the folder of parts; write it elsewhere",
                sink.name.display()
            )));
        }
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

/// Whether two paths name the same folder.
fn same_folder(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

fn refused(message: String) -> Error {
    Error::Parts(message)
}

/// Every part in `folder` (a local folder, or a prefix of a bucket), read;
/// hidden files are skipped, anything else that is not a part is refused.
fn read_parts(folder: &Path) -> Result<Vec<Part>> {
    let entries = if s3::is_s3(folder) {
        bucket_entries(folder)?
    } else {
        folder_entries(folder)?
    };
    let mut parts = Vec::new();
    let mut strangers = Vec::new();
    for (name, path) in entries {
        if name.starts_with('.') {
            continue;
        }
        match Shard::of_part_name(&name) {
            Some(shard) => parts.push(read_part(&path, shard)?),
            None => strangers.push(name),
        }
    }
    if !strangers.is_empty() {
        strangers.sort();
        // A data folder given by mistake holds thousands: name a few.
        const NAMED: usize = 5;
        let more = match strangers.len().saturating_sub(NAMED) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        strangers.truncate(NAMED);
        return Err(refused(format!(
            "{} holds files that are not parts ({}{more}): a folder of parts must hold parts only",
            folder.display(),
            strangers.join(", ")
        )));
    }
    if parts.is_empty() {
        return Err(refused(format!(
            "{} holds no parts (part-K-of-N.parquet, written by `run --shard K/N -o {}`)",
            folder.display(),
            folder.display()
        )));
    }
    parts.sort_by_key(|part| part.shard.index);
    Ok(parts)
}

/// The names and paths of the entries of a local folder.
fn folder_entries(folder: &Path) -> Result<Vec<(String, PathBuf)>> {
    let entries = std::fs::read_dir(folder).map_err(|cause| Error::Input {
        path: folder.to_path_buf(),
        cause,
    })?;
    Ok(entries
        .flatten()
        .map(|entry| {
            (
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            )
        })
        .collect())
}

/// The names and URLs of the objects directly below a prefix of a bucket.
fn bucket_entries(folder: &Path) -> Result<Vec<(String, PathBuf)>> {
    let url = s3::S3Url::parse(&folder.to_string_lossy()).map_err(Error::Remote)?;
    let objects = s3::client()
        .and_then(|client| client.list(&url, false))
        .map_err(Error::Remote)?
        .objects;
    Ok(objects
        .into_iter()
        .map(|object| {
            let name = object
                .url
                .key
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            (name, PathBuf::from(object.url.to_string()))
        })
        .collect())
}

/// One part and what it records about itself.
fn read_part(path: &Path, shard: Shard) -> Result<Part> {
    let unreadable = |reason: String| {
        refused(format!(
            "cannot read the part {}: {reason} (a job killed while copying it? run shard {shard} again)",
            path.display()
        ))
    };
    let mut reader = ParquetReader::new(part_bytes(path).map_err(unreadable)?);
    let metadata = reader
        .get_metadata()
        .map_err(|err| unreadable(first_line(&err.to_string())))?;
    let provenance = metadata
        .key_value_metadata()
        .iter()
        .flatten()
        .find(|pair| pair.key == provenance::METADATA_KEY)
        .and_then(|pair| pair.value.as_deref())
        .and_then(Provenance::parse)
        .ok_or_else(|| {
            unreadable("it does not record what made it (not written by polarsdesc)".into())
        })?;
    let frame = reader
        .finish()
        .map_err(|err| unreadable(first_line(&err.to_string())))?;
    Ok(Part {
        path: path.to_path_buf(),
        shard,
        provenance,
        frame,
    })
}

/// A part's bytes: a local file is mapped, an object fetched whole.
fn part_bytes(
    path: &Path,
) -> std::result::Result<Box<dyn polars::io::mmap::MmapBytesReader>, String> {
    if s3::is_s3(path) {
        let url = s3::S3Url::parse(&path.to_string_lossy()).map_err(|err| err.reason)?;
        let bytes = s3::client()
            .and_then(|client| client.get(&url))
            .map_err(|err| err.reason)?;
        Ok(Box::new(std::io::Cursor::new(bytes)))
    } else {
        let file = File::open(path).map_err(|err| err.to_string())?;
        Ok(Box::new(file))
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

/// Checks that `parts` are all the shards of one run, made alike.
fn check_whole_run(parts: &[Part], folder: &Path) -> Result<()> {
    let name = |part: &Part| {
        part.path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    };
    let count = parts[0].shard.count;
    let other_counts: Vec<String> = parts
        .iter()
        .filter(|part| part.shard.count != count)
        .map(name)
        .collect();
    if !other_counts.is_empty() {
        return Err(refused(format!(
            "the parts in {} are of different runs: {} of {count} shards, but also {}",
            folder.display(),
            name(&parts[0]),
            other_counts.join(", ")
        )));
    }
    for part in parts {
        let recorded = part
            .provenance
            .get(provenance::SHARD)
            .and_then(Value::as_str);
        if recorded != Some(part.shard.to_string().as_str()) {
            return Err(refused(format!(
                "{} records shard {}, not the one its name says (renamed?)",
                name(part),
                recorded.unwrap_or("none")
            )));
        }
    }
    let present: Vec<usize> = parts.iter().map(|part| part.shard.index).collect();
    let missing: Vec<String> = (0..count)
        .filter(|index| !present.contains(index))
        .map(|index| Shard { index, count }.part_name())
        .collect();
    if !missing.is_empty() {
        return Err(refused(format!(
            "{} of the {count} parts are missing from {}: {} (run those shards first)",
            missing.len(),
            folder.display(),
            missing.join(", ")
        )));
    }
    let signature = |part: &Part| {
        (
            part.provenance.get(provenance::VERSION).cloned(),
            part.provenance.get(provenance::OPTIONS).cloned(),
        )
    };
    // The parts made like most of them are the run; the others are named.
    let expected = parts
        .iter()
        .map(signature)
        .max_by_key(|candidate| {
            parts
                .iter()
                .filter(|part| signature(part) == *candidate)
                .count()
        })
        .expect("at least one part");
    let odd: Vec<String> = parts
        .iter()
        .filter(|part| signature(part) != expected)
        .map(|part| {
            let (version, options) = signature(part);
            let what = if version != expected.0 {
                format!(
                    "made by polarsdesc {}, not {}",
                    version.unwrap_or(Value::Null),
                    expected.0.clone().unwrap_or(Value::Null)
                )
            } else {
                format!(
                    "made with options {}, not {}",
                    options.unwrap_or(Value::Null),
                    expected.1.clone().unwrap_or(Value::Null)
                )
            };
            format!("{} was {what}", name(part))
        })
        .collect();
    if !odd.is_empty() {
        return Err(refused(format!(
            "the parts were not made alike: {}",
            odd.join("; ")
        )));
    }
    Ok(())
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
    let mut frames = frames.into_iter();
    let mut all = frames.next().expect("at least one part");
    for frame in frames {
        all.vstack_mut_owned(frame).map_err(combine_error)?;
    }
    all.rechunk_mut();
    let order = IdxCa::from_vec("order".into(), order);
    all.take(&order).map_err(combine_error)
}
