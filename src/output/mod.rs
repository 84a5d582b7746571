//! Writing the result: one encoder per format behind one trait, then an atomic file write or stdout.

mod csv;
mod json;
mod parquet;
pub mod preview;

use std::io::Write;
use std::path::Path;

use polars::prelude::*;

use crate::atomic;
use crate::config::{OutputFormat, OutputTarget};
use crate::error::{Error, Result};

/// Turns the result frame into the bytes of one file format.
pub trait Encoder {
    /// Appends the encoding of `frame` to `out`.
    ///
    /// # Errors
    /// When Polars cannot encode the frame.
    fn encode(&self, frame: &mut DataFrame, out: &mut Vec<u8>) -> PolarsResult<()>;
}

/// The encoder for `format`.
pub fn encoder(format: OutputFormat) -> Box<dyn Encoder> {
    match format {
        OutputFormat::Parquet => Box::new(parquet::ParquetEncoder),
        OutputFormat::Csv => Box::new(csv::CsvEncoder),
        OutputFormat::Json => Box::new(json::JsonEncoder),
    }
}

/// A failed file for `--errors`: its path, the line (when known) and why.
pub struct FailureRow {
    pub path: String,
    pub line: Option<u64>,
    pub reason: String,
}

/// Writes `failures` to `path` as CSV with the header `path,line,reason`, atomically.
///
/// # Errors
/// When the file cannot be written.
pub fn write_failures(path: &Path, failures: &[FailureRow]) -> Result<()> {
    let frame = DataFrame::new(
        failures.len(),
        vec![
            Column::new(
                "path".into(),
                failures.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "line".into(),
                failures.iter().map(|f| f.line).collect::<Vec<_>>(),
            ),
            Column::new(
                "reason".into(),
                failures
                    .iter()
                    .map(|f| f.reason.as_str())
                    .collect::<Vec<_>>(),
            ),
        ],
    )
    .and_then(|mut frame| {
        let mut bytes = Vec::new();
        csv::CsvEncoder
            .encode(&mut frame, &mut bytes)
            .map(|()| bytes)
    });
    let bytes = frame.map_err(|source| Error::Polars {
        context: "cannot encode the failures".into(),
        source,
    })?;
    atomic::write_with(path, true, |file| file.write_all(&bytes))
        .map_err(|err| Error::write(path, err))
}

/// Encodes `frame` as `format` and writes it to `target`: a file is replaced
/// atomically (and flushed to disk first), so a failed run leaves any previous
/// output as it was.
///
/// # Errors
/// When encoding fails, or the file cannot be written (missing or read-only
/// folder, full disk); or, for stdout, when the write fails (a closed pipe
/// surfaces as an I/O error of kind `BrokenPipe`).
pub fn write(frame: &mut DataFrame, target: &OutputTarget, format: OutputFormat) -> Result<()> {
    let mut bytes = Vec::new();
    encoder(format)
        .encode(frame, &mut bytes)
        .map_err(|source| Error::Polars {
            context: "cannot encode the result".into(),
            source,
        })?;
    match target {
        OutputTarget::Stdout => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .map_err(|err| Error::write("<stdout>".as_ref(), err))
        }
        OutputTarget::File(path) => atomic::write_with(path, true, |file| file.write_all(&bytes))
            .map_err(|err| Error::write(path, err)),
    }
}
