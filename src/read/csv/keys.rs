//! The key columns of `--by` in a CSV file: read row by row, typed as `read_csv` types them, handed to `describe::groups`.
//!
//! Blocks are read on every core (`CsvFile::fold_blocks`), each into
//! fields of its own, and taken in order: a block's distinct fields are
//! looked up once in the file's, and its rows renumbered. `01` and `1` in
//! an integer column are one key (1); in a text column they are two. A
//! column of integers with a missing value is float64 to pandas, so its
//! keys are floats. Missing fields (pandas' list: empty, `NA`, `nan`, ...)
//! have no key.

use super::body::CsvFile;
use super::layout::{first_invalid_utf8_line, Layout, LayoutError};
use super::numbers::{self, Cascade, Dtype, NotNumeric, Token};
use super::{rows, tokenizer};
use crate::describe::groups::distinct::{Distinct, KeyFields, ReadKey};
use crate::describe::groups::values::{rank_values, KeyType, KeyValue, Ranked};
use crate::describe::groups::KeyRows;
use crate::describe::large::spool::Spool;
use crate::describe::Options;
use crate::parallel::SpareCores;
use crate::read::FileError;

/// Reads the key columns of a CSV file, at `key_positions` (in `--by` order).
///
/// # Errors
/// When the file cannot be read, pandas would fail it, or a key column
/// holds integers too wide for 64 bits.
pub fn csv_keys(
    file: &CsvFile,
    layout: &Layout,
    key_positions: &[usize],
    options: &Options,
    spare: &SpareCores,
) -> Result<KeyRows, FileError> {
    let fields = read(file, layout, key_positions, options, spare)?;
    let mut ranked = Vec::with_capacity(fields.len());
    for (column, name) in fields.iter().zip(&options.by) {
        let ranks = rank(&column.distinct.fields()).map_err(|WideKey| FileError::WideKey {
            column: name.clone(),
        })?;
        ranked.push(ranks);
    }
    Ok(KeyRows::new(fields, ranked))
}

/// One block's key fields, and its line ends (to place an error's line).
struct BlockKeys {
    columns: Result<Vec<KeyFields>, LayoutError>,
    line_ends: u64,
}

/// Reads the fields at `positions` (in any order) of every record of `file`.
///
/// # Errors
/// When the file cannot be read, or pandas would fail it (a row too wide, a
/// quote never closed, bytes that are not UTF-8), with the line; or the
/// rows cannot be spilled.
pub fn read(
    file: &CsvFile,
    layout: &Layout,
    positions: &[usize],
    options: &Options,
    spare: &SpareCores,
) -> Result<Vec<ReadKey>, FileError> {
    // Records are read left to right: the positions in order, then the
    // columns put back in the order asked for.
    let mut ascending = positions.to_vec();
    ascending.sort_unstable();
    let read = read_ascending(file, layout, &ascending, options, spare)?;
    let mut read: Vec<Option<ReadKey>> = read.into_iter().map(Some).collect();
    Ok(positions
        .iter()
        .map(|position| {
            let slot = ascending
                .binary_search(position)
                .expect("a position asked for");
            read[slot].take().expect("positions are distinct")
        })
        .collect())
}

/// [`read`], with `positions` ascending.
fn read_ascending(
    file: &CsvFile,
    layout: &Layout,
    positions: &[usize],
    options: &Options,
    spare: &SpareCores,
) -> Result<Vec<ReadKey>, FileError> {
    let mut columns: Vec<(Distinct, Spool<u32>)> = positions
        .iter()
        .map(|_| (Distinct::default(), Spool::default()))
        .collect();
    let held_rows = options.memory.held_values();
    let mut line = layout.body_line;
    file.fold_blocks(
        layout.header_len,
        spare,
        options.memory.window(),
        |block| BlockKeys {
            columns: read_block(block, layout, positions),
            line_ends: tokenizer::count_line_ends(block),
        },
        |block: BlockKeys| -> Result<(), FileError> {
            let block_columns = block.columns.map_err(|error| error.shifted(line - 1))?;
            line += block.line_ends;
            for ((distinct, rows), later) in columns.iter_mut().zip(block_columns) {
                let renumbered: Vec<u32> = (0..later.distinct.len() as u32)
                    .map(|id| distinct.id(later.distinct.field(id)))
                    .collect();
                let ids: Vec<u32> = (later.rows.iter())
                    .map(|&id| renumbered[id as usize])
                    .collect();
                rows.extend(&ids)?;
                if rows.len() > held_rows {
                    rows.spill()?;
                }
            }
            Ok(())
        },
    )?;
    (columns.into_iter())
        .map(|(distinct, rows)| {
            Ok(ReadKey {
                distinct,
                rows: rows.finish()?,
            })
        })
        .collect()
}

/// The key fields of one block, whose lines are counted from 1.
fn read_block(
    block: &[u8],
    layout: &Layout,
    positions: &[usize],
) -> Result<Vec<KeyFields>, LayoutError> {
    if let Some(line) = first_invalid_utf8_line(block, 1) {
        return Err(LayoutError::NotUtf8 { line });
    }
    let mut columns: Vec<KeyFields> = positions.iter().map(|_| KeyFields::default()).collect();
    rows::for_each_field(block, layout, positions, false, |slot, field| {
        columns[slot].push(field);
    })?;
    Ok(columns)
}

/// A key column pandas reads as integers too wide for 64 bits (Python
/// integers, or text): not grouped (see [`FileError::WideKey`]).
#[derive(Debug)]
pub struct WideKey;

