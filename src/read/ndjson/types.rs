//! The type pandas' `read_json(lines=True)` gives each column: the DataFrame constructor's inference, then `_try_convert_data`'s coercions (text to numbers, whole floats to int64, date-named columns to dates).
//!
//! Read from pandas 3.1.1 (`pandas/io/json/_json.py`) and checked against
//! it (tests/ndjson.rs runs pandas on random files):
//!
//! 1. `DataFrame(records)` types each column by the Python values in it:
//!    only integers: int64 (uint64 if one is 2^63 or more); numbers with a
//!    missing value: float64; only text (and missing values): text; only
//!    booleans: bool; any other mix: object.
//! 2. A column named like a date (`date`, `datetime`, `modified`, ending in
//!    `_at` or `_time`, starting with `timestamp`, in any case) becomes
//!    dates when its numbers are all past 1971-01-01 in seconds (and text
//!    may parse as dates): pandas describes them as times, polarsdesc not yet.
//! 3. Text and object columns are cast to float64 if every value converts
//!    as Python's `float()` converts it (`" 1_0 "` is 10.0, `True` is 1.0,
//!    `None` is NaN); a float64 or object column whose values all convert
//!    to equal int64 values (no missing one) becomes int64.

use std::borrow::Cow;

use super::decode::Value;

/// A column as pandas types it.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed<'a> {
    Int64(Vec<i64>),
    UInt64(Vec<u64>),
    /// Missing values as NaN.
    Float64(Vec<f64>),
    /// Not numeric to `describe()`; can be a key.
    Bool(Vec<bool>),
    /// Not numeric; can be a key (`None` is missing).
    Text(Vec<Option<Cow<'a, str>>>),
    /// Mixed values that are not numbers to pandas (nested ones, text with
    /// booleans...): neither described nor a key.
    Object,
    /// Dates to pandas, or (text) maybe: described by pandas as times, not
    /// yet by polarsdesc.
    Dates,
}

/// pandas' smallest epoch value (in seconds) read as a date: 365 days.
const MIN_STAMP: f64 = 31_536_000.0;

/// The type pandas gives the column `name` whose values, row by row, are
/// `values` (`Value::Null` where a row lacks the field).
pub fn pandas_type<'a>(name: &str, values: Vec<Value<'a>>) -> Typed<'a> {
    let built = Built::of(values);
    if is_date_name(name) {
        if let Some(typed) = date_conversion(&built) {
            return typed;
        }
    }
    convert(built)
}

