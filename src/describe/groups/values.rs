//! Key values: pandas' types of key columns, the values written as Python writes them, and ranked in pandas' sorted order.
//!
//! A reader types a key column as pandas' reader of its format does (see
//! `crate::read::csv::keys` and `crate::read::columnar::keys`) and hands
//! over its distinct values; [`rank_values`] puts them in the order
//! `groupby` sorts them. Missing values have no key: `groupby(dropna=True)`
//! leaves their rows out.

use std::cmp::Ordering;

/// pandas' type of a key column, and so of its values in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Int64,
    UInt64,
    Float64,
    Boolean,
    /// Text (pandas' `str`, or `object` holding strings).
    String,
    /// Times (`datetime64` of the unit: Parquet and Arrow timestamps), as
    /// counts of the unit since 1970 (UTC for a time zone's).
    Datetime(TimeUnit),
    /// Dates (`object` holding `datetime.date`: Parquet and Arrow dates), as
    /// days since 1970.
    Date,
    /// Decimals of a scale (`object` holding `decimal.Decimal`), as
    /// integers of units of 10^-scale.
    Decimal(u8),
}

/// The unit of a time key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Nanoseconds,
    Microseconds,
    Milliseconds,
}

impl TimeUnit {
    /// Its name: `ns`, `us`, `ms`.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Nanoseconds => "ns",
            TimeUnit::Microseconds => "us",
            TimeUnit::Milliseconds => "ms",
        }
    }

    /// Its units in a second.
    pub fn per_second(self) -> i64 {
        match self {
            TimeUnit::Nanoseconds => 1_000_000_000,
            TimeUnit::Microseconds => 1_000_000,
            TimeUnit::Milliseconds => 1_000,
        }
    }
}

impl KeyType {
    /// Its name in records: `int64`, `uint64`, `float64`, `bool`, `str`,
    /// `datetime64[ns]` (and `us`, `ms`), `date`, `decimal(3)` (the scale).
    pub fn name(self) -> String {
        match self {
            KeyType::Int64 => "int64".into(),
            KeyType::UInt64 => "uint64".into(),
            KeyType::Float64 => "float64".into(),
            KeyType::Boolean => "bool".into(),
            KeyType::String => "str".into(),
            KeyType::Datetime(unit) => format!("datetime64[{}]", unit.name()),
            KeyType::Date => "date".into(),
            KeyType::Decimal(scale) => format!("decimal({scale})"),
        }
    }

    /// The type called `name` (see [`KeyType::name`]).
    pub fn named(name: &str) -> Option<KeyType> {
        use KeyType::*;
        let units = [
            TimeUnit::Nanoseconds,
            TimeUnit::Microseconds,
            TimeUnit::Milliseconds,
        ];
        if let Some(scale) = name
            .strip_prefix("decimal(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            return scale.parse().ok().map(Decimal);
        }
        [Int64, UInt64, Float64, Boolean, String, Date]
            .into_iter()
            .chain(units.map(Datetime))
            .find(|t| t.name() == name)
    }
}

/// One key value.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyValue {
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Text(String),
    /// A time: counts of its column's unit since 1970 (UTC).
    Datetime(i64),
    /// A date: days since 1970.
    Date(i32),
    /// A decimal: its units of 10^-scale (the column's scale).
    Decimal(i128),
}

impl KeyValue {
    /// The value as Python's `str()` writes it (`5`, `5.0`, `True`, `ab`;
    /// a time as pandas' `Timestamp` writes it, `2024-01-02 03:04:05`; a
    /// date `2024-01-02`; a decimal as `decimal.Decimal` does), given its
    /// column's type: how a key is matched by `--thresholds` patterns, and
    /// written when files disagree on a key's type.
    pub fn to_python_string(&self, key_type: KeyType) -> String {
        match (self, key_type) {
            (KeyValue::Int(value), _) => value.to_string(),
            (KeyValue::UInt(value), _) => value.to_string(),
            (KeyValue::Float(value), _) => {
                let mut text = Vec::new();
                crate::pyfloat::write_repr(*value, &mut text);
                String::from_utf8(text).expect("a float's text is ASCII")
            }
            (KeyValue::Bool(true), _) => "True".into(),
            (KeyValue::Bool(false), _) => "False".into(),
            (KeyValue::Text(text), _) => text.clone(),
            (KeyValue::Datetime(count), KeyType::Datetime(unit)) => timestamp_text(*count, unit),
            (KeyValue::Datetime(count), _) => count.to_string(),
            (KeyValue::Date(days), _) => date_text(*days),
            (KeyValue::Decimal(units), KeyType::Decimal(scale)) => decimal_text(*units, scale),
            (KeyValue::Decimal(units), _) => units.to_string(),
        }
    }

