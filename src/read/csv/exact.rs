//! pandas' reading of a file, token by token: for files that Polars' parser cannot read exactly as pandas does.
//!
//! Every record comes from the pandas tokenizer (`tokenizer`) and
//! every field of a column that may be numeric goes through pandas' number
//! rule (`numbers`), so the columns described and their values are
//! the ones pandas gets: blanks around numbers, lone `\r` line ends, lines of
//! blanks, every spelling of NaN and infinity, integers too wide for 64 bits.
//!
//! Blocks of the file are read independently ([`parse_block`], on every core
//! for a large file) and taken in order by an [`ExactReader`], which keeps
//! the values (spooled: a large file's go to a temporary file) and decides
//! each column's type as pandas does, in pandas' blocks of rows. Where a
//! block's first row is not known (blocks read at once), its tokens count
//! toward the type as one block: the same type pandas gives, unless a
//! column holds integers too wide for int64 (the one case where pandas'
//! blocks of rows change the outcome); the reader says so, and such a file
//! is read again, in order, with its rows counted.

use std::io;

use super::layout::{first_invalid_utf8_line, Layout, LayoutError};
use super::numbers::{self, Cascade, Dtype, Integer, NotNumeric, Token};
use super::tokenizer::{self, Fields, Next, Position};
use crate::describe::large::column::SpooledColumn;
use crate::describe::large::spool::Spool;
use crate::read::FileError;

/// One block's tokens of the candidate columns.
pub struct ExactBlock {
    columns: Vec<BlockColumn>,
    rows: usize,
}

/// A block read with its lines counted from 1 (blocks read at once do not
/// know their first line), and its line ends, to place it when taken in order.
pub struct UnplacedBlock {
    parsed: Result<ExactBlock, LayoutError>,
    line_ends: u64,
}

/// Reads one block whose first line is not known yet (see [`parse_block`]).
pub fn parse_unplaced(block: &[u8], layout: &Layout) -> UnplacedBlock {
    UnplacedBlock {
        parsed: parse_block(block, 1, layout, None),
        line_ends: tokenizer::count_line_ends(block),
    }
}

/// One candidate column of one block.
struct BlockColumn {
    /// Values in row order, NaN where missing or text.
    values: Vec<f64>,
    /// The exact integers, while every token of the block is an int64 one.
    integers: Option<Vec<i64>>,
    /// The tokens' cascades, one per pandas block of rows the block touches
    /// (one in all when the block's first row is not known), and whether
    /// each ends such a block of rows.
    segments: Vec<(Cascade, bool)>,
    /// Values present, smallest and largest (taken on the core that read them).
    count: usize,
    min: f64,
    max: f64,
}

/// Reads one block of the body, which starts on `line`: the tokens of
/// `layout`'s candidate columns. `rows_before` is the number of rows before
/// the block, when it is known, to cut the tokens at pandas' blocks of rows.
///
/// # Errors
/// When pandas would fail the file here: a row wider than the table, a
/// quote never closed, bytes that are not UTF-8.
pub fn parse_block(
    block: &[u8],
    line: u64,
    layout: &Layout,
    rows_before: Option<usize>,
) -> Result<ExactBlock, LayoutError> {
    if let Some(line) = first_invalid_utf8_line(block, line) {
        return Err(LayoutError::NotUtf8 { line });
    }
    let rows_per_block = numbers::rows_per_block(layout.width);
    let mut columns: Vec<BlockColumn> = layout
        .numeric
        .iter()
        .map(|_| BlockColumn {
            values: Vec::new(),
            integers: Some(Vec::new()),
            segments: vec![(Cascade::default(), false)],
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        })
        .collect();
    let mut row = rows_before;
    let mut rows = 0;
    let mut fields = Fields::default();
    let mut at = Position::start(line);
    loop {
        fields.clear();
        let record = tokenizer::next_record(block, layout.separator, &mut at, &mut fields)
            .map_err(|open| LayoutError::UnclosedQuote { line: open.line })?;
        let Next::Record { line } = record else {
            return Ok(ExactBlock { columns, rows });
        };
        rows += 1;
        layout.check_width(line, fields.len())?;
        for (column, &position) in columns.iter_mut().zip(&layout.numeric) {
            let field = fields.get(position).unwrap_or_default();
            let token = numbers::classify(field);
            let segment = &mut column.segments.last_mut().expect("a segment").0;
            segment.add(token, field, line);
            column.values.push(match token {
                Token::Number(value, _) => {
                    column.count += 1;
                    column.min = column.min.min(value);
                    column.max = column.max.max(value);
                    value
                }
                Token::Missing | Token::Text => f64::NAN,
            });
            if let Some(integers) = &mut column.integers {
                match (token, numbers::parse_int64(field)) {
                    (Token::Number(_, Integer::Int64), Some(integer)) => integers.push(integer),
                    _ => column.integers = None,
                }
            }
        }
        if let Some(row) = &mut row {
            *row += 1;
            if *row % rows_per_block == 0 {
                for column in &mut columns {
                    column.segments.last_mut().expect("a segment").1 = true;
                    column.segments.push((Cascade::default(), false));
                }
            }
        }
    }
}

