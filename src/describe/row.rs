//! One row of a result (a column's statistics, and its group's keys with `--by`) in a compact binary form, exact to the bit.
//!
//! A row is its length (4 bytes) and then: the column's name, the count,
//! each statistic (mean, std, min, the percentiles, max; missing where
//! pandas shows NaN because it is undefined) as the bits of its float64,
//! the group's key values, and the text statistics (`unique`, `top`,
//! `freq`) of a column that is not numeric. Integers are little-endian;
//! text is its length (4 bytes) and its UTF-8 bytes. A long table has
//! millions of rows, each written once when described and read once when
//! the output is written: binary keeps both cheap.

use std::io::{self, BufRead};

use crate::describe::categorical::{Categorical, TextKind, Values};
use crate::describe::groups::{KeyType, KeyValue};
use crate::describe::ColumnStats;

/// One row: a column's statistics, with its group's key values (empty
/// without `--by`).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub stats: ColumnStats,
    pub keys: Vec<KeyValue>,
}

const MISSING: u8 = 0;
const PRESENT: u8 = 1;

/// Appends the row of `stats` in the group `keys` to `out`.
pub fn encode(stats: &ColumnStats, keys: &[KeyValue], out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    push_text(&stats.column, out);
    out.extend_from_slice(&stats.count.to_le_bytes());
    let values = [stats.mean, stats.std, stats.min]
        .into_iter()
        .chain(stats.percentiles.iter().copied())
        .chain([stats.max]);
    out.extend_from_slice(&(3 + stats.percentiles.len() as u32 + 1).to_le_bytes());
    for value in values {
        push_option(value.map(f64::to_bits), out);
    }
    out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
    for key in keys {
        match key {
            KeyValue::Int(value) => out.extend_from_slice(&value.to_le_bytes()),
            KeyValue::UInt(value) => out.extend_from_slice(&value.to_le_bytes()),
            KeyValue::Float(value) => out.extend_from_slice(&value.to_bits().to_le_bytes()),
            KeyValue::Bool(value) => out.push(u8::from(*value)),
            KeyValue::Text(text) => push_text(text, out),
            KeyValue::Datetime(value) => out.extend_from_slice(&value.to_le_bytes()),
            KeyValue::Date(value) => out.extend_from_slice(&value.to_le_bytes()),
            KeyValue::Decimal(value) => out.extend_from_slice(&value.to_le_bytes()),
        }
    }
    match &stats.categorical {
        None => out.push(MISSING),
        Some(categorical) => {
            out.push(PRESENT);
            out.push(match categorical.kind {
                TextKind::Object => 0,
                TextKind::Bool => 1,
                TextKind::Str => 2,
                TextKind::Category => 3,
            });
            out.push(match categorical.values {
                Values::Text => 0,
                Values::Booleans => 1,
                Values::Integers => 2,
            });
            out.extend_from_slice(&categorical.unique.to_le_bytes());
            match &categorical.top {
                Some(top) => {
                    out.push(PRESENT);
                    push_text(top, out);
                }
                None => out.push(MISSING),
            }
            push_option(categorical.freq, out);
        }
    }
    let length = (out.len() - start - 4) as u32;
    out[start..start + 4].copy_from_slice(&length.to_le_bytes());
}

fn push_text(text: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

fn push_option(value: Option<u64>, out: &mut Vec<u8>) {
    match value {
        Some(value) => {
            out.push(PRESENT);
            out.extend_from_slice(&value.to_le_bytes());
        }
        None => out.push(MISSING),
    }
}

/// Reads the next row from `reader` into `row_bytes` (reused between rows):
/// false at the end.
///
/// # Errors
/// When `reader` fails or ends within a row.
pub fn read_next(reader: &mut dyn BufRead, row_bytes: &mut Vec<u8>) -> io::Result<bool> {
    let mut length = [0u8; 4];
    match reader.read(&mut length[..1])? {
        0 => return Ok(false),
        _ => reader.read_exact(&mut length[1..])?,
    }
    row_bytes.resize(u32::from_le_bytes(length) as usize, 0);
    reader.read_exact(row_bytes)?;
    Ok(true)
}

/// The row whose bytes (after its length) are `bytes`, its keys of
/// `key_types`.
///
/// # Errors
/// When the bytes are not such a row (a damaged file).
pub fn decode(bytes: &[u8], key_types: &[KeyType]) -> io::Result<Row> {
    let mut at = Cursor { bytes, at: 0 };
    let column = at.text()?;
    let count = at.u64()?;
    let values = (0..at.u32()?)
        .map(|_| Ok(at.option()?.map(f64::from_bits)))
        .collect::<io::Result<Vec<Option<f64>>>>()?;
    if at.u32()? as usize != key_types.len() {
        return Err(damaged("keys of another grouping"));
    }
    let keys = (key_types.iter())
        .map(|key_type| {
            Ok(match key_type {
                KeyType::Int64 => KeyValue::Int(at.u64()? as i64),
                KeyType::UInt64 => KeyValue::UInt(at.u64()?),
                KeyType::Float64 => KeyValue::Float(f64::from_bits(at.u64()?)),
                KeyType::Boolean => KeyValue::Bool(at.byte()? != 0),
                KeyType::String => KeyValue::Text(at.text()?),
                KeyType::Datetime(_) => KeyValue::Datetime(at.u64()? as i64),
                KeyType::Date => KeyValue::Date(at.u32()? as i32),
                KeyType::Decimal(_) => KeyValue::Decimal(at.i128()?),
            })
        })
        .collect::<io::Result<Vec<KeyValue>>>()?;
    let categorical = match at.byte()? {
        MISSING => None,
        _ => Some(Categorical {
            kind: match at.byte()? {
                0 => TextKind::Object,
                1 => TextKind::Bool,
                2 => TextKind::Str,
                3 => TextKind::Category,
                _ => return Err(damaged("unknown kind")),
            },
            values: match at.byte()? {
                0 => Values::Text,
                1 => Values::Booleans,
                2 => Values::Integers,
                _ => return Err(damaged("unknown values")),
            },
            unique: at.u64()?,
            top: match at.byte()? {
                MISSING => None,
                _ => Some(at.text()?),
            },
            freq: at.option()?,
        }),
    };
    if at.at != bytes.len() || values.len() < 4 {
        return Err(damaged("not one row"));
    }
    let (&max, rest) = values.split_last().expect("four values");
    Ok(Row {
        stats: ColumnStats {
            column,
            count,
            mean: rest[0],
            std: rest[1],
            min: rest[2],
            percentiles: rest[3..].to_vec(),
            max,
            categorical,
        },
        keys,
    })
}

fn damaged(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("a damaged result row: {what}"),
    )
}

