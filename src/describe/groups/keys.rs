//! The key columns of `--by`, read row by row: each column's distinct fields in order of first appearance, and each row's field among them.
//!
//! Blocks are read on every core (`CsvFile::fold_blocks`), each into
//! fields of its own, and taken in order: a block's distinct fields are
//! looked up once in the file's, and its rows renumbered.

use polars::prelude::{Column, DataType};

use super::values::{KeyType, KeyValue, TimeUnit};
use crate::describe::body::CsvFile;
use crate::describe::large::spool::{Spool, Spooled};
use crate::describe::layout::{first_invalid_utf8_line, Layout, LayoutError};
use crate::describe::{rows, tokenizer, FileError, Options};
use crate::parallel::SpareCores;

/// One key column of a whole file: its distinct fields, and each row's
/// index among them, spooled (held up to the file's share, then in a
/// temporary file), so that a long file's rows do not fill memory.
pub struct ReadKey {
    pub distinct: Distinct,
    pub rows: Spooled<u32>,
}

/// One key column's fields in a block (or a table in memory): the distinct
/// ones, and each row's.
#[derive(Default)]
pub struct KeyFields {
    pub distinct: Distinct,
    /// For each record, its field's index in `distinct`.
    pub rows: Vec<u32>,
}

/// Distinct fields in order of first appearance: their bytes one after
/// another in one buffer, and a table of their ids by hash (no allocation
/// per field: a long table has millions).
#[derive(Default)]
pub struct Distinct {
    index: hashbrown::HashTable<u32>,
    bytes: Vec<u8>,
    /// Where each field ends in `bytes`.
    ends: Vec<usize>,
    /// The index of the field seen last: a long table's keys come in runs
    /// (one label's rows after another's), so most rows repeat it.
    last: u32,
    hasher: foldhash::fast::FixedState,
}

impl KeyFields {
    /// Adds a row whose field is `field`.
    pub fn push(&mut self, field: &[u8]) {
        let id = self.distinct.id(field);
        self.rows.push(id);
    }
}

impl Distinct {
    /// The field `id`.
    fn field(&self, id: u32) -> &[u8] {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.bytes[start..self.ends[id]]
    }

    /// The index of `field`, added if new.
    fn id(&mut self, field: &[u8]) -> u32 {
        if (self.last as usize) < self.ends.len() && self.field(self.last) == field {
            return self.last;
        }
        let hash = std::hash::BuildHasher::hash_one(&self.hasher, field);
        let (bytes, ends) = (&self.bytes, &self.ends);
        let field_of = |id: u32| {
            let id = id as usize;
            let start = if id == 0 { 0 } else { ends[id - 1] };
            &bytes[start..ends[id]]
        };
        if let Some(&id) = self.index.find(hash, |&id| field_of(id) == field) {
            self.last = id;
            return id;
        }
        let id = u32::try_from(self.ends.len()).expect("fewer than 2^32 distinct keys");
        self.bytes.extend_from_slice(field);
        self.ends.push(self.bytes.len());
        let (bytes, ends, hasher) = (&self.bytes, &self.ends, &self.hasher);
        self.index.insert_unique(hash, id, |&id| {
            let id = id as usize;
            let start = if id == 0 { 0 } else { ends[id - 1] };
            std::hash::BuildHasher::hash_one(hasher, &bytes[start..ends[id]])
        });
        self.last = id;
        id
    }

