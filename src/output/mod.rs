//! Writing the result: one encoder per format behind one trait, fed a batch of rows at a time, into a [`Sink`] (a file replaced atomically, a stream, stdout, an object).

mod csv;
mod json;
mod parquet;
pub mod preview;
pub mod provenance;

use std::io::Write;

use polars::prelude::*;

use crate::config::OutputFormat;
use crate::destination::Sink;
use crate::error::{Error, Result};
pub use provenance::Provenance;

/// Writes the result table in one file format, a batch of rows at a time.
pub trait TableEncoder {
    /// Appends the rows of `frame` (of the table's schema).
    ///
    /// # Errors
    /// When Polars cannot encode the frame or the output cannot be written.
    fn write(&mut self, frame: &mut DataFrame) -> PolarsResult<()>;

    /// Ends the table (a Parquet footer, JSON's closing bracket).
    ///
    /// # Errors
    /// As [`TableEncoder::write`].
    fn finish(self: Box<Self>) -> PolarsResult<()>;
}

/// The encoder of a table of `schema` as `format` into `out`; formats
/// that carry metadata (Parquet) record `provenance` in it.
///
/// # Errors
/// When the schema cannot be written in the format (a bug).
pub fn encoder<'w>(
    format: OutputFormat,
    schema: &Schema,
    provenance: &Provenance,
    out: &'w mut dyn Write,
) -> PolarsResult<Box<dyn TableEncoder + 'w>> {
    Ok(match format {
        OutputFormat::Parquet => Box::new(parquet::ParquetEncoder::new(schema, provenance, out)?),
        OutputFormat::Csv => Box::new(csv::CsvEncoder::new(schema, out)?),
        OutputFormat::Json => Box::new(json::JsonEncoder::new(out)),
    })
}

/// The error of an encoder: the output's when writing it failed, else a
/// bug of encoding.
pub fn encoding_error(output: &std::path::Path, cause: PolarsError) -> Error {
    match cause {
        PolarsError::IO { error, .. } => {
            Error::write(output, std::io::Error::new(error.kind(), error.to_string()))
        }
        cause => Error::Polars {
            context: "cannot encode the result".into(),
            cause,
        },
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
    .map_err(|cause| Error::Polars {
        context: "cannot encode the failures".into(),
        cause,
    })?;
    write(
        &mut frame.clone(),
        sink,
        OutputFormat::Csv,
        &Provenance::default(),
    )
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
    let schema = frame.schema().clone();
    write_batches(sink, format, &schema, provenance, &mut |write| write(frame))
}

/// Hands each batch of a table to the function it is given (see [`write_batches`]).
pub type Batches<'a> = dyn FnMut(&mut dyn FnMut(&mut DataFrame) -> Result<()>) -> Result<()> + 'a;

/// Writes a table of `schema` as `format` to `sink` (see [`write`]), its
/// rows given batch by batch: `batches` calls the function it is given
/// with each.
///
/// # Errors
/// As [`write`], or when `batches` fails (its error).
pub fn write_batches(
    sink: &Sink,
    format: OutputFormat,
    schema: &Schema,
    provenance: &Provenance,
    batches: &mut Batches<'_>,
) -> Result<()> {
    let failed = |cause| encoding_error(&sink.name, cause);
    sink.write_with(true, &mut |out| {
        let mut encoder = encoder(format, schema, provenance, out).map_err(failed)?;
        batches(&mut |frame| encoder.write(frame).map_err(failed))?;
        encoder.finish().map_err(failed)
    })
}
