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

use std::collections::HashMap;

use super::body::CsvFile;
use super::layout::{first_invalid_utf8_line, Layout, LayoutError};
use super::numbers::is_missing;
use super::tokenizer::{self, Fields, Next, Position};
use super::{FileError, Options};
use crate::parallel::SpareCores;

/// count, unique, top and freq of a column that is not numeric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Categorical {
    /// pandas' type of the column: which `--include` selects it.
    pub kind: TextKind,
    /// Whether the values are pandas' booleans, `top` then `"True"` or
    /// `"False"` (a `bool` column, or an `object` one with missing values).
    pub booleans: bool,
    /// Distinct values, missing ones left out.
    pub unique: u64,
    /// The most frequent value (`None` when there are no values).
    pub top: Option<String>,
    /// How often `top` appears.
    pub freq: Option<u64>,
}

/// pandas' type of a column that is not numeric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// `bool`: every value a spelling of true or false, none missing.
    Bool,
    /// `object` or `str`: text, or booleans with missing values among them
    /// (`describe(include="object")` selects both).
    Text,
}

/// The distinct values of one column as it is read, in order of first
/// appearance, with how often each appears.
#[derive(Debug, Default)]
pub struct Tally {
    /// Each distinct value's place in order of first appearance.
    places: HashMap<Box<[u8]>, usize, foldhash::fast::FixedState>,
    /// How often the value at each place appears.
    counts: Vec<u64>,
    /// Values that are not missing.
    present: u64,
    /// Fields read, missing ones included.
    rows: u64,
    /// Bytes of the distinct values held.
    bytes: usize,
}

/// What one distinct value costs beyond its bytes: the map's entry and the count.
const ENTRY_BYTES: usize = 48;

impl Tally {
    /// Counts one field.
    pub fn add(&mut self, field: &[u8]) {
        self.rows += 1;
        if is_missing(field) {
            return;
        }
        self.present += 1;
        self.count(field, 1);
    }

    fn count(&mut self, value: &[u8], times: u64) {
        if let Some(&place) = self.places.get(value) {
            self.counts[place] += times;
            return;
        }
        self.places.insert(value.into(), self.counts.len());
        self.counts.push(times);
        self.bytes += value.len() + ENTRY_BYTES;
    }

    /// Adds the fields of the rows that follow this tally's.
    pub fn merge(&mut self, later: Tally) {
        self.rows += later.rows;
        self.present += later.present;
        for (value, times) in later.in_order() {
            self.count(&value, times);
        }
    }

    /// Bytes held for the distinct values.
    pub fn held_bytes(&self) -> usize {
        self.bytes
    }

    /// The distinct values and their counts, in order of first appearance.
    fn in_order(self) -> Vec<(Box<[u8]>, u64)> {
        let mut entries: Vec<(usize, Box<[u8]>)> = self
            .places
            .into_iter()
            .map(|(value, place)| (place, value))
            .collect();
        entries.sort_unstable_by_key(|&(place, _)| place);
        entries
            .into_iter()
            .map(|(place, value)| (value, self.counts[place]))
            .collect()
    }

    /// The column's statistics: its count and [`Categorical`].
    pub fn finish(self) -> (u64, Categorical) {
        let (present, rows) = (self.present, self.rows);
        let values = self.in_order();
        let booleans = booleans(&values);
        let kind = match booleans {
            Some(_) if present == rows => TextKind::Bool,
            _ => TextKind::Text,
        };
        let values: Vec<(String, u64)> = match booleans.clone() {
            Some(booleans) => booleans,
            None => values
                .into_iter()
                .map(|(value, times)| (String::from_utf8_lossy(&value).into_owned(), times))
                .collect(),
        };
        // The first of the most frequent: `max_by_key` would take the last.
        let top = values
            .iter()
            .fold(None::<&(String, u64)>, |best, entry| match best {
                Some(best) if best.1 >= entry.1 => Some(best),
                _ => Some(entry),
            });
        let categorical = Categorical {
            kind,
            booleans: booleans.is_some(),
            unique: values.len() as u64,
            top: top.map(|(value, _)| value.clone()),
            freq: top.map(|&(_, times)| times),
        };
        (present, categorical)
    }
}

/// The values as pandas' booleans (`"True"`, `"False"`, in order of first
/// appearance), if every one is a spelling of true or false; `None` for a
/// column with no values (pandas reads it as float, or as text when the
/// file has no rows).
fn booleans(values: &[(Box<[u8]>, u64)]) -> Option<Vec<(String, u64)>> {
    let mut folded: Vec<(String, u64)> = Vec::new();
    for (value, times) in values {
        let name = if value.eq_ignore_ascii_case(b"true") {
            "True"
        } else if value.eq_ignore_ascii_case(b"false") {
            "False"
        } else {
            return None;
        };
        match folded.iter_mut().find(|(seen, _)| seen == name) {
            Some((_, count)) => *count += times,
            None => folded.push((name.to_string(), *times)),
        }
    }
    (!folded.is_empty()).then_some(folded)
}