    /// A number whose order is the values' where they differ in it (equal
    /// prefixes say nothing): the first 8 bytes of text (big-endian), a
    /// number's bits made to sort as it does.
    fn sort_prefix(&self) -> u64 {
        const SIGN: u64 = 1 << 63;
        match self {
            KeyValue::Int(v) | KeyValue::Datetime(v) => (*v as u64) ^ SIGN,
            KeyValue::Date(v) => (i64::from(*v) as u64) ^ SIGN,
            KeyValue::UInt(v) => *v,
            KeyValue::Float(v) => {
                // -0.0 equals 0.0: one prefix, so the first of them leads.
                let bits = if *v == 0.0 { 0 } else { v.to_bits() };
                if bits & SIGN != 0 {
                    !bits
                } else {
                    bits ^ SIGN
                }
            }
            KeyValue::Bool(v) => u64::from(*v),
            KeyValue::Text(text) => {
                let mut prefix = [0u8; 8];
                let bytes = text.as_bytes();
                let n = bytes.len().min(8);
                prefix[..n].copy_from_slice(&bytes[..n]);
                u64::from_be_bytes(prefix)
            }
            // The top 64 bits of the 128, made to sort as signed.
            KeyValue::Decimal(v) => ((*v >> 64) as i64 as u64) ^ SIGN,
        }
    }

    /// pandas' order of two values of one key column.
    fn compare(&self, other: &KeyValue) -> Ordering {
        match (self, other) {
            (KeyValue::Int(a), KeyValue::Int(b)) => a.cmp(b),
            (KeyValue::UInt(a), KeyValue::UInt(b)) => a.cmp(b),
            // Never NaN: a NaN field is missing.
            (KeyValue::Float(a), KeyValue::Float(b)) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
            (KeyValue::Bool(a), KeyValue::Bool(b)) => a.cmp(b),
            // Python compares strings by code point: UTF-8's byte order.
            (KeyValue::Text(a), KeyValue::Text(b)) => a.as_bytes().cmp(b.as_bytes()),
            (KeyValue::Datetime(a), KeyValue::Datetime(b)) => a.cmp(b),
            (KeyValue::Date(a), KeyValue::Date(b)) => a.cmp(b),
            (KeyValue::Decimal(a), KeyValue::Decimal(b)) => a.cmp(b),
            _ => unreachable!("one key column has one type"),
        }
    }
}

/// A time as pandas' `str(Timestamp)` writes it (naive, or in UTC):
/// `2024-01-02 03:04:05`, with the fraction when there is one (six digits,
/// nine when there are nanoseconds).
fn timestamp_text(count: i64, unit: TimeUnit) -> String {
    let per_second = unit.per_second();
    let (seconds, fraction) = (count.div_euclid(per_second), count.rem_euclid(per_second));
    let nanoseconds = fraction * (1_000_000_000 / per_second);
    let Some(time) = chrono::DateTime::from_timestamp(seconds, nanoseconds as u32) else {
        return count.to_string();
    };
    let whole = time.format("%Y-%m-%d %H:%M:%S").to_string();
    match nanoseconds {
        0 => whole,
        n if n % 1000 == 0 => format!("{whole}.{:06}", n / 1000),
        n => format!("{whole}.{n:09}"),
    }
}

/// A date as Python writes it: `2024-01-02`.
fn date_text(days: i32) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
    match epoch.checked_add_signed(chrono::TimeDelta::days(i64::from(days))) {
        Some(date) => date.format("%Y-%m-%d").to_string(),
        None => days.to_string(),
    }
}

/// A decimal of `units` of 10^-`scale` as Python's `str(Decimal)` writes
/// it: positional (`1.250`, `0.001`) unless its adjusted exponent is below
/// -6, then scientific (`1.23E-7`).
fn decimal_text(units: i128, scale: u8) -> String {
    let sign = if units < 0 { "-" } else { "" };
    let digits = units.unsigned_abs().to_string();
    let exponent = -i64::from(scale);
    let adjusted = exponent + digits.len() as i64 - 1;
    if adjusted < -6 {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        return format!("{sign}{first}{point}{rest}E{adjusted}");
    }
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let scale = usize::from(scale);
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    format!("{sign}{whole}.{fraction}")
}

/// A key column's distinct fields ranked: each field's rank among the
/// column's distinct values (`None` when missing), and the values in rank
/// order (pandas' sorted order).
pub struct Ranked {
    pub key_type: KeyType,
    pub rank_of_field: Vec<Option<u32>>,
    pub values: Vec<KeyValue>,
}

