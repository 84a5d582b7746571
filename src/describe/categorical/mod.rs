//! pandas' `describe()` of the columns that are not numbers: count, unique, top and freq of text, boolean and category columns.
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

mod categories;
mod spill;
mod tally;

pub use categories::{CategoryCounts, CategoryPlaces};
pub use spill::PARTS as SPILL_PARTS;
pub use tally::Tally;

use super::{DescribeError, Options};
use crate::parallel::SpareCores;
use spill::Spilled;
pub use tally::MOST_ROOM;

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

impl Categorical {
    /// `top` as pandas' `describe()` gives it in a frame that describes
    /// numbers too: a Python integer `top` that fits in int64 (or, not
    /// negative, in uint64) becomes a float there (pandas builds the
    /// column's four statistics as an integer Series, then the rows of
    /// the numbers make it float64: `-5` is `-5.0`; checked with pandas
    /// 3.1.1), written as Python writes the float.
    pub fn beside_numbers(mut self) -> Self {
        let top = self.top.as_deref().filter(|_| self.values == Values::Integers);
        let fits = top
            .and_then(|top| top.parse::<i128>().ok())
            .filter(|&top| i64::try_from(top).is_ok() || u64::try_from(top).is_ok());
        if let Some(top) = fits {
            let mut text = Vec::new();
            crate::pyfloat::write_repr(top as f64, &mut text);
            self.top = Some(String::from_utf8(text).expect("a float's digits"));
        }
        self
    }
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
    /// therefore never read (see [`crate::read::csv::numbers::NotNumeric::WideIntegers`]).
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
    /// `category`: a Parquet or Arrow dictionary column (see [`CategoryCounts`]).
    Category,
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
    /// When a spilled column's distinct values need more than [`SPILL_PARTS`]
    /// times the file's share, or its parts cannot be read back.
    pub fn finish(self, spare: &SpareCores) -> Result<Vec<(u64, Categorical)>, DescribeError> {
        finish_tallies(self.tallies, self.limit, spare)
    }
}

/// The count and [`Categorical`] of each of `tallies`, in order.
fn finish_tallies(
    tallies: Vec<ColumnTally>,
    limit: usize,
    spare: &SpareCores,
) -> Result<Vec<(u64, Categorical)>, DescribeError> {
    (tallies.into_iter())
        .map(|tally| match tally {
            ColumnTally::Held(tally) => Ok(tally.finish()),
            ColumnTally::Spilled(spilled) => spilled.finish(limit, spare),
        })
        .collect()
}
