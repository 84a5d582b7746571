//! Key values as pandas reads them: a key column's type decided by pandas' rules, each field normalized to its value, and the values ranked in pandas' sorted order.
//!
//! `01` and `1` in an integer column are one key (1); in a text column
//! they are two (`"01"`, `"1"`). A column of integers with a missing value
//! is float64 to pandas, so its keys are floats. Missing fields (pandas'
//! list: empty, `NA`, `nan`, ...) have no key: `groupby(dropna=True)`
//! leaves their rows out.

use std::cmp::Ordering;

use crate::describe::numbers::{self, Cascade, Dtype, NotNumeric, Token};

/// pandas' type of a key column, and so of its values in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Int64,
    UInt64,
    Float64,
    Boolean,
    /// Text (pandas' `str`, or `object` holding strings).
    String,
}

impl KeyType {
    /// Its name in records: `int64`, `uint64`, `float64`, `bool`, `str`.
    pub fn name(self) -> &'static str {
        match self {
            KeyType::Int64 => "int64",
            KeyType::UInt64 => "uint64",
            KeyType::Float64 => "float64",
            KeyType::Boolean => "bool",
            KeyType::String => "str",
        }
    }

    /// The type called `name` (see [`KeyType::name`]).
    pub fn named(name: &str) -> Option<KeyType> {
        use KeyType::*;
        [Int64, UInt64, Float64, Boolean, String]
            .into_iter()
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
}

impl KeyValue {
    /// The value as Python's `str()` writes it (`5`, `5.0`, `True`, `ab`):
    /// how a key is matched by `--thresholds` patterns, and written when
    /// files disagree on a key's type.
    pub fn to_python_string(&self) -> String {
        match self {
            KeyValue::Int(value) => value.to_string(),
            KeyValue::UInt(value) => value.to_string(),
            KeyValue::Float(value) => {
                let mut text = Vec::new();
                crate::generate::pyfloat::write_repr(*value, &mut text);
                String::from_utf8(text).expect("a float's text is ASCII")
            }
            KeyValue::Bool(true) => "True".into(),
            KeyValue::Bool(false) => "False".into(),
            KeyValue::Text(text) => text.clone(),
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
            _ => unreachable!("one key column has one type"),
        }
    }
}

/// A key column pandas reads as integers too wide for 64 bits (Python
/// integers, or text): not grouped (see [`super::super::FileError::WideKey`]).
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
    })
}

/// A key column's distinct fields ranked: each field's rank among the
/// column's distinct values (`None` when missing), and the values in rank
/// order (pandas' sorted order).
pub struct Ranked {
    pub key_type: KeyType,
    pub rank_of_field: Vec<Option<u32>>,
    pub values: Vec<KeyValue>,
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

/// Ranks the distinct `values` (`None` where missing) of a key column of
/// type `key_type` (see [`Ranked`]).
pub fn rank_values(key_type: KeyType, values: Vec<Option<KeyValue>>) -> Ranked {
    // The values beside their place, sorted together (a long table has
    // millions of distinct keys: no indirection in the comparisons).
    let mut order: Vec<(&KeyValue, u32)> = (values.iter().enumerate())
        .filter_map(|(field, value)| Some((value.as_ref()?, field as u32)))
        .collect();
    // Among equal values, the one that came first leads.
    order.sort_unstable_by(|a, b| a.0.compare(b.0).then(a.1.cmp(&b.1)));
    let mut rank_of_field = vec![None; values.len()];
    let mut ranked: Vec<KeyValue> = Vec::new();
    for &(value, field) in &order {
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

    fn fields<'a>(values: &[&'a str]) -> Vec<&'a [u8]> {
        values.iter().map(|v| v.as_bytes()).collect()
    }

    fn ranked(values: &[&str]) -> (KeyType, Vec<Option<u32>>, Vec<String>) {
        let ranked = rank(&fields(values)).unwrap();
        let shown = ranked
            .values
            .iter()
            .map(KeyValue::to_python_string)
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