/// The candidate columns of a file, taken block by block in order: their
/// values spooled, their types decided as pandas decides them.
pub struct ExactReader<'a> {
    layout: &'a Layout,
    columns: Vec<ReadColumn>,
    /// Bytes of values held in memory before every column is spilled.
    allowance: usize,
}

/// One candidate column as it is read.
struct ReadColumn {
    values: Spool<f64>,
    integers: Option<Spool<i64>>,
    /// The cascade of the pandas block of rows being read.
    open: Cascade,
    /// The tokens of every block of rows so far, as one cascade (for the
    /// check that cutting the rows did not matter).
    whole: Cascade,
    dtype: Option<Dtype>,
    not_numeric: Option<NotNumeric>,
    count: usize,
    min: f64,
    max: f64,
}

/// What reading found: the numeric columns, the candidates that turned out
/// not numeric (with their position), and whether the blocks' rows must be
/// counted for pandas' types (see [`ExactReader::finish`]).
#[derive(Default)]
pub struct ReadColumns {
    pub numeric: Vec<SpooledColumn>,
    pub not_numeric: Vec<(usize, NotNumeric)>,
    pub needs_counted_rows: bool,
}

impl<'a> ExactReader<'a> {
    /// A reader of `layout`'s candidates that holds at most `allowance`
    /// bytes of values in memory.
    pub fn new(layout: &'a Layout, allowance: usize) -> Self {
        let columns = layout
            .numeric
            .iter()
            .map(|_| ReadColumn {
                values: Spool::default(),
                integers: Some(Spool::default()),
                open: Cascade::default(),
                whole: Cascade::default(),
                dtype: None,
                not_numeric: None,
                count: 0,
                min: f64::INFINITY,
                max: f64::NEG_INFINITY,
            })
            .collect();
        ExactReader {
            layout,
            columns,
            allowance,
        }
    }

    /// Takes the next block of the file, read with its lines counted from 1,
    /// which starts on `line`; returns the line the block after it starts on.
    ///
    /// # Errors
    /// When pandas fails the block (its line placed), or the values cannot
    /// be spilled (a full disk).
    pub fn take_unplaced(&mut self, block: UnplacedBlock, line: u64) -> Result<u64, FileError> {
        let shift = line - 1;
        let mut parsed = block.parsed.map_err(|error| error.shifted(shift))?;
        for column in &mut parsed.columns {
            for (segment, _) in &mut column.segments {
                segment.shift_lines(shift);
            }
        }
        self.take(parsed)?;
        Ok(line + block.line_ends)
    }