/// What `DataFrame(records)` makes of a column.
enum Built<'a> {
    Int64(Vec<i64>),
    UInt64(Vec<u64>),
    Float64(Vec<f64>),
    Bool(Vec<bool>),
    Text(Vec<Option<Cow<'a, str>>>),
    Object(Vec<Value<'a>>),
}

impl<'a> Built<'a> {
    fn of(values: Vec<Value<'a>>) -> Built<'a> {
        let seen = |test: fn(&Value) -> bool| values.iter().any(test);
        let null = seen(|v| matches!(v, Value::Null));
        let int = seen(|v| matches!(v, Value::Int(_)));
        let negative = seen(|v| matches!(v, Value::Int(i) if *i < 0));
        let uint = seen(|v| matches!(v, Value::UInt(_)));
        let float = seen(|v| matches!(v, Value::Float(_)));
        let boolean = seen(|v| matches!(v, Value::Bool(_)));
        let text = seen(|v| matches!(v, Value::Str(_)));
        let nested = seen(|v| matches!(v, Value::Nested));
        let numbers = int || uint || float;
        if nested
            || (boolean && (null || numbers || text))
            || (text && numbers)
            || !(numbers || boolean || text)
        {
            return Built::Object(values);
        }
        if text {
            return Built::Text(values.into_iter().map(text_of).collect());
        }
        if boolean {
            return Built::Bool(
                values
                    .iter()
                    .map(|v| matches!(v, Value::Bool(true)))
                    .collect(),
            );
        }
        if !(null || float || uint) {
            return Built::Int64(
                values
                    .iter()
                    .map(|v| integer_of(v).unwrap_or(0) as i64)
                    .collect(),
            );
        }
        if !(null || float || negative) {
            return Built::UInt64(
                values
                    .iter()
                    .map(|v| integer_of(v).unwrap_or(0) as u64)
                    .collect(),
            );
        }
        Built::Float64(
            values
                .iter()
                .map(|v| python_float(v).unwrap_or(f64::NAN))
                .collect(),
        )
    }
}

fn text_of(value: Value<'_>) -> Option<Cow<'_, str>> {
    match value {
        Value::Str(text) => Some(text),
        _ => None,
    }
}

fn integer_of(value: &Value<'_>) -> Option<i128> {
    match *value {
        Value::Int(i) => Some(i128::from(i)),
        Value::UInt(u) => Some(i128::from(u)),
        _ => None,
    }
}

/// The column labels pandas gives columns named `names`: `read_json`
/// converts the labels too (`_convert_axes`), so when every name is an
/// integer (`"007"`, `"+1"`) the labels are those integers (`7`, `1`).
/// Names that are all integers past [`MIN_STAMP`] become dates to pandas,
/// and names that are all floats become floats: those are kept as written
/// (not followed yet).
pub fn pandas_labels(names: Vec<String>) -> Vec<String> {
    let integer = |name: &str| {
        let digits = name.strip_prefix(['+', '-']).unwrap_or(name);
        let plain = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        plain.then(|| name.parse::<i64>().ok()).flatten()
    };
    let integers: Option<Vec<i64>> = names.iter().map(|name| integer(name)).collect();
    match integers {
        Some(integers) if integers.iter().any(|&i| i as f64 <= MIN_STAMP) => {
            integers.iter().map(i64::to_string).collect()
        }
        _ => names,
    }
}

/// Whether pandas' `_should_convert_dates` (with `keep_default_dates`)
/// converts the column `name`.
fn is_date_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with("_at")
        || lower.ends_with("_time")
        || matches!(lower.as_str(), "modified" | "date" | "datetime")
        || lower.starts_with("timestamp")
}

/// `_try_convert_to_date` on a date-named column: `Some` when the column is
/// (or may be) dates, or is settled otherwise; `None` when it goes on to
/// the numeric coercions.
fn date_conversion<'a>(built: &Built<'a>) -> Option<Typed<'a>> {
    let is_dates = match built {
        Built::Bool(_) => false,
        Built::Int64(values) => past_min_stamp(values.iter().map(|&v| v as f64)),
        // 2^63 or more: past the nanoseconds pandas' dates count.
        Built::UInt64(_) => false,
        Built::Float64(values) => past_min_stamp(values.iter().copied()),
        Built::Object(values) if values.iter().all(|v| *v == Value::Null) => true,
        // `to_datetime` refuses booleans and nested values.
        Built::Object(values)
            if values
                .iter()
                .any(|v| matches!(v, Value::Bool(_) | Value::Nested)) =>
        {
            match object_integers(built) {
                Some(integers) => past_min_stamp(integers.iter().map(|&v| v as f64)),
                None => false,
            }
        }
        // Text is first cast to int64; what does not cast may parse as
        // dates ("2001.5" is May 2001), which is not followed here.
        Built::Text(_) | Built::Object(_) => match object_integers(built) {
            Some(integers) => past_min_stamp(integers.iter().map(|&v| v as f64)),
            None => true,
        },
    };
    is_dates.then_some(Typed::Dates)
}

/// Whether every value is missing, or past [`MIN_STAMP`] and within the
/// nanoseconds of int64: pandas reads such numbers as dates.
fn past_min_stamp(mut values: impl Iterator<Item = f64>) -> bool {
    const TWO_TO_THE_63: f64 = 9_223_372_036_854_775_808.0;
    values.all(|value| value.is_nan() || (value > MIN_STAMP && value < TWO_TO_THE_63))
}

