//! pandas' `describe()` of the columns that are not numbers: count, unique, top and freq of text and boolean columns.
//!
//! pandas 3.1 reads a column as `bool` when every field is a spelling of
//! true or false (any case: `True`, `TRUE`, `tRuE`), as `object` holding
//! booleans when some are missing too, and as text (`str`) otherwise; a
//! missing value (pandas' list: empty, `NA`, `nan`, ...) is left out of
//! every statistic. `describe_categorical_1d` then takes `value_counts()`:
//! the distinct values in order of first appearance, sorted by count with a
//! stable sort, so `top` is the most frequent value and, among equally
//! frequent ones, the one that appeared first.
//!
//! The distinct values of a column are held exactly (never estimated); a
//! file whose text columns hold more distinct bytes than its share of
//! `--max-memory` allows fails with a message saying so.

mod spill;
mod tally;

pub use spill::PARTS as SPILL_PARTS;
pub use tally::Tally;

use super::body::CsvFile;
use super::layout::{first_invalid_utf8_line, Layout, LayoutError};
use super::rows;
use super::tokenizer;
use super::{FileError, Options};
use crate::parallel::SpareCores;
use spill::Spilled;
use tally::MOST_ROOM;

/// count, unique, top and freq of a column that is not numeric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Categorical {
    /// pandas' type of the column: which `--include` selects it.
    pub kind: TextKind,
    /// What the values are to pandas, and so `top`.
    pub values: Values,
    /// Distinct values, missing ones left out.
    pub unique: u64,
    /// The most frequent value (`None` when there are no values).
    pub top: Option<String>,
    /// How often `top` appears.
    pub freq: Option<u64>,
}

/// What pandas holds in a column that is not numeric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// Text (`str`): `top` as written.
    Text,
    /// Booleans (a `bool` column, or an `object` one with missing values):
    /// `top` is `"True"` or `"False"`.
    Booleans,
    /// Python integers (an `object` column of integers too wide for 64
    /// bits): `top` is the integer, written as Python writes it.
    Integers,
}

impl Values {
    /// Its name in records and for the Python package: `text`, `bool`, `int`.
    pub fn name(self) -> &'static str {
        match self {
            Values::Text => "text",
            Values::Booleans => "bool",
            Values::Integers => "int",
        }
    }

    /// The values called `name` (see [`Values::name`]).
    pub fn named(name: &str) -> Option<Values> {
        [Values::Text, Values::Booleans, Values::Integers]
            .into_iter()
            .find(|values| values.name() == name)
    }
}

/// How a column's fields are counted, as pandas holds them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reading {
    /// Text: missing values left out, the rest as written.
    #[default]
    Text,
    /// Python integers: missing values left out, the rest counted by value
    /// (`+05` and `5` are one), written as Python writes them.
    Integers,
    /// Every field as written, missing ones too: pandas' text of a column
    /// whose integers fit no integer type and whose missing values it
    /// therefore never read (see [`crate::describe::numbers::NotNumeric::WideIntegers`]).
    Literal,
    /// A typed column of strings (Parquet, Arrow, NDJSON: pandas' `str`):
    /// nulls missing, every other value as it is, never booleans.
    Strings,
}

/// pandas' type of a column that is not numeric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// `bool`: every value a spelling of true or false, none missing.
    Bool,
    /// pandas 3's `str`: text (missing values aside).
    Str,
    /// `object`: booleans with missing values among them, Python integers
    /// (`describe(include="object")` selects `str` columns too).
    Object,
}

/// The tallies of one block's columns, and its line ends (to place the
/// lines of an error found in it).
struct BlockTallies {
    tallies: Result<Vec<Tally>, LayoutError>,
    line_ends: u64,
}

/// The columns of a file that are tallied, and how.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Their positions in the record, ascending.
    pub positions: Vec<usize>,
    /// How each is counted, in the same order.
    pub readings: Vec<Reading>,
    /// Whether reading the numeric columns checked every block already as
    /// pandas would (UTF-8, no row too wide, every quote closed): then no
    /// error can come, and line ends need not be counted.
    pub checked: bool,
}

impl Columns {
    /// An empty tally for each column, with room for `room` distinct values.
    fn tallies(&self, room: usize) -> Vec<Tally> {
        (self.readings.iter())
            .map(|&reading| Tally::with_room(room).reading(reading))
            .collect()
    }
}