    /// Takes the next block of the file.
    ///
    /// # Errors
    /// When the values cannot be spilled (a full disk).
    pub fn take(&mut self, block: ExactBlock) -> io::Result<()> {
        for (column, read) in self.columns.iter_mut().zip(block.columns) {
            if column.not_numeric.is_some() {
                continue;
            }
            column.count += read.count;
            column.min = column.min.min(read.min);
            column.max = column.max.max(read.max);
            column.values.extend(&read.values)?;
            match (&mut column.integers, read.integers) {
                (Some(spool), Some(integers)) => spool.extend(&integers)?,
                (integers, _) => *integers = None,
            }
            for (segment, ends) in read.segments {
                column.whole.merge(segment.clone());
                column.open.merge(segment);
                if ends {
                    column.end_rows_block();
                }
            }
        }
        let held: usize = self
            .columns
            .iter()
            .map(|c| c.values.held_bytes() + c.integers.as_ref().map_or(0, Spool::held_bytes))
            .sum();
        if held > self.allowance {
            for column in &mut self.columns {
                column.values.spill()?;
                if let Some(integers) = &mut column.integers {
                    integers.spill()?;
                }
            }
        }
        Ok(())
    }

    /// The columns read. `needs_counted_rows` is set when the blocks' first
    /// rows were not known and a column holds integers too wide for int64:
    /// its type may then depend on pandas' blocks of rows, so the file must
    /// be read again with them counted.
    ///
    /// # Errors
    /// When the spilled values cannot be written.
    pub fn finish(self, rows_counted: bool) -> io::Result<ReadColumns> {
        let mut numeric = Vec::new();
        let mut not_numeric = Vec::new();
        let mut needs_counted_rows = false;
        for (mut column, &position) in self.columns.into_iter().zip(&self.layout.numeric) {
            column.end_rows_block();
            needs_counted_rows |= !rows_counted && column.whole.saw_wide_integers();
            match (column.not_numeric, column.dtype) {
                (Some(reason), _) => not_numeric.push((position, reason)),
                (None, dtype) => {
                    // No rows at all: pandas reads the column as float (count 0).
                    let dtype = dtype.unwrap_or(Dtype::Float64);
                    let integers = column.integers.filter(|_| dtype == Dtype::Int64);
                    numeric.push(SpooledColumn {
                        name: self.layout.names[position].clone(),
                        values: column.values.finish()?,
                        integers: integers.map(Spool::finish).transpose()?,
                        integer_kind: dtype != Dtype::Float64,
                        integer_bits: 64,
                        float32: false,
                        float16: false,
                        count: column.count,
                        min: column.min,
                        max: column.max,
                    });
                }
            }
        }
        Ok(ReadColumns {
            numeric,
            not_numeric,
            needs_counted_rows,
        })
    }
}

impl ReadColumn {
    /// Ends pandas' block of rows: a column whose block is not numeric is
    /// not numeric (pandas makes the combined column an object column).
    fn end_rows_block(&mut self) {
        let cascade = std::mem::take(&mut self.open);
        if cascade.is_empty() || self.not_numeric.is_some() {
            return;
        }
        match cascade.outcome() {
            Ok(dtype) => self.dtype = Some(self.dtype.map_or(dtype, |d| d.combine(dtype))),
            Err(reason) => {
                self.not_numeric = Some(reason);
                self.values = Spool::default();
                self.integers = None;
            }
        }
    }
}

/// Reads every block of `file` in order, its rows counted, into an
/// [`ExactReader`]: the way every small file is read, and a large one whose
/// types depend on pandas' blocks of rows.
///
/// # Errors
/// When the file cannot be read, or pandas would fail it.
pub fn read_in_order(
    file: &super::body::CsvFile,
    layout: &Layout,
    allowance: usize,
) -> Result<ReadColumns, FileError> {
    let mut reader = ExactReader::new(layout, allowance);
    let mut rows = 0;
    file.for_each_block(layout.header_len, layout.body_line, |block, line| {
        let parsed = parse_block(block, line, layout, Some(rows))?;
        rows += parsed.rows;
        reader.take(parsed).map_err(FileError::Read)
    })?;
    Ok(reader.finish(true)?)
}