/// Ranks the distinct `values` (`None` where missing) of a key column of
/// type `key_type` (see [`Ranked`]).
pub fn rank_values(key_type: KeyType, values: Vec<Option<KeyValue>>) -> Ranked {
    // The values beside their place and a prefix that sorts as they do,
    // sorted together (a long table has millions of distinct keys: most
    // comparisons are settled by the prefixes, in place).
    let mut order: Vec<(u64, &KeyValue, u32)> = (values.iter().enumerate())
        .filter_map(|(field, value)| {
            let value = value.as_ref()?;
            Some((value.sort_prefix(), value, field as u32))
        })
        .collect();
    // Among equal values, the one that came first leads.
    order.sort_unstable_by(|a, b| {
        (a.0.cmp(&b.0))
            .then_with(|| a.1.compare(b.1))
            .then(a.2.cmp(&b.2))
    });
    let mut rank_of_field = vec![None; values.len()];
    let mut ranked: Vec<KeyValue> = Vec::new();
    for &(_, value, field) in &order {
        let is_new = ranked
            .last()
            .is_none_or(|last| last.compare(value) != Ordering::Equal);
        if is_new {
            ranked.push(value.clone());
        }
        rank_of_field[field as usize] = Some((ranked.len() - 1) as u32);
    }
    Ranked {
        key_type,
        rank_of_field,
        values: ranked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ranks `rank_values` gives, against a plain stable sort by
    /// `compare` (no prefixes): texts sharing long prefixes, floats of both
    /// signs and zeros, integers of both signs.
    #[test]
    fn prefixes_sort_as_the_values_do() {
        let mut state = 12345u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            state >> 33
        };
        let samples: Vec<(KeyType, Vec<Option<KeyValue>>)> = vec![
            (
                KeyType::String,
                (0..500)
                    .map(|_| {
                        Some(KeyValue::Text(
                            format!("prefix-{}", next() % 40).repeat(1 + (next() % 2) as usize),
                        ))
                    })
                    .collect(),
            ),
            (
                KeyType::Float64,
                (0..500)
                    .map(|_| {
                        Some(KeyValue::Float(
                            [-0.0, 0.0, -1.5, 2.25, f64::INFINITY, -f64::INFINITY]
                                [(next() % 6) as usize]
                                * (1 + next() % 3) as f64,
                        ))
                    })
                    .collect(),
            ),
            (
                KeyType::Int64,
                (0..500)
                    .map(|_| Some(KeyValue::Int(next() as i64 - (1 << 30))))
                    .collect(),
            ),
        ];
        for (key_type, values) in samples {
            let ranked = rank_values(key_type, values.clone());
            let mut order: Vec<usize> = (0..values.len()).collect();
            order.sort_by(|&a, &b| {
                values[a]
                    .as_ref()
                    .unwrap()
                    .compare(values[b].as_ref().unwrap())
            });
            for pair in order.windows(2) {
                let (a, b) = (ranked.rank_of_field[pair[0]], ranked.rank_of_field[pair[1]]);
                match values[pair[0]]
                    .as_ref()
                    .unwrap()
                    .compare(values[pair[1]].as_ref().unwrap())
                {
                    Ordering::Equal => assert_eq!(a, b),
                    _ => assert!(a < b, "{:?} {:?}", values[pair[0]], values[pair[1]]),
                }
            }
            // Each rank shows the value that came first (0.0 or -0.0 alike).
            for (field, value) in values.iter().enumerate() {
                let rank = ranked.rank_of_field[field].unwrap() as usize;
                let first = values.iter().position(|other| {
                    other.as_ref().unwrap().compare(value.as_ref().unwrap()) == Ordering::Equal
                });
                assert_eq!(
                    format!("{:?}", ranked.values[rank]),
                    format!("{:?}", values[first.unwrap()].as_ref().unwrap())
                );
            }
        }
    }

    #[test]
    fn times_dates_and_decimals_are_written_as_python_writes_them() {
        let time =
            |count, unit| KeyValue::Datetime(count).to_python_string(KeyType::Datetime(unit));
        assert_eq!(
            time(1_704_164_645, TimeUnit::Milliseconds),
            "1970-01-20 17:22:44.645000"
        );
        assert_eq!(
            time(1_704_164_645_000_000, TimeUnit::Microseconds),
            "2024-01-02 03:04:05"
        );
        assert_eq!(
            time(-1, TimeUnit::Nanoseconds),
            "1969-12-31 23:59:59.999999999"
        );
        assert_eq!(
            KeyValue::Date(19_724).to_python_string(KeyType::Date),
            "2024-01-02"
        );
        let decimal =
            |units, scale| KeyValue::Decimal(units).to_python_string(KeyType::Decimal(scale));
        assert_eq!(decimal(1250, 3), "1.250");
        assert_eq!(decimal(-1, 3), "-0.001");
        assert_eq!(decimal(0, 2), "0.00");
        assert_eq!(decimal(42, 0), "42");
        assert_eq!(decimal(123, 9), "1.23E-7");
        assert_eq!(decimal(1, 7), "1E-7");
        assert_eq!(decimal(1, 6), "0.000001");
        for key_type in [
            KeyType::Datetime(TimeUnit::Microseconds),
            KeyType::Date,
            KeyType::Decimal(12),
        ] {
            assert_eq!(KeyType::named(&key_type.name()), Some(key_type));
        }
    }
}