/// A row's bytes, read from the front.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> io::Result<&[u8]> {
        let piece = (self.bytes.get(self.at..self.at + n)).ok_or_else(|| damaged("cut short"))?;
        self.at += n;
        Ok(piece)
    }

    fn byte(&mut self) -> io::Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> io::Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self) -> io::Result<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn i128(&mut self) -> io::Result<i128> {
        Ok(i128::from_le_bytes(
            self.take(16)?.try_into().expect("16 bytes"),
        ))
    }

    fn option(&mut self) -> io::Result<Option<u64>> {
        match self.byte()? {
            MISSING => Ok(None),
            _ => self.u64().map(Some),
        }
    }

    fn text(&mut self) -> io::Result<String> {
        let length = self.u32()? as usize;
        let bytes = self.take(length)?.to_vec();
        String::from_utf8(bytes).map_err(|_| damaged("text that is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats() -> ColumnStats {
        ColumnStats {
            column: "x, \"y\" é".into(),
            count: 3,
            mean: Some(f64::NAN),
            std: None,
            min: Some(f64::NEG_INFINITY),
            percentiles: vec![Some(0.1 + 0.2), Some(-0.0), Some(5e-324)],
            max: Some(f64::INFINITY),
            categorical: None,
        }
    }

    fn bits(row: &ColumnStats) -> Vec<Option<u64>> {
        [row.mean, row.std, row.min]
            .into_iter()
            .chain(row.percentiles.iter().copied())
            .chain([row.max])
            .map(|v| v.map(f64::to_bits))
            .collect()
    }

    /// The rows of `bytes`, read back one by one.
    fn read_all(mut bytes: &[u8], key_types: &[KeyType]) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        while read_next(&mut bytes, &mut row).unwrap() {
            rows.push(decode(&row, key_types).unwrap());
        }
        rows
    }

    #[test]
    fn a_row_round_trips_to_the_bit() {
        let keys = vec![
            KeyValue::Float(0.1 + 0.2),
            KeyValue::Int(i64::MIN),
            KeyValue::UInt(u64::MAX),
            KeyValue::Bool(true),
            KeyValue::Text("é \"x\"\n".into()),
            KeyValue::Datetime(-1),
            KeyValue::Date(-719_162),
            KeyValue::Decimal(-(10i128.pow(37))),
        ];
        let types = [
            KeyType::Float64,
            KeyType::Int64,
            KeyType::UInt64,
            KeyType::Boolean,
            KeyType::String,
            KeyType::Datetime(crate::describe::groups::TimeUnit::Nanoseconds),
            KeyType::Date,
            KeyType::Decimal(3),
        ];
        let mut bytes = Vec::new();
        encode(&stats(), &keys, &mut bytes);
        encode(&stats(), &keys, &mut bytes);
        let rows = read_all(&bytes, &types);
        assert_eq!(rows.len(), 2);
        let row = &rows[1];
        assert_eq!(bits(&row.stats), bits(&stats()));
        assert_eq!((&row.stats.column, row.stats.count), (&stats().column, 3));
        assert!(
            matches!(row.keys[0], KeyValue::Float(v) if v.to_bits() == (0.1f64 + 0.2).to_bits())
        );
        assert_eq!(row.keys[1..], keys[1..]);
    }

    #[test]
    fn categorical_rows_round_trip() {
        for (kind, values, top, freq) in [
            (
                TextKind::Bool,
                Values::Booleans,
                Some("True".to_string()),
                Some(3),
            ),
            (TextKind::Object, Values::Integers, None, None),
            (
                TextKind::Str,
                Values::Text,
                Some("a\tb".to_string()),
                Some(1),
            ),
        ] {
            let categorical = Categorical {
                kind,
                values,
                unique: 2,
                top,
                freq,
            };
            let row = ColumnStats::categorical("flag", 4, categorical.clone(), &Default::default());
            let mut bytes = Vec::new();
            encode(&row, &[], &mut bytes);
            let back = read_all(&bytes, &[]);
            assert_eq!(back[0].stats, row);
        }
    }

    #[test]
    fn damaged_rows_are_errors() {
        let mut bytes = Vec::new();
        encode(&stats(), &[KeyValue::Int(1)], &mut bytes);
        let row = &bytes[4..];
        assert!(decode(row, &[KeyType::Int64]).is_ok());
        assert!(
            decode(&row[..row.len() - 1], &[KeyType::Int64]).is_err(),
            "cut short"
        );
        assert!(decode(row, &[]).is_err(), "keys of another grouping");
        assert!(
            decode(&[row, b"x"].concat(), &[KeyType::Int64]).is_err(),
            "more than a row"
        );
        let mut cut: &[u8] = &bytes[..bytes.len() - 3];
        assert!(
            read_next(&mut cut, &mut Vec::new()).is_err(),
            "a row cut short"
        );
    }
}
