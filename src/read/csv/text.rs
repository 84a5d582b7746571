//! A CSV file's text and bool columns, read block by block (on every core when large) and handed to `describe::categorical`'s tallies in order.
//!
//! pandas' CSV rules for these fields live here: a missing value is one of
//! `read_csv`'s spellings ([`numbers::is_missing`]) unless the column is read
//! literally, and Python integers are counted by value (`+05` is `5`).

use super::body::CsvFile;
use super::layout::{first_invalid_utf8_line, Layout, LayoutError};
use super::numbers::{is_missing, trim_ascii_space};
use super::{rows, tokenizer};
use crate::describe::categorical::{Categorical, Reading, Tally, ValueTallies, MOST_ROOM};
use crate::describe::large::texts::{SpooledText, TextSpool, MISSING};
use crate::describe::Options;
use crate::parallel::SpareCores;
use crate::read::FileError;

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
            .map(|&reading| Tally::with_room(room, reading))
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
    let mut digits = Vec::new();
    rows::for_each_field(block, layout, positions, checked, |slot, field| {
        add_field(&mut tallies[slot], field, &mut digits)
    })?;
    Ok(tallies)
}

/// Counts one CSV field of a column read as `tally` reads it: a missing
/// spelling is missing (unless read literally), a Python integer counted as
/// Python writes it; `digits` is room for that.
pub fn add_field(tally: &mut Tally, field: &[u8], digits: &mut Vec<u8>) {
    tally.add_value(pandas_value(tally.reading(), field, digits));
}

/// The value pandas holds for one CSV `field` of a column read as `reading`
/// says: `None` when missing, a Python integer as Python writes it (in
/// `digits`), or the field as written.
fn pandas_value<'a>(reading: Reading, field: &'a [u8], digits: &'a mut Vec<u8>) -> Option<&'a [u8]> {
    match reading {
        Reading::Literal => Some(field),
        _ if is_missing(field) => None,
        Reading::Integers => {
            python_integer(field, digits);
            Some(digits)
        }
        _ => Some(field),
    }
}

/// The integer `token` (pandas' number rule said it is one: blanks around
/// it, a sign, digits) written as Python writes it: no blanks, no `+`, no
/// leading zeros, `0` for `-0`.
fn python_integer(token: &[u8], digits: &mut Vec<u8>) {
    let token = trim_ascii_space(token);
    let (negative, unsigned) = match token.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, token),
    };
    let significant = match unsigned.iter().position(|&digit| digit != b'0') {
        Some(first) => &unsigned[first..],
        None => b"0".as_slice(),
    };
    digits.clear();
    if negative && significant != b"0" {
        digits.push(b'-');
    }
    digits.extend_from_slice(significant);
}

/// The `columns` of `file`, tallied: their count and [`Categorical`], in
/// the order of their positions. A large file's blocks are tallied on the
/// cores `spare` lends and combined in order. Tallies that outgrow
/// their share are spilled to temporary files ([`ValueTallies`]), and still counted exactly.
///
/// # Errors
/// When the file cannot be read, pandas would fail it (a row too wide, a
/// quote never closed, bytes that are not UTF-8), or a column's distinct
/// values need more than [`crate::describe::categorical::SPILL_PARTS`] times that memory.
pub fn describe_columns(
    file: &CsvFile,
    layout: &Layout,
    columns: &Columns,
    options: &Options,
    spare: &SpareCores,
) -> Result<Vec<(u64, Categorical)>, FileError> {
    let mut tallies = ValueTallies::new(&columns.readings, options);
    let mut line = layout.body_line;
    file.fold_blocks(
        layout.header_len,
        spare,
        options.memory.window(),
        |block| tally_block(block, layout, columns),
        |block: BlockTallies| -> Result<(), FileError> {
            let block_tallies = block.tallies.map_err(|error| error.shifted(line - 1))?;
            line += block.line_ends;
            Ok(tallies.add_batch(block_tallies)?)
        },
    )?;
    Ok(tallies.finish(spare)?)
}

/// One block's tallies and values (each column's lengths and bytes, as
/// [`TextSpool::extend`] takes them), and its line ends.
struct BlockValues {
    read: Result<(Vec<Tally>, Vec<(Vec<u32>, Vec<u8>)>), LayoutError>,
    line_ends: u64,
}

