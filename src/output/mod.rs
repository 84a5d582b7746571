//! Writing the result: one encoder per format behind one trait, then a [`Sink`] (a file replaced atomically, a stream, stdout).

mod csv;
mod json;
mod parquet;
pub mod preview;
pub mod provenance;

use polars::prelude::*;

use crate::config::OutputFormat;
use crate::destination::Sink;
use crate::error::{Error, Result};
pub use provenance::Provenance;

/// Turns the result frame into the bytes of one file format.
pub trait Encoder {
    /// Appends the encoding of `frame` to `out`; formats that can carry
    /// metadata (Parquet) record `provenance` in it.
    ///
    /// # Errors
    /// When Polars cannot encode the frame.
    fn encode(
        &self,
        frame: &mut DataFrame,
        provenance: &Provenance,
        out: &mut Vec<u8>,
    ) -> PolarsResult<()>;
}

/// The encoder for `format`.
pub fn encoder(format: OutputFormat) -> Box<dyn Encoder> {
    match format {
        OutputFormat::Parquet => Box::new(parquet::ParquetEncoder),
        OutputFormat::Csv => Box::new(csv::CsvEncoder),
        OutputFormat::Json => Box::new(json::JsonEncoder),
    }
}

/// The header of the `--errors` file.
pub const FAILURES_HEADER: &str = "path,line,reason";

/// A failed file for `--errors`: its path, the line (when known) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureRow {
    pub path: String,
    pub line: Option<u64>,
    pub reason: String,
}

/// Writes `failures` to `sink` as CSV with the header `path,line,reason`.
///
/// # Errors
/// When the file cannot be written.
pub fn write_failures(sink: &Sink, failures: &[FailureRow]) -> Result<()> {
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
            .encode(&mut frame, &Provenance::default(), &mut bytes)
            .map(|()| bytes)
    });
    let bytes = frame.map_err(|cause| Error::Polars {
        context: "cannot encode the failures".into(),
        cause,
    })?;
    sink.write(&bytes, true)
}

/// Encodes `frame` as `format` and writes it to `sink`: a file is replaced
/// atomically (and flushed to disk first), so a failed run leaves any previous
/// output as it was.
///
/// # Errors
/// When encoding fails, or the output cannot be written (missing or read-only
/// folder, full disk); a closed pipe is an error for which
/// [`Error::is_broken_pipe`] holds.
pub fn write(
    frame: &mut DataFrame,
    sink: &Sink,
    format: OutputFormat,
    provenance: &Provenance,
) -> Result<()> {
    let mut bytes = Vec::new();
    encoder(format)
        .encode(frame, provenance, &mut bytes)
        .map_err(|cause| Error::Polars {
            context: "cannot encode the result".into(),
            cause,
        })?;
    sink.write(&bytes, true)
}