    /// How many distinct fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The distinct fields, in order of first appearance.
    pub fn fields(&self) -> Vec<&[u8]> {
        (0..self.ends.len() as u32)
            .map(|id| self.field(id))
            .collect()
    }
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

/// A key column of a table Polars reads, batch by batch: its fields, and
/// then its type as pandas' reader types it (integers with a missing value
/// become floats, which only the whole column tells).
pub struct PolarsKey {
    raw: RawKey,
    distinct: Distinct,
    rows: Spool<u32>,
    nulls: bool,
    held_rows: usize,
}

/// How a key column's values are held while it is read.
#[derive(Clone, Copy, PartialEq)]
enum RawKey {
    /// Signed integers, and unsigned ones below 64 bits: i64.
    Int,
    UInt64,
    Float,
    Boolean,
    /// Text, or a column of nulls only.
    Text,
    /// Times of a unit: i64.
    Datetime(TimeUnit),
    /// Dates: i32 days.
    Date,
    /// Decimals of a scale: i128.
    Decimal(u8),
}

impl PolarsKey {
    /// A key column named `name`, of type `dtype`.
    ///
    /// # Errors
    /// When the type is not grouped (dates, times, lists, ...).
    pub fn new(name: &str, dtype: &DataType) -> Result<PolarsKey, FileError> {
        let raw = match dtype {
            DataType::UInt64 => RawKey::UInt64,
            integer if integer.is_integer() => RawKey::Int,
            float if float.is_float() => RawKey::Float,
            DataType::Boolean => RawKey::Boolean,
            DataType::String | DataType::Null => RawKey::Text,
            DataType::Datetime(unit, None) => RawKey::Datetime(match unit {
                polars::prelude::TimeUnit::Nanoseconds => TimeUnit::Nanoseconds,
                polars::prelude::TimeUnit::Microseconds => TimeUnit::Microseconds,
                polars::prelude::TimeUnit::Milliseconds => TimeUnit::Milliseconds,
            }),
            DataType::Date => RawKey::Date,
            DataType::Decimal(_, scale) => RawKey::Decimal(*scale as u8),
            other => {
                return Err(FileError::KeyType {
                    column: name.to_string(),
                    dtype: format!("a column of {other}"),
                })
            }
        };
        Ok(PolarsKey {
            raw,
            distinct: Distinct::default(),
            rows: Spool::default(),
            nulls: false,
            held_rows: usize::MAX,
        })
    }

    /// Adds the next rows' keys, `column`, spilling the rows past `held_rows`.
    ///
    /// # Errors
    /// When the column is not of the key's type, or the spill cannot be written.
    pub fn push(&mut self, column: &Column, held_rows: usize) -> Result<(), FileError> {
        let series = column.as_materialized_series();
        self.nulls |= series.null_count() > 0;
        self.held_rows = held_rows;
        let mut fields = KeyFields {
            distinct: std::mem::take(&mut self.distinct),
            rows: Vec::with_capacity(series.len()),
        };
        match self.raw {
            _ if *series.dtype() == DataType::Null => {
                (0..series.len()).for_each(|_| fields.push(b""));
            }
            RawKey::Int => {
                let cast = series.cast(&DataType::Int64)?;
                for value in cast.i64()?.iter() {
                    match value {
                        Some(value) => fields.push(&value.to_le_bytes()),
                        None => fields.push(b""),
                    }
                }
            }
            RawKey::UInt64 => {
                for value in series.u64()?.iter() {
                    match value {
                        Some(value) => fields.push(&value.to_le_bytes()),
                        None => fields.push(b""),
                    }
                }
            }
            RawKey::Float => {
                let cast = series.cast(&DataType::Float64)?;
                for value in cast.f64()?.iter() {
                    match value.filter(|v| !v.is_nan()) {
                        Some(value) => fields.push(&value.to_bits().to_le_bytes()),
                        None => fields.push(b""),
                    }
                }
            }
            RawKey::Boolean => {
                for value in series.bool()?.iter() {
                    fields.push(value.map_or(&b""[..], |v| if v { b"1" } else { b"0" }));
                }
            }
            RawKey::Datetime(_) | RawKey::Date => {
                let physical = series.to_physical_repr();
                let counts = physical.cast(&DataType::Int64)?;
                for value in counts.i64()?.iter() {
                    match value {
                        Some(value) => fields.push(&value.to_le_bytes()),
                        None => fields.push(b""),
                    }
                }
            }
            RawKey::Decimal(_) => {
                let physical = series.to_physical_repr();
                for value in physical.i128()?.iter() {
                    match value {
                        Some(value) => fields.push(&value.to_le_bytes()),
                        None => fields.push(b""),
                    }
                }
            }
            RawKey::Text => {
                // A leading byte tells the empty string (a key) from a missing one.
                let mut field = Vec::new();
                for value in series.str()?.iter() {
                    field.clear();
                    if let Some(value) = value {
                        field.push(b'=');
                        field.extend_from_slice(value.as_bytes());
                    }
                    fields.push(&field);
                }
            }
        }
        self.distinct = fields.distinct;
        self.rows.extend(&fields.rows)?;
        if self.rows.len() > held_rows {
            self.rows.spill()?;
        }
        Ok(())
    }