/// Tallies the fields of `columns` in every record of `block`, whose lines
/// are counted from 1.
fn tally_block(block: &[u8], layout: &Layout, columns: &Columns) -> BlockTallies {
    BlockTallies {
        tallies: tally_records(block, layout, columns),
        line_ends: if columns.checked {
            0
        } else {
            tokenizer::count_line_ends(block)
        },
    }
}

fn tally_records(
    block: &[u8],
    layout: &Layout,
    columns: &Columns,
) -> Result<Vec<Tally>, LayoutError> {
    let (positions, checked) = (&columns.positions, columns.checked);
    if !checked {
        if let Some(line) = first_invalid_utf8_line(block, 1) {
            return Err(LayoutError::NotUtf8 { line });
        }
    }
    // Room for a value per line (of 16 bytes or more), instead of growing
    // the table step by step.
    let room = (block.len() / 16).min(MOST_ROOM);
    let mut tallies = columns.tallies(room);
    rows::for_each_field(block, layout, positions, checked, |slot, field| {
        tallies[slot].add(field)
    })?;
    Ok(tallies)
}

/// One column's tally as the blocks come: in memory, or spilled once the
/// file's tallies outgrow their share.
enum ColumnTally {
    Held(Tally),
    Spilled(Spilled),
}

impl ColumnTally {
    fn held_bytes(&self) -> usize {
        match self {
            ColumnTally::Held(tally) => tally.held_bytes(),
            ColumnTally::Spilled(_) => 0,
        }
    }
}

/// The bytes a file's tallies hold before the largest is spilled, within its
/// share: past this, combining each block into one table costs more (its
/// memory no longer in the caches, on one core) than writing the blocks'
/// values out and counting them in parts, on every core.
const SPILL_AT: usize = 32 << 20;

/// Spills the largest held tallies until those left hold at most `limit`
/// bytes between them.
fn spill_largest(tallies: &mut [ColumnTally], limit: usize) -> std::io::Result<()> {
    while tallies.iter().map(ColumnTally::held_bytes).sum::<usize>() > limit {
        let largest = (tallies.iter_mut())
            .max_by_key(|tally| tally.held_bytes())
            .expect("a held tally");
        let ColumnTally::Held(tally) =
            std::mem::replace(largest, ColumnTally::Held(Tally::default()))
        else {
            unreachable!("only held tallies hold bytes");
        };
        *largest = ColumnTally::Spilled(Spilled::new(tally)?);
    }
    Ok(())
}

/// The columns of a typed file (Parquet, Arrow, NDJSON) that are not
/// numbers, tallied as their values come batch by batch: held within the
/// file's share, spilled past it (as a CSV file's blocks are).
pub struct ValueTallies {
    tallies: Vec<ColumnTally>,
    limit: usize,
}

impl ValueTallies {
    /// A tally for each column, each read as `readings` says.
    pub fn new(readings: &[Reading], options: &Options) -> Self {
        ValueTallies {
            tallies: (readings.iter())
                .map(|&reading| ColumnTally::Held(Tally::of_values(reading)))
                .collect(),
            limit: options.memory.distinct_bytes(),
        }
    }

    /// Adds a batch's tallies, one per column in order, of the rows that
    /// follow those added so far.
    ///
    /// # Errors
    /// When the tallies must be spilled and the temporary folder cannot take them.
    pub fn add_batch(&mut self, batch: Vec<Tally>) -> std::io::Result<()> {
        for (tally, later) in self.tallies.iter_mut().zip(batch) {
            match tally {
                ColumnTally::Held(tally) => tally.merge(later),
                ColumnTally::Spilled(spilled) => spilled.add(later)?,
            }
        }
        spill_largest(&mut self.tallies, self.limit.min(SPILL_AT))
    }

    /// Each column's count and [`Categorical`], in order.
    ///
    /// # Errors
    /// As [`describe_columns`], for the spilled columns.
    pub fn finish(self, spare: &SpareCores) -> Result<Vec<(u64, Categorical)>, FileError> {
        finish_tallies(self.tallies, self.limit, spare)
    }
}

/// The count and [`Categorical`] of each of `tallies`, in order.
fn finish_tallies(
    tallies: Vec<ColumnTally>,
    limit: usize,
    spare: &SpareCores,
) -> Result<Vec<(u64, Categorical)>, FileError> {
    (tallies.into_iter())
        .map(|tally| match tally {
            ColumnTally::Held(tally) => Ok(tally.finish()),
            ColumnTally::Spilled(spilled) => spilled.finish(limit, spare),
        })
        .collect()
}

