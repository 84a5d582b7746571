//! pandas' reading of a whole file, token by token: for files that Polars' parser cannot read exactly as pandas does.
//!
//! Every record comes from the pandas tokenizer (`describe::tokenizer`) and
//! every field of a column that may be numeric goes through pandas' number
//! rule (`describe::numbers`), in pandas' blocks of rows, so the columns
//! described and their values are the ones pandas gets: blanks around
//! numbers, lone `\r` line ends, lines of blanks, every spelling of NaN and
//! infinity, integers too wide for 64 bits.
//!
//! One pass, in order, one block of the file in memory at a time; it finds
//! every column that holds text, so nothing is read again.

use std::io;

use super::body::CsvFile;
use super::layout::{first_invalid_utf8_line, Layout, LayoutError};
use super::numbers::{self, Cascade, Dtype, Integer, NotNumeric, Token};
use super::tokenizer::{self, Fields, Next, Position};
use super::FileError;

/// One column that may be numeric, as it is read.
struct Candidate {
    position: usize,
    /// Values in row order, NaN where missing (a number is never NaN).
    values: Vec<f64>,
    /// The exact integers, while every value so far is an int64 one.
    integers: Option<Vec<i64>>,
    /// pandas' type of the current block of rows.
    cascade: Cascade,
    /// pandas' type of the blocks of rows so far.
    dtype: Option<Dtype>,
    /// Why pandas does not describe it, once known.
    not_numeric: Option<NotNumeric>,
}

/// A numeric column as pandas reads it.
pub struct NumericColumn {
    /// Its position in the row.
    pub position: usize,
    /// Values in row order, NaN where missing.
    pub values: Vec<f64>,
    /// The exact integers, when pandas makes it an int64 column.
    pub integers: Option<Vec<i64>>,
    /// pandas' type of the column.
    pub dtype: Dtype,
}

/// The numeric columns read, and the candidates that turned out not numeric
/// (with their position among the columns).
pub type ReadColumns = (Vec<NumericColumn>, Vec<(usize, NotNumeric)>);

/// The numeric columns of `file` as pandas reads them, in file order, and
/// why each other candidate of `layout` is not numeric.
///
/// # Errors
/// When the file cannot be read, or pandas would fail it: a row wider than
/// the rows before it, a quote never closed, bytes that are not UTF-8.
pub fn read_numeric_columns(file: &CsvFile, layout: &Layout) -> Result<ReadColumns, FileError> {
    let mut candidates: Vec<Candidate> = layout
        .numeric
        .iter()
        .map(|&position| Candidate {
            position,
            values: Vec::new(),
            integers: Some(Vec::new()),
            cascade: Cascade::default(),
            dtype: None,
            not_numeric: None,
        })
        .collect();
    let rows_per_block = numbers::rows_per_block(layout.width);
    let mut rows_in_block = 0;
    let mut fields = Fields::default();
    let read = file.for_each_block(layout.header_len, layout.body_line, |block, line| {
        if let Some(line) = first_invalid_utf8_line(block, line) {
            return Err(LayoutError::NotUtf8 { line }.into());
        }
        let mut at = Position::start(line);
        loop {
            fields.clear();
            let record = tokenizer::next_record(block, layout.separator, &mut at, &mut fields)
                .map_err(|open| LayoutError::UnclosedQuote { line: open.line })?;
            let Next::Record { line } = record else {
                return Ok(());
            };
            if fields.len() > layout.width {
                return Err(LayoutError::TooManyFields {
                    line,
                    found: fields.len(),
                    expected: layout.width,
                    header: layout.width == layout.header_fields,
                }
                .into());
            }
            for candidate in candidates.iter_mut().filter(|c| c.not_numeric.is_none()) {
                let field = fields.get(candidate.position).unwrap_or_default();
                let token = numbers::classify(field);
                candidate.cascade.add(token, field, line);
                candidate.values.push(match token {
                    Token::Number(value, _) => value,
                    Token::Missing | Token::Text => f64::NAN,
                });
                if let Some(integers) = &mut candidate.integers {
                    match (token, numbers::parse_int64(field)) {
                        (Token::Number(_, Integer::Int64), Some(integer)) => integers.push(integer),
                        _ => candidate.integers = None,
                    }
                }
            }
            rows_in_block += 1;
            if rows_in_block == rows_per_block {
                end_block(&mut candidates);
                rows_in_block = 0;
            }
        }
    });
    read.map_err(|error: ExactError| error.0)?;
    end_block(&mut candidates);
    let mut numeric = Vec::new();
    let mut not_numeric = Vec::new();
    for candidate in candidates {
        match (candidate.not_numeric, candidate.dtype) {
            (Some(reason), _) => not_numeric.push((candidate.position, reason)),
            (None, dtype) => {
                // No rows at all: pandas reads the column as float (count 0).
                let dtype = dtype.unwrap_or(Dtype::Float64);
                numeric.push(NumericColumn {
                    position: candidate.position,
                    values: candidate.values,
                    integers: candidate.integers.filter(|_| dtype == Dtype::Int64),
                    dtype,
                });
            }
        }
    }
    Ok((numeric, not_numeric))
}

/// Ends pandas' block of rows: a column whose block is not numeric is
/// not numeric (pandas makes the combined column an object column).
fn end_block(candidates: &mut [Candidate]) {
    for candidate in candidates.iter_mut().filter(|c| c.not_numeric.is_none()) {
        let cascade = std::mem::take(&mut candidate.cascade);
        if cascade.is_empty() {
            continue;
        }
        match cascade.outcome() {
            Ok(dtype) => {
                candidate.dtype = Some(candidate.dtype.map_or(dtype, |d| d.combine(dtype)));
            }
            Err(reason) => {
                candidate.not_numeric = Some(reason);
                candidate.values = Vec::new();
                candidate.integers = None;
            }
        }
    }
}

/// A file error raised inside the block loop (which also passes I/O errors).
struct ExactError(FileError);

impl From<io::Error> for ExactError {
    fn from(error: io::Error) -> Self {
        ExactError(FileError::Read(error))
    }
}

impl From<LayoutError> for ExactError {
    fn from(error: LayoutError) -> Self {
        ExactError(FileError::Malformed(error))
    }
}