/// The tallies of one block's columns, and its line ends (to place the
/// lines of an error found in it).
struct BlockTallies {
    tallies: Result<Vec<Tally>, LayoutError>,
    line_ends: u64,
}

/// Tallies the fields at `positions` of every record of `block`, whose
/// lines are counted from 1.
fn tally_block(block: &[u8], layout: &Layout, positions: &[usize]) -> BlockTallies {
    BlockTallies {
        tallies: tally_records(block, layout, positions),
        line_ends: tokenizer::count_line_ends(block),
    }
}

fn tally_records(
    block: &[u8],
    layout: &Layout,
    positions: &[usize],
) -> Result<Vec<Tally>, LayoutError> {
    if let Some(line) = first_invalid_utf8_line(block, 1) {
        return Err(LayoutError::NotUtf8 { line });
    }
    let mut tallies: Vec<Tally> = positions.iter().map(|_| Tally::default()).collect();
    let mut fields = Fields::default();
    let mut at = Position::start(1);
    loop {
        fields.clear();
        let record = tokenizer::next_record(block, layout.separator, &mut at, &mut fields)
            .map_err(|open| LayoutError::UnclosedQuote { line: open.line })?;
        let Next::Record { line } = record else {
            return Ok(tallies);
        };
        if fields.len() > layout.width {
            return Err(LayoutError::TooManyFields {
                line,
                found: fields.len(),
                expected: layout.width,
                header: layout.width == layout.header_fields,
            });
        }
        for (tally, &position) in tallies.iter_mut().zip(positions) {
            tally.add(fields.get(position).unwrap_or_default());
        }
    }
}

/// The columns at `positions` of `file`, tallied: their count and
/// [`Categorical`], in the order of `positions`. A large file's blocks are
/// tallied on the cores `spare` lends and combined in order.
///
/// # Errors
/// When the file cannot be read, pandas would fail it (a row too wide, a
/// quote never closed, bytes that are not UTF-8), or its distinct values
/// need more memory than the file's share of `--max-memory`.
pub fn describe_columns(
    file: &CsvFile,
    layout: &Layout,
    positions: &[usize],
    options: &Options,
    spare: &SpareCores,
) -> Result<Vec<(u64, Categorical)>, FileError> {
    let limit = options.memory.distinct_bytes();
    let mut tallies: Vec<Tally> = positions.iter().map(|_| Tally::default()).collect();
    let mut line = layout.body_line;
    file.fold_blocks(
        layout.header_len,
        spare,
        options.memory.window(),
        |block| tally_block(block, layout, positions),
        |block: BlockTallies| -> Result<(), FileError> {
            let block_tallies = block.tallies.map_err(|error| error.shifted(line - 1))?;
            line += block.line_ends;
            for (tally, later) in tallies.iter_mut().zip(block_tallies) {
                tally.merge(later);
            }
            let held: usize = tallies.iter().map(Tally::held_bytes).sum();
            if held > limit {
                return Err(FileError::TooManyDistinct { limit });
            }
            Ok(())
        },
    )?;
    Ok(tallies.into_iter().map(Tally::finish).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(fields: &[&str]) -> (u64, Categorical) {
        let mut tally = Tally::default();
        for field in fields {
            tally.add(field.as_bytes());
        }
        tally.finish()
    }

    #[test]
    fn ties_go_to_the_value_seen_first() {
        let (count, stats) = tally(&["b", "a", "a", "b", ""]);
        assert_eq!(count, 4);
        assert_eq!(stats.unique, 2);
        assert_eq!(stats.top.as_deref(), Some("b"));
        assert_eq!(stats.freq, Some(2));
        assert_eq!(stats.kind, TextKind::Text);
    }

    #[test]
    fn spellings_of_true_and_false_are_booleans() {
        let (_, stats) = tally(&["false", "tRuE", "TRUE", "False"]);
        assert_eq!(stats.kind, TextKind::Bool);
        assert_eq!((stats.unique, stats.top.as_deref()), (2, Some("False")));
        let (count, with_missing) = tally(&["True", "NA", "true"]);
        assert_eq!(count, 2);
        assert_eq!(with_missing.kind, TextKind::Text);
        assert_eq!(
            (with_missing.top.as_deref(), with_missing.freq),
            (Some("True"), Some(2))
        );
        let (_, spaced) = tally(&["True ", "False"]);
        assert_eq!((spaced.unique, spaced.top.as_deref()), (2, Some("True ")));
    }

    #[test]
    fn merging_keeps_the_order_of_first_appearance() {
        let mut first = Tally::default();
        first.add(b"x");
        let mut later = Tally::default();
        for field in ["y", "y", "x"] {
            later.add(field.as_bytes());
        }
        first.merge(later);
        let (count, stats) = first.finish();
        assert_eq!((count, stats.unique), (4, 2));
        assert_eq!((stats.top.as_deref(), stats.freq), (Some("x"), Some(2)));
    }

    #[test]
    fn a_column_without_values_has_no_top() {
        let (count, stats) = tally(&["", "NA"]);
        assert_eq!(
            (count, stats.unique, stats.top, stats.freq),
            (0, 0, None, None)
        );
    }
}