/// Whether `field` is a spelling of true or false to pandas (any case).
fn boolean(field: &[u8]) -> Option<bool> {
    if field.eq_ignore_ascii_case(b"true") {
        Some(true)
    } else if field.eq_ignore_ascii_case(b"false") {
        Some(false)
    } else {
        None
    }
}

/// pandas' type of a column whose distinct fields are `fields`.
///
/// # Errors
/// When pandas reads them as integers too wide for 64 bits.
pub fn key_type(fields: &[&[u8]]) -> Result<KeyType, WideKey> {
    let present = fields.iter().filter(|f| !numbers::is_missing(f));
    let mut present = present.peekable();
    if present.peek().is_some() && present.all(|f| boolean(f).is_some()) {
        // bool, or object holding booleans when some are missing: the
        // missing ones are left out, so the keys are booleans either way.
        return Ok(KeyType::Boolean);
    }
    let mut cascade = Cascade::default();
    for field in fields {
        cascade.add(numbers::classify(field), field, 0);
    }
    match cascade.outcome() {
        Ok(Dtype::Int64) => Ok(KeyType::Int64),
        Ok(Dtype::UInt64) => Ok(KeyType::UInt64),
        Ok(Dtype::Float64) => Ok(KeyType::Float64),
        Err(NotNumeric::Text { .. }) => Ok(KeyType::String),
        Err(NotNumeric::WideIntegers { .. }) => Err(WideKey),
    }
}

/// The value of `field` in a key column of type `key_type`; `None` when
/// it is missing.
pub fn key_value(field: &[u8], key_type: KeyType) -> Option<KeyValue> {
    if numbers::is_missing(field) {
        return None;
    }
    let trimmed = field.trim_ascii();
    Some(match key_type {
        KeyType::Boolean => KeyValue::Bool(boolean(field)?),
        KeyType::Int64 => KeyValue::Int(numbers::parse_int64(field)?),
        KeyType::UInt64 => {
            let digits = trimmed.strip_prefix(b"+").unwrap_or(trimmed);
            KeyValue::UInt(std::str::from_utf8(digits).ok()?.parse().ok()?)
        }
        KeyType::Float64 => match numbers::classify(field) {
            Token::Number(value, _) => KeyValue::Float(value),
            Token::Missing | Token::Text => return None,
        },
        KeyType::String => KeyValue::Text(String::from_utf8_lossy(field).into_owned()),
        // A CSV file's fields are never typed so (read_csv keeps them text).
        KeyType::Datetime(_) | KeyType::Date | KeyType::Decimal(_) => return None,
    })
}

/// Ranks the distinct `fields` of a key column (see [`Ranked`]). Fields
/// with equal values (`1`, `01`, `+1` as integers) share a rank, shown as
/// the first of them in the file.
///
/// # Errors
/// As [`key_type`].
pub fn rank(fields: &[&[u8]]) -> Result<Ranked, WideKey> {
    let key_type = key_type(fields)?;
    let values: Vec<Option<KeyValue>> = fields.iter().map(|f| key_value(f, key_type)).collect();
    Ok(rank_values(key_type, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(values: &[&'a str]) -> Vec<&'a [u8]> {
        values.iter().map(|v| v.as_bytes()).collect()
    }

    fn ranked(values: &[&str]) -> (KeyType, Vec<Option<u32>>, Vec<String>) {
        let ranked = rank(&fields(values)).unwrap();
        let shown = ranked
            .values
            .iter()
            .map(|value| value.to_python_string(ranked.key_type))
            .collect();
        (ranked.key_type, ranked.rank_of_field, shown)
    }

    #[test]
    fn integer_keys_are_grouped_by_value() {
        let (key_type, ranks, shown) = ranked(&["10", "01", "1", "+1", "-3"]);
        assert_eq!(key_type, KeyType::Int64);
        assert_eq!(ranks, [Some(2), Some(1), Some(1), Some(1), Some(0)]);
        assert_eq!(shown, ["-3", "1", "10"]);
    }

    #[test]
    fn integers_with_a_missing_value_are_floats() {
        let (key_type, ranks, shown) = ranked(&["2", "NA", "1", ""]);
        assert_eq!(key_type, KeyType::Float64);
        assert_eq!(ranks, [Some(1), None, Some(0), None]);
        assert_eq!(shown, ["1.0", "2.0"]);
    }

    #[test]
    fn text_keys_are_kept_as_written_and_sorted_by_code_point() {
        let (key_type, ranks, shown) = ranked(&["b", "01", "1", "B", "é", "n/a"]);
        assert_eq!(key_type, KeyType::String);
        assert_eq!(ranks, [Some(3), Some(0), Some(1), Some(2), Some(4), None]);
        assert_eq!(shown, ["01", "1", "B", "b", "é"]);
    }

    #[test]
    fn spellings_of_true_and_false_are_boolean_keys() {
        let (key_type, ranks, shown) = ranked(&["TRUE", "false", "True", "NA"]);
        assert_eq!(key_type, KeyType::Boolean);
        assert_eq!(ranks, [Some(1), Some(0), Some(1), None]);
        assert_eq!(shown, ["False", "True"]);
    }

    #[test]
    fn keys_above_int64_are_unsigned_and_wider_ones_refused() {
        let (key_type, _, shown) = ranked(&["18446744073709551615", "1"]);
        assert_eq!(key_type, KeyType::UInt64);
        assert_eq!(shown, ["1", "18446744073709551615"]);
        assert!(rank(&fields(&["18446744073709551616", "1"])).is_err());
    }
}