/// The `columns` of `file`, tallied: their count and [`Categorical`], in
/// the order of their positions. A large file's blocks are tallied on the
/// cores `spare` lends and combined in order. Tallies that outgrow
/// [`SPILL_AT`] (or half the file's memory share, if less) are spilled to
/// temporary files (`spill`), and still counted exactly.
///
/// # Errors
/// When the file cannot be read, pandas would fail it (a row too wide, a
/// quote never closed, bytes that are not UTF-8), or a column's distinct
/// values need more than [`spill::PARTS`] times that memory.
pub fn describe_columns(
    file: &CsvFile,
    layout: &Layout,
    columns: &Columns,
    options: &Options,
    spare: &SpareCores,
) -> Result<Vec<(u64, Categorical)>, FileError> {
    let limit = options.memory.distinct_bytes();
    let mut tallies: Vec<ColumnTally> = columns
        .tallies(0)
        .into_iter()
        .map(ColumnTally::Held)
        .collect();
    let mut line = layout.body_line;
    file.fold_blocks(
        layout.header_len,
        spare,
        options.memory.window(),
        |block| tally_block(block, layout, columns),
        |block: BlockTallies| -> Result<(), FileError> {
            let block_tallies = block.tallies.map_err(|error| error.shifted(line - 1))?;
            line += block.line_ends;
            for (tally, later) in tallies.iter_mut().zip(block_tallies) {
                match tally {
                    ColumnTally::Held(tally) => tally.merge(later),
                    ColumnTally::Spilled(spilled) => spilled.add(later)?,
                }
            }
            Ok(spill_largest(&mut tallies, limit.min(SPILL_AT))?)
        },
    )?;
    finish_tallies(tallies, limit, spare)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A layout of `width` columns named by position, separated by `separator`.
    fn layout(width: usize, separator: u8) -> Layout {
        let header: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
        let header = header.join(&char::from(separator).to_string());
        super::super::layout::inspect(format!("{header}\n").as_bytes(), separator)
            .expect("a header")
    }

    /// What a tally finds: the fields it read, and its count and statistics, per column.
    fn outcome(tallies: Vec<Tally>) -> Vec<(u64, u64, Categorical)> {
        tallies
            .into_iter()
            .map(|tally| {
                let rows = tally.rows();
                let (count, stats) = tally.finish();
                (rows, count, stats)
            })
            .collect()
    }

    proptest! {
        /// The one-search reading of a simple block is the tokenizer's.
        #[test]
        fn simple_blocks_are_read_as_the_tokenizer_reads_them(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("a"), Just("b"), Just("True"), Just("false"), Just("NA"),
                    Just(","), Just(","), Just("\n"), Just("\n"), Just(" "), Just("\t"),
                    Just(";"),
                ],
                0..40,
            ),
            width in 1usize..4,
            semicolons in proptest::bool::ANY,
        ) {
            let block = pieces.concat().into_bytes();
            let separator = if semicolons { b';' } else { b',' };
            let layout = layout(width, separator);
            let positions: Vec<usize> = (0..width).collect();
            prop_assume!(rows::is_simple(&block, separator));
            let mut simple: Vec<Tally> = positions.iter().map(|_| Tally::default()).collect();
            let simple = rows::read_simple(&block, &layout, &positions, false, |slot, field| {
                simple[slot].add(field)
            })
            .map(|()| simple);
            if simple.is_ok() {
                // A checked block (no row too wide) is read the same without the check.
                let mut unchecked: Vec<Tally> = positions.iter().map(|_| Tally::default()).collect();
                rows::read_simple(&block, &layout, &positions, true, |slot, field| {
                    unchecked[slot].add(field)
                })
                .unwrap();
                let again = tally_with_tokenizer(&block, &layout, &positions).unwrap();
                prop_assert_eq!(outcome(unchecked), outcome(again));
            }
            let tokenized = tally_with_tokenizer(&block, &layout, &positions);
            match (simple, tokenized) {
                (Ok(simple), Ok(tokenized)) => prop_assert_eq!(outcome(simple), outcome(tokenized)),
                (simple, tokenized) => prop_assert_eq!(simple.err(), tokenized.err()),
            }
        }
    }

    /// [`tally_records`] with the tokenizer, whatever the block.
    fn tally_with_tokenizer(
        block: &[u8],
        layout: &Layout,
        positions: &[usize],
    ) -> Result<Vec<Tally>, LayoutError> {
        let mut tallies: Vec<Tally> = positions.iter().map(|_| Tally::default()).collect();
        rows::read_tokens(block, layout, positions, |slot, field| {
            tallies[slot].add(field)
        })?;
        Ok(tallies)
    }
}
