//! A large CSV file (more than one block): read once, in blocks parsed on every core the run can lend it, each block's values taken in order into a spool per column (`describe::large`).
//!
//! Blocks are parsed by Polars where every block is plain and its values
//! ordinary (the fast path), else by pandas' own rules (`exact`), as for a
//! small file; the spools are then described by `describe::large`, in
//! memory that does not grow with the file.

use std::io;

use super::body::CsvFile;
use super::exact::{self, ReadColumns};
use super::fast::{ordinary_values, Ordinary};
use super::layout::Layout;
use super::scan::{self, BlockParser};
use crate::describe::large::column::SpooledColumn;
use crate::describe::large::spool::Spool;
use crate::describe::Options;
use crate::parallel::SpareCores;
use crate::read::FileError;

/// The numeric columns of a large file (read as a small file's would be),
/// and the candidates that turned out not numeric.
///
/// # Errors
/// When the file cannot be read, pandas would fail it, or its values cannot
/// be spilled.
pub fn read_columns(
    file: &CsvFile,
    layout: &Layout,
    options: &Options,
    spare: &SpareCores,
) -> Result<ReadColumns, FileError> {
    if let Some(numeric) = read_fast(file, layout, options, spare)? {
        return Ok(ReadColumns {
            numeric,
            not_numeric: Vec::new(),
            needs_counted_rows: false,
        });
    }
    read_exact(file, layout, options, spare)
}

/// Why the fast path stopped reading.
enum FastStop {
    /// A block needs pandas' rules: the file is read by them instead.
    NeedsExact,
    Failed(io::Error),
}

impl From<io::Error> for FastStop {
    fn from(error: io::Error) -> Self {
        FastStop::Failed(error)
    }
}

/// One numeric column, read by the fast path.
#[derive(Default)]
struct FastColumn {
    values: Spool<f64>,
    count: usize,
    min: f64,
    max: f64,
}

/// One column of one block, parsed by the fast path, with what its values
/// tell (taken on the core that parsed it).
struct FastBlock {
    values: Vec<f64>,
    count: usize,
    min: f64,
    max: f64,
}

impl FastBlock {
    fn of(values: Vec<f64>) -> Self {
        let (mut count, mut min, mut max) = (0, f64::INFINITY, f64::NEG_INFINITY);
        for &value in values.iter().filter(|v| !v.is_nan()) {
            count += 1;
            min = min.min(value);
            max = max.max(value);
        }
        FastBlock {
            values,
            count,
            min,
            max,
        }
    }
}

/// The fast path over every block: Polars parses each (first without
/// pandas' missing-value strings, then with them, as for a small file);
/// `None` as soon as one needs pandas' rules.
fn read_fast(
    file: &CsvFile,
    layout: &Layout,
    options: &Options,
    spare: &SpareCores,
) -> Result<Option<Vec<SpooledColumn>>, FileError> {
    let schema = scan::schema_of(layout, &layout.numeric);
    let parsers = [false, true].map(|pandas_nulls| {
        BlockParser::new(
            schema.clone(),
            layout.separator,
            layout.numeric.clone(),
            pandas_nulls,
        )
    });
    let [plain, with_nulls] = parsers;
    let parsers = [plain?, with_nulls?];
    let parse = |block: &[u8]| -> Option<Vec<FastBlock>> {
        for (attempt, parser) in parsers.iter().enumerate() {
            let Ok(frame) = parser.parse(block) else {
                continue;
            };
            let mut columns = Vec::with_capacity(frame.width());
            for column in frame.columns() {
                match ordinary_values(column).ok()? {
                    Ordinary::Yes(values) => columns.push(FastBlock::of(values)),
                    Ordinary::NaN if attempt == 0 => break,
                    Ordinary::NaN | Ordinary::Unusual => return None,
                }
            }
            if columns.len() == frame.width() {
                return Some(columns);
            }
        }
        None
    };
    let mut columns: Vec<FastColumn> = layout
        .numeric
        .iter()
        .map(|_| FastColumn {
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            ..FastColumn::default()
        })
        .collect();
    let allowance = options.memory.held_values() * 8;
    let consume = |parsed: Option<Vec<FastBlock>>| -> Result<(), FastStop> {
        let parsed = parsed.ok_or(FastStop::NeedsExact)?;
        for (column, block) in columns.iter_mut().zip(parsed) {
            column.count += block.count;
            column.min = column.min.min(block.min);
            column.max = column.max.max(block.max);
            column.values.extend(&block.values)?;
        }
        if columns.iter().map(|c| c.values.held_bytes()).sum::<usize>() > allowance {
            for column in columns.iter_mut() {
                column.values.spill()?;
            }
        }
        Ok(())
    };
    let folded = file.fold_blocks(
        layout.header_len,
        spare,
        options.memory.window(),
        parse,
        consume,
    );
    match folded {
        Ok(()) => {}
        Err(FastStop::NeedsExact) => return Ok(None),
        Err(FastStop::Failed(error)) => return Err(FileError::Read(error)),
    }
    let numeric = columns
        .into_iter()
        .zip(&layout.numeric)
        .map(|(column, &position)| {
            Ok(SpooledColumn {
                name: layout.names[position].clone(),
                values: column.values.finish()?,
                integers: None,
                integer_kind: false,
                integer_bits: 64,
                float32: false,
                float16: false,
                count: column.count,
                min: column.min,
                max: column.max,
            })
        })
        .collect::<io::Result<Vec<_>>>()?;
    Ok(Some(numeric))
}

/// pandas' rules over every block, blocks read at once; read again in order
/// when pandas' blocks of rows matter (integers too wide for int64).
fn read_exact(
    file: &CsvFile,
    layout: &Layout,
    options: &Options,
    spare: &SpareCores,
) -> Result<ReadColumns, FileError> {
    let allowance = options.memory.held_values() * 8;
    let mut reader = exact::ExactReader::new(layout, allowance);
    // Lines are counted on the cores that read the blocks, not by the one
    // that hands them out.
    let mut line = layout.body_line;
    file.fold_blocks(
        layout.header_len,
        spare,
        options.memory.window(),
        |block| exact::parse_unplaced(block, layout),
        |block| -> Result<(), FileError> {
            line = reader.take_unplaced(block, line)?;
            Ok(())
        },
    )?;
    let read = reader.finish(false)?;
    if read.needs_counted_rows {
        drop(read);
        return exact::read_in_order(file, layout, allowance);
    }
    Ok(read)
}
