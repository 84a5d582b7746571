//! The key columns of `--by` in a typed file (Parquet, Arrow, NDJSON), batch by batch: typed as pandas' reader types them, handed to `describe::groups`.

use polars::prelude::{Column, DataType};

use crate::describe::groups::distinct::{Distinct, KeyFields, ReadKey};
use crate::describe::groups::values::{rank_values, KeyType, KeyValue, Ranked, TimeUnit};
use crate::describe::groups::KeyRows;
use crate::describe::large::spool::{Spool, Spooled};
use crate::read::FileError;

/// The key columns of a table Polars read whole (NDJSON), typed as pandas'
/// reader types them: integers with a missing value become floats.
///
/// # Errors
/// When a key column is of a type not grouped (dates, times, lists, ...).
pub fn polars_keys(columns: &[&polars::prelude::Column]) -> Result<KeyRows, FileError> {
    let mut keys = Vec::with_capacity(columns.len());
    for column in columns {
        let mut key = PolarsKey::new(column.name(), column.dtype())?;
        key.push(column, usize::MAX)?;
        keys.push(key);
    }
    polars_key_rows(keys)
}

/// The key columns read batch by batch (Parquet, Arrow), complete.
///
/// # Errors
/// When the spilled rows cannot be read back.
pub fn polars_key_rows(keys: Vec<PolarsKey>) -> Result<KeyRows, FileError> {
    let mut fields = Vec::with_capacity(keys.len());
    let mut ranked = Vec::with_capacity(keys.len());
    for key in keys {
        let (read, ranked_key) = key.finish_ranked()?;
        fields.push(read);
        ranked.push(ranked_key);
    }
    Ok(KeyRows::new(fields, ranked))
}

/// A key column of a table Polars reads, batch by batch: its fields, and
/// then its type as pandas' reader types it (integers with a missing value
/// become floats, which only the whole column tells).
pub struct PolarsKey {
    raw: RawKey,
    /// A category key's categories, in their order (see [`PolarsKey::category`]).
    categories: Option<Categories>,
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
    /// Categories: each value's place among them, as u64.
    Category,
}

/// A category key's categories in their order, and each one's place.
struct Categories {
    listed: Vec<String>,
    places: std::collections::HashMap<String, u64, foldhash::fast::FixedState>,
}

impl Categories {
    /// The place of `value`, added at the end if it is not listed (pyarrow
    /// appends a later dictionary's new values when it unifies them).
    fn place_of(&mut self, value: &str) -> u64 {
        if let Some(&place) = self.places.get(value) {
            return place;
        }
        let place = self.listed.len() as u64;
        self.listed.push(value.to_string());
        self.places.insert(value.to_string(), place);
        place
    }
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
            categories: None,
            distinct: Distinct::default(),
            rows: Spool::default(),
            nulls: false,
            held_rows: usize::MAX,
        })
    }

    /// A category key (pandas' `category`: a dictionary column) whose
    /// categories are `listed`, in order: `groupby` sorts its groups in
    /// that order (and, `observed=True` being pandas 3's default, makes
    /// none of the categories never seen).
    pub fn category(listed: Vec<String>) -> PolarsKey {
        let mut categories = Categories {
            listed: Vec::with_capacity(listed.len()),
            places: Default::default(),
        };
        listed.iter().for_each(|category| {
            categories.place_of(category);
        });
        PolarsKey {
            raw: RawKey::Category,
            categories: Some(categories),
            distinct: Distinct::default(),
            rows: Spool::default(),
            nulls: false,
            held_rows: usize::MAX,
        }
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
            RawKey::Category => {
                let categories = self
                    .categories
                    .as_mut()
                    .expect("a category key's categories");
                let text = series.cast(&DataType::String)?;
                for value in text.str()?.iter() {
                    match value {
                        Some(value) => fields.push(&categories.place_of(value).to_le_bytes()),
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

    /// The column's keys, and its values ranked in pandas' order.
    ///
    /// # Errors
    /// When the spilled rows cannot be written or read back.
    fn finish_ranked(mut self) -> Result<(ReadKey, Ranked), FileError> {
        let categories = self.categories.take();
        let (read, key_type, values) = self.finish()?;
        let mut ranked = rank_values(key_type, values);
        // Ranked by their places; written as the categories they are.
        if let Some(categories) = categories {
            ranked.key_type = KeyType::String;
            for value in &mut ranked.values {
                if let KeyValue::Int(place) = value {
                    *value = KeyValue::Text(categories.listed[*place as usize].clone());
                }
            }
        }
        Ok((read, ranked))
    }

    /// The column's keys, their type and their values.
    ///
    /// # Errors
    /// When the spilled rows cannot be written or read back.
    pub fn finish(self) -> Result<(ReadKey, KeyType, Vec<Option<KeyValue>>), FileError> {
        let key_type = match self.raw {
            // Places, ranked as integers (see `finish_ranked`).
            RawKey::Category => KeyType::Int64,
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