/// `_try_convert_data`'s coercions to numbers.
fn convert(built: Built<'_>) -> Typed<'_> {
    match built {
        Built::Int64(values) => Typed::Int64(values),
        Built::UInt64(values) => Typed::UInt64(values),
        Built::Bool(values) => Typed::Bool(values),
        Built::Float64(values) => match whole_floats(&values) {
            Some(integers) => Typed::Int64(integers),
            None => Typed::Float64(values),
        },
        Built::Text(_) | Built::Object(_) => {
            let Some(floats) = object_floats(&built) else {
                return match built {
                    Built::Text(values) => Typed::Text(values),
                    _ => Typed::Object,
                };
            };
            match object_integers(&built) {
                Some(integers) if equal(&integers, &floats) => Typed::Int64(integers),
                _ => Typed::Float64(floats),
            }
        }
    }
}

/// `astype("int64")` of a float64 column, kept if every value is equal to
/// its integer (no NaN, no infinity, within int64).
fn whole_floats(values: &[f64]) -> Option<Vec<i64>> {
    values.iter().map(|&value| whole(value)).collect()
}

fn whole(value: f64) -> Option<i64> {
    const TWO_TO_THE_63: f64 = 9_223_372_036_854_775_808.0;
    (value.is_finite() && value.fract() == 0.0 && (-TWO_TO_THE_63..TWO_TO_THE_63).contains(&value))
        .then_some(value as i64)
}

/// numpy's comparison of int64 with float64 values (as float64).
fn equal(integers: &[i64], floats: &[f64]) -> bool {
    integers.iter().zip(floats).all(|(&i, &f)| i as f64 == f)
}

/// The values of a text or object column, each as Python's `float()`
/// converts it; `None` if one does not convert.
fn object_floats(built: &Built<'_>) -> Option<Vec<f64>> {
    match built {
        Built::Text(values) => values
            .iter()
            .map(|value| {
                value
                    .as_deref()
                    .map_or(Some(f64::NAN), python_float_of_text)
            })
            .collect(),
        Built::Object(values) => values.iter().map(python_float).collect(),
        _ => None,
    }
}

/// The values of a text or object column, each as numpy's `astype(int64)`
/// converts it (Python's `int()`, within int64); `None` if one does not
/// convert or is missing.
fn object_integers(built: &Built<'_>) -> Option<Vec<i64>> {
    let integer = |value: &Value<'_>| -> Option<i64> {
        match value {
            Value::Bool(b) => Some(i64::from(*b)),
            Value::Int(i) => Some(*i),
            Value::UInt(u) => i64::try_from(*u).ok(),
            Value::Float(f) => whole(f.trunc()),
            Value::Str(text) => python_int(text),
            Value::Null | Value::Nested => None,
        }
    };
    match built {
        Built::Text(values) => values
            .iter()
            .map(|v| v.as_deref().and_then(python_int))
            .collect(),
        Built::Object(values) => values.iter().map(integer).collect(),
        _ => None,
    }
}

/// Python's `float(value)` (`None` and NaN being NaN); `None` if it fails.
fn python_float(value: &Value<'_>) -> Option<f64> {
    match value {
        Value::Null => Some(f64::NAN),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Int(i) => Some(*i as f64),
        Value::UInt(u) => Some(*u as f64),
        Value::Float(f) => Some(*f),
        Value::Str(text) => python_float_of_text(text),
        Value::Nested => None,
    }
}

/// Python's whitespace (`str.isspace()`): Unicode's, and the separators
/// U+001C to U+001F.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `text` without surrounding whitespace, and without the underscores
/// Python allows between digits; `None` if an underscore is elsewhere.
fn python_number_text(text: &str) -> Option<Cow<'_, str>> {
    let text = text.trim_matches(is_python_space);
    if !text.contains('_') {
        return Some(Cow::Borrowed(text));
    }
    let bytes = text.as_bytes();
    let between_digits = |at: usize| {
        at > 0
            && bytes[at - 1].is_ascii_digit()
            && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
    };
    (0..bytes.len())
        .all(|at| bytes[at] != b'_' || between_digits(at))
        .then(|| Cow::Owned(text.replace('_', "")))
}

/// Python's `float(text)`: correctly rounded, `inf`, `infinity` and `nan`
/// in any case and with a sign.
fn python_float_of_text(text: &str) -> Option<f64> {
    let text = python_number_text(text)?;
    let digits = text.trim_start_matches(['+', '-']);
    // Rust also reads these; Python not.
    if digits.len() + 1 < text.len() || digits.is_empty() {
        return None;
    }
    text.parse().ok()
}