    /// The column's keys, their type and their values.
    ///
    /// # Errors
    /// When the spilled rows cannot be written or read back.
    pub fn finish(self) -> Result<(ReadKey, KeyType, Vec<Option<KeyValue>>), FileError> {
        let key_type = match self.raw {
            RawKey::Int | RawKey::UInt64 if self.nulls => KeyType::Float64,
            RawKey::Int => KeyType::Int64,
            RawKey::UInt64 => KeyType::UInt64,
            RawKey::Float => KeyType::Float64,
            RawKey::Boolean => KeyType::Boolean,
            RawKey::Text => KeyType::String,
            RawKey::Datetime(unit) => KeyType::Datetime(unit),
            RawKey::Date => KeyType::Date,
            RawKey::Decimal(scale) => KeyType::Decimal(scale),
        };
        let mut distinct = self.distinct;
        let mut rows = self.rows.finish()?;
        if matches!(self.raw, RawKey::Int | RawKey::UInt64) && key_type == KeyType::Float64 {
            let signed = self.raw == RawKey::Int;
            (distinct, rows) = integers_as_floats(distinct, rows, signed, self.held_rows)?;
        }
        let values = (distinct.fields().into_iter())
            .map(|field| polars_key_value(field, key_type))
            .collect();
        Ok((ReadKey { distinct, rows }, key_type, values))
    }
}

/// Integer keys made float keys (pandas' type for integers with a missing
/// value): two integers that round to one float become one key.
fn integers_as_floats(
    distinct: Distinct,
    rows: Spooled<u32>,
    signed: bool,
    held_rows: usize,
) -> Result<(Distinct, Spooled<u32>), FileError> {
    let mut floats = Distinct::default();
    let renumbered: Vec<u32> = (distinct.fields().into_iter())
        .map(|field| {
            if field.is_empty() {
                return floats.id(b"");
            }
            let bytes = <[u8; 8]>::try_from(field).expect("8 bytes");
            let value = if signed {
                i64::from_le_bytes(bytes) as f64
            } else {
                u64::from_le_bytes(bytes) as f64
            };
            floats.id(&value.to_bits().to_le_bytes())
        })
        .collect();
    if renumbered
        .iter()
        .enumerate()
        .all(|(old, &new)| old as u32 == new)
    {
        return Ok((floats, rows));
    }
    let mut merged = Spool::default();
    for chunk in rows.chunks() {
        let chunk = chunk?;
        let ids: Vec<u32> = chunk.iter().map(|&id| renumbered[id as usize]).collect();
        merged.extend(&ids)?;
        if merged.len() > held_rows {
            merged.spill()?;
        }
    }
    Ok((floats, merged.finish()?))
}

/// The value of a field [`PolarsKey`] made; `None` when missing.
fn polars_key_value(field: &[u8], key_type: KeyType) -> Option<KeyValue> {
    if field.is_empty() {
        return None;
    }
    let bytes = || <[u8; 8]>::try_from(field).expect("8 bytes");
    Some(match key_type {
        KeyType::Datetime(_) => KeyValue::Datetime(i64::from_le_bytes(bytes())),
        KeyType::Date => KeyValue::Date(i64::from_le_bytes(bytes()) as i32),
        KeyType::Decimal(_) => {
            KeyValue::Decimal(i128::from_le_bytes(field.try_into().expect("16 bytes")))
        }
        KeyType::Int64 => KeyValue::Int(i64::from_le_bytes(bytes())),
        KeyType::UInt64 => KeyValue::UInt(u64::from_le_bytes(bytes())),
        KeyType::Float64 => KeyValue::Float(f64::from_bits(u64::from_le_bytes(bytes()))),
        KeyType::Boolean => KeyValue::Bool(field == b"1"),
        KeyType::String => KeyValue::Text(String::from_utf8_lossy(&field[1..]).into_owned()),
    })
}