/// Tallies and keeps the fields of `columns` in every record of `block`.
fn spool_block(block: &[u8], layout: &Layout, columns: &Columns) -> BlockValues {
    let read = (|| {
        if !columns.checked {
            if let Some(line) = first_invalid_utf8_line(block, 1) {
                return Err(LayoutError::NotUtf8 { line });
            }
        }
        let room = (block.len() / 16).min(MOST_ROOM);
        let mut tallies = columns.tallies(room);
        let mut values: Vec<(Vec<u32>, Vec<u8>)> =
            columns.positions.iter().map(|_| (Vec::new(), Vec::new())).collect();
        let mut digits = Vec::new();
        rows::for_each_field(block, layout, &columns.positions, columns.checked, |slot, field| {
            let value = pandas_value(columns.readings[slot], field, &mut digits);
            tallies[slot].add_value(value);
            let (lens, bytes) = &mut values[slot];
            match value {
                Some(value) => {
                    lens.push(value.len() as u32);
                    bytes.extend_from_slice(value);
                }
                None => lens.push(MISSING),
            }
        })?;
        Ok((tallies, values))
    })();
    BlockValues {
        read,
        line_ends: if columns.checked {
            0
        } else {
            tokenizer::count_line_ends(block)
        },
    }
}

/// The `columns` of `file` for `--by`: each one's values in row order
/// (spooled past the file's share) and its count and [`Categorical`] as a
/// whole (which rule its groups'), in the order of their positions.
///
/// # Errors
/// As [`describe_columns`], or when the values cannot be spilled.
pub fn spool_columns(
    file: &CsvFile,
    layout: &Layout,
    columns: &Columns,
    options: &Options,
    spare: &SpareCores,
) -> Result<Vec<(Categorical, SpooledText)>, FileError> {
    let mut tallies = ValueTallies::new(&columns.readings, options);
    let mut spools: Vec<TextSpool> = columns.positions.iter().map(|_| TextSpool::default()).collect();
    let held = options.memory.held_values() * 4;
    let mut line = layout.body_line;
    file.fold_blocks(
        layout.header_len,
        spare,
        options.memory.window(),
        |block| spool_block(block, layout, columns),
        |block: BlockValues| -> Result<(), FileError> {
            let (block_tallies, values) = block.read.map_err(|error| error.shifted(line - 1))?;
            line += block.line_ends;
            tallies.add_batch(block_tallies)?;
            for (spool, (lens, bytes)) in spools.iter_mut().zip(values) {
                spool.extend(&lens, &bytes)?;
            }
            if spools.iter().map(TextSpool::held_bytes).sum::<usize>() > held {
                spools.iter_mut().try_for_each(TextSpool::spill)?;
            }
            Ok(())
        },
    )?;
    let whole = tallies.finish(spare)?;
    (whole.into_iter().zip(spools))
        .map(|((_, categorical), spool)| Ok((categorical, spool.finish()?)))
        .collect()
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
                add_field(&mut simple[slot], field, &mut Vec::new())
            })
            .map(|()| simple);
            if simple.is_ok() {
                // A checked block (no row too wide) is read the same without the check.
                let mut unchecked: Vec<Tally> = positions.iter().map(|_| Tally::default()).collect();
                rows::read_simple(&block, &layout, &positions, true, |slot, field| {
                    add_field(&mut unchecked[slot], field, &mut Vec::new())
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
            add_field(&mut tallies[slot], field, &mut Vec::new())
        })?;
        Ok(tallies)
    }
}

#[cfg(test)]
mod tally_tests {
    use super::*;
    use crate::describe::categorical::{TextKind, Values};

    fn tally(fields: &[&str]) -> (u64, Categorical) {
        let mut tally = Tally::default();
        let mut digits = Vec::new();
        for field in fields {
            add_field(&mut tally, field.as_bytes(), &mut digits);
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
        assert_eq!(stats.kind, TextKind::Str);
    }

    #[test]
    fn spellings_of_true_and_false_are_booleans() {
        let (_, stats) = tally(&["false", "tRuE", "TRUE", "False"]);
        assert_eq!(stats.kind, TextKind::Bool);
        assert_eq!((stats.unique, stats.top.as_deref()), (2, Some("False")));
        let (count, with_missing) = tally(&["True", "NA", "true"]);
        assert_eq!(count, 2);
        assert_eq!(with_missing.kind, TextKind::Object);
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
        first.add_value(Some(b"x"));
        let mut later = Tally::default();
        for field in ["y", "y", "x"] {
            later.add_value(Some(field.as_bytes()));
        }
        first.merge(later);
        let (count, stats) = first.finish();
        assert_eq!((count, stats.unique), (4, 2));
        assert_eq!((stats.top.as_deref(), stats.freq), (Some("x"), Some(2)));
    }

    #[test]
    fn python_integers_are_counted_by_value() {
        let mut tally = Tally::of_values(Reading::Integers);
        let mut scratch = Vec::new();
        for field in [
            "+05",
            " 5 ",
            "-0",
            "0",
            "-00012",
            "",
            "123456789012345678901234567890",
        ] {
            add_field(&mut tally, field.as_bytes(), &mut scratch);
        }
        let (count, stats) = tally.finish();
        assert_eq!((count, stats.unique), (6, 4));
        assert_eq!((stats.top.as_deref(), stats.freq), (Some("5"), Some(2)));
        assert_eq!(stats.values, Values::Integers);
        let mut digits = Vec::new();
        python_integer(b"-00012", &mut digits);
        assert_eq!(digits, b"-12");
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