/// Python's `int(text)` within int64.
fn python_int(text: &str) -> Option<i64> {
    let text = python_number_text(text)?;
    let digits = text.strip_prefix(['+', '-']).unwrap_or(&text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed<'a>(name: &str, values: &[Value<'a>]) -> Typed<'a> {
        pandas_type(name, values.to_vec())
    }

    fn text(s: &str) -> Value<'_> {
        Value::Str(s.into())
    }

    /// pandas 3.1.1: `read_json` of `{"007": 1, "+2": 2.5}` has the columns
    /// `[7, 2]`; of `{"1600000000": 1, "1700000000": 2}` two Timestamps;
    /// of `{"a": 1, "007": 2}` the names as written.
    #[test]
    fn integer_names_become_pandas_integer_labels() {
        let names = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(pandas_labels(names(&["007", "+2"])), names(&["7", "2"]));
        assert_eq!(pandas_labels(names(&["-0", "12"])), names(&["0", "12"]));
        assert_eq!(pandas_labels(names(&["a", "007"])), names(&["a", "007"]));
        assert_eq!(
            pandas_labels(names(&["1600000000", "1700000000"])),
            names(&["1600000000", "1700000000"])
        );
        assert_eq!(pandas_labels(names(&[" 7", "8"])), names(&[" 7", "8"]));
        assert_eq!(pandas_labels(Vec::new()), Vec::<String>::new());
    }

    #[test]
    fn numbers_as_pandas_types_them() {
        use Value::*;
        let Typed::Float64(floats) = typed("a", &[Int(1), Null]) else {
            panic!("integers with a null are float64");
        };
        assert_eq!((floats[0], floats[1].is_nan()), (1.0, true));
        assert_eq!(
            typed("a", &[Float(1.0), Float(2.0)]),
            Typed::Int64(vec![1, 2])
        );
        assert_eq!(typed("a", &[Bool(true), Int(2)]), Typed::Int64(vec![1, 2]));
        assert_eq!(
            typed("a", &[UInt(u64::MAX), Int(2)]),
            Typed::UInt64(vec![u64::MAX, 2])
        );
        assert_eq!(
            typed("a", &[UInt(1 << 63), Int(-2)]),
            Typed::Float64(vec![9.223_372_036_854_776e18, -2.0])
        );
        assert_eq!(
            typed("a", &[Bool(true), Bool(false)]),
            Typed::Bool(vec![true, false])
        );
    }

    #[test]
    fn text_as_pandas_converts_it() {
        assert_eq!(
            typed("a", &[text(" 1 "), text("1_0")]),
            Typed::Int64(vec![1, 10])
        );
        assert_eq!(
            typed("a", &[text("1.5"), text("2")]),
            Typed::Float64(vec![1.5, 2.0])
        );
        assert_eq!(
            typed("a", &[text("1e3"), Value::Int(2)]),
            Typed::Float64(vec![1000.0, 2.0])
        );
        assert_eq!(
            typed("a", &[text(""), text("2")]),
            Typed::Text(vec![Some("".into()), Some("2".into())])
        );
        assert_eq!(typed("a", &[text("1__0"), Value::Int(2)]), Typed::Object);
        assert_eq!(typed("a", &[Value::Nested, Value::Int(2)]), Typed::Object);
    }

    #[test]
    fn date_named_columns() {
        assert_eq!(
            typed("date", &[Value::Int(5), Value::Int(2)]),
            Typed::Int64(vec![5, 2])
        );
        assert_eq!(typed("Created_At", &[Value::Int(50_000_000)]), Typed::Dates);
        // pandas tries to parse text as dates (here it fails, and pandas
        // describes 1.5): polarsdesc leaves such text out.
        assert_eq!(typed("x_at", &[text("1.5")]), Typed::Dates);
        assert_eq!(
            typed("update", &[Value::Int(50_000_000)]),
            Typed::Int64(vec![50_000_000])
        );
        // Values pandas 3.1.1 gives.
        assert_eq!(
            typed("date", &[Value::Int(50_000_000), Value::Bool(true)]),
            Typed::Int64(vec![50_000_000, 1])
        );
        assert_eq!(
            typed("date", &[Value::Int(50_000_000), text("50000001")]),
            Typed::Dates
        );
        assert_eq!(typed("date", &[Value::Null, Value::Null]), Typed::Dates);
        assert_eq!(
            typed("date", &[Value::Float(9.3e18), Value::Float(5e7)]),
            Typed::Float64(vec![9.3e18, 5e7])
        );
        assert_eq!(
            typed("date", &[Value::Float(9.2e18), Value::Float(5e7)]),
            Typed::Dates
        );
    }
}
