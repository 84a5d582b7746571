//! One line of an NDJSON file decoded as pandas' `read_json` decodes it: with its bundled ujson, whose floats are not always the nearest double.
//!
//! pandas (3.1, `precise_float=False`) parses with the ujson vendored in
//! `pandas/_libs/src/vendored/ujson/lib/ultrajsondec.c`; this follows that
//! file rule for rule where the value a column ends with depends on it:
//!
//! - an integer is accumulated in 64 unsigned bits (too wide: an error); one
//!   of 2^63 or more is unsigned, others signed;
//! - a float is `(integer + fraction * 10^-d) * sign`, of at most 15
//!   fraction digits (later ones are dropped), times `pow(10, exponent)`:
//!   `0.12345678901234567` is read as `0.12345678901234501`;
//! - `NaN` is read as `null`; `Infinity` and `-Infinity` as floats.

use std::borrow::Cow;

/// A value of a JSON object's field, as Python holds it after ujson.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`, or `NaN` (Python's `None`).
    Null,
    Bool(bool),
    /// An integer below 2^63 (Python's `int`).
    Int(i64),
    /// An integer of 2^63 or more (Python's `int`).
    UInt(u64),
    Float(f64),
    /// Borrowed from the line when it has no escapes.
    Str(Cow<'a, str>),
    /// An array or an object (Python's `list` or `dict`): never numeric.
    Nested,
}

/// Why a line is not read, in ujson's words where it has them.
pub type DecodeError = String;

/// Calls `field` with each field of the JSON object on `line` (stripped of
/// surrounding whitespace), in their order: a name given twice comes twice,
/// and its last value is the one a Python `dict` keeps.
///
/// # Errors
/// When the line is not one JSON object as ujson reads it.
pub fn object<'a>(
    line: &'a str,
    field: &mut dyn FnMut(Cow<'a, str>, Value<'a>),
) -> Result<(), DecodeError> {
    let mut decoder = Decoder {
        bytes: line.as_bytes(),
        text: line,
        at: 0,
        depth: 0,
    };
    decoder.skip_whitespace();
    if line.starts_with('\u{feff}') {
        return Err(
            "a byte-order mark (U+FEFF) before the object, which pandas' read_json does \
                    not read (save the file as UTF-8 without a BOM)"
                .into(),
        );
    }
    if decoder.peek() != Some(b'{') {
        return Err("not a JSON object (each line must hold one object)".into());
    }
    decoder.object(field)?;
    decoder.skip_whitespace();
    if decoder.at < decoder.bytes.len() {
        return Err(format!(
            "unexpected characters after the object, at character {}",
            decoder.at + 1
        ));
    }
    Ok(())
}

struct Decoder<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    /// The objects and arrays open around the decoder.
    depth: usize,
}

/// The most objects and arrays open at once in a line: pandas joins the
/// lines into one array for ujson, whose limit is 1,024 levels.
const MOST_DEPTH: usize = 1023;

impl<'a> Decoder<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// ujson's whitespace: space, tab, CR, LF.
    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.at += 1;
        }
    }

    fn error(&self, what: &str) -> DecodeError {
        format!("{what}, at character {}", self.at + 1)
    }

    fn value(&mut self) -> Result<Value<'a>, DecodeError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'"') => self.string().map(Value::Str),
            Some(b'0'..=b'9' | b'-' | b'I' | b'N') => self.number(),
            Some(b'{') => self.object(&mut |_, _| {}).map(|()| Value::Nested),
            Some(b'[') => self.array().map(|()| Value::Nested),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            _ => Err(self.error("expected a value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>, DecodeError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error(&format!("unexpected character when decoding '{word}'")))
        }
    }

    fn object(
        &mut self,
        field: &mut dyn FnMut(Cow<'a, str>, Value<'a>),
    ) -> Result<(), DecodeError> {
        self.enter()?;
        let decoded = self.object_fields(field);
        self.depth -= 1;
        decoded
    }

    /// One more object or array open.
    fn enter(&mut self) -> Result<(), DecodeError> {
        self.depth += 1;
        if self.depth > MOST_DEPTH {
            self.depth -= 1;
            return Err(self.error(
                "nested deeper than pandas' limit (1,024 levels, the list of lines included)",
            ));
        }
        Ok(())
    }

    fn object_fields(
        &mut self,
        field: &mut dyn FnMut(Cow<'a, str>, Value<'a>),
    ) -> Result<(), DecodeError> {
        self.at += 1; // '{'
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("a key of an object must be a string"));
            }
            let name = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("no ':' after a key of an object"));
            }
            self.at += 1;
            let value = self.value()?;
            field(name, value);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return Err(self.error("unexpected character in an object")),
            }
        }
    }

    fn array(&mut self) -> Result<(), DecodeError> {
        self.enter()?;
        let decoded = self.array_values();
        self.depth -= 1;
        decoded
    }

    fn array_values(&mut self) -> Result<(), DecodeError> {
        self.at += 1; // '['
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.value()?;
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return Err(self.error("unexpected character in an array")),
            }
        }
    }

    /// A string, its escapes resolved (ujson takes control characters as
    /// they are, but not NUL); borrowed from the line when it has none.
    fn string(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        self.at += 1; // '"'
        let start = self.at;
        while let Some(byte) = self.peek() {
            match byte {
                b'"' => {
                    self.at += 1;
                    return Ok(Cow::Borrowed(&self.text[start..self.at - 1]));
                }
                b'\\' | 0 => break,
                _ => self.at += 1,
            }
        }
        let mut text = String::from(&self.text[start..self.at]);
        let mut start = self.at;
        loop {
            match self.peek() {
                None | Some(0) => return Err(self.error("a string is not closed")),
                Some(b'"') => {
                    text.push_str(&self.text[start..self.at]);
                    self.at += 1;
                    return Ok(Cow::Owned(text));
                }
                Some(b'\\') => {
                    text.push_str(&self.text[start..self.at]);
                    self.at += 1;
                    self.escape(&mut text)?;
                    start = self.at;
                }
                Some(_) => self.at += 1,
            }
        }
    }

    fn escape(&mut self, text: &mut String) -> Result<(), DecodeError> {
        let Some(kind) = self.peek() else {
            return Err(self.error("a string is not closed"));
        };
        self.at += 1;
        let plain = match kind {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(text),
            _ => return Err(self.error("unrecognized escape sequence in a string")),
        };
        text.push(plain);
        Ok(())
    }

    /// `\uXXXX`, a surrogate pair joined.
    fn unicode_escape(&mut self, text: &mut String) -> Result<(), DecodeError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) && self.bytes[self.at..].starts_with(b"\\u")
        {
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            } else {
                text.push(char::REPLACEMENT_CHARACTER);
                second
            }
        } else {
            first
        };
        text.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let digits = self.bytes.get(self.at..self.at + 4);
        let code = digits
            .and_then(|digits| std::str::from_utf8(digits).ok())
            .and_then(|digits| u32::from_str_radix(digits, 16).ok())
            .ok_or_else(|| self.error("unterminated unicode escape sequence"))?;
        self.at += 4;
        Ok(code)
    }

    /// A number, as ujson's `decode_numeric` reads it.
    fn number(&mut self) -> Result<Value<'a>, DecodeError> {
        let mut negative = false;
        match self.peek() {
            Some(b'I') => return self.infinity(false),
            Some(b'N') => return self.literal("NaN", Value::Null),
            Some(b'-') => {
                self.at += 1;
                negative = true;
                if self.peek() == Some(b'I') {
                    return self.infinity(true);
                }
            }
            _ => {}
        }
        let mut integer: u64 = 0;
        while let Some(digit @ b'0'..=b'9') = self.peek() {
            let previous = integer;
            integer = integer
                .wrapping_mul(10)
                .wrapping_add(u64::from(digit - b'0'));
            if !negative && previous > integer {
                return Err(self.error("value is too big"));
            }
            if negative && integer > 1 << 63 {
                return Err(self.error("value is too small"));
            }
            self.at += 1;
        }
        let (mut fraction, mut decimals) = (0.0, 0);
        if self.peek() == Some(b'.') {
            self.at += 1;
            while let Some(digit @ b'0'..=b'9') = self.peek() {
                if decimals < MAX_DECIMALS {
                    fraction = fraction * 10.0 + f64::from(digit - b'0');
                    decimals += 1;
                }
                self.at += 1;
            }
        } else if !matches!(self.peek(), Some(b'e' | b'E')) {
            return Ok(integer_value(integer, negative));
        }
        let sign = if negative { -1.0 } else { 1.0 };
        let mut value = (integer as f64 + fraction * POW10_NEGATIVE[decimals]) * sign;
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            let mut exponent_sign = 1.0;
            match self.peek() {
                Some(b'-') => {
                    exponent_sign = -1.0;
                    self.at += 1;
                }
                Some(b'+') => self.at += 1,
                _ => {}
            }
            let mut exponent = 0.0;
            while let Some(digit @ b'0'..=b'9') = self.peek() {
                exponent = exponent * 10.0 + f64::from(digit - b'0');
                self.at += 1;
            }
            value *= 10f64.powf(exponent * exponent_sign);
        }
        Ok(Value::Float(value))
    }

    fn infinity(&mut self, negative: bool) -> Result<Value<'a>, DecodeError> {
        let value = if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        self.literal("Infinity", Value::Float(value))
    }
}

/// The fraction digits ujson keeps.
const MAX_DECIMALS: usize = 15;

/// ujson's `g_pow10` (its name notwithstanding, negative powers).
const POW10_NEGATIVE: [f64; MAX_DECIMALS + 1] = [
    1.0,
    0.1,
    0.01,
    0.001,
    0.0001,
    0.00001,
    0.000001,
    0.0000001,
    0.00000001,
    0.000000001,
    0.0000000001,
    0.00000000001,
    0.000000000001,
    0.0000000000001,
    0.00000000000001,
    0.000000000000001,
];

/// An integer's value: unsigned from 2^63 up (positive only), else signed.
fn integer_value(magnitude: u64, negative: bool) -> Value<'static> {
    if !negative && magnitude >> 63 != 0 {
        Value::UInt(magnitude)
    } else if negative {
        Value::Int((magnitude as i64).wrapping_neg())
    } else {
        Value::Int(magnitude as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Result<Vec<(String, Value<'_>)>, DecodeError> {
        let mut fields = Vec::new();
        object(line, &mut |name, value| {
            fields.push((name.into_owned(), value))
        })?;
        Ok(fields)
    }

    fn field(line: &str) -> Value<'_> {
        fields(line).unwrap().remove(0).1
    }

    #[test]
    fn floats_are_read_as_ujson_reads_them() {
        // Values pandas 3.1.1 gives (see the module's notes).
        assert_eq!(
            field(r#"{"a": 0.12345678901234567}"#),
            Value::Float(0.12345678901234501)
        );
        assert_eq!(
            field(r#"{"a": 1.7976931348623157e308}"#),
            Value::Float(1.7976931348623151e308)
        );
        assert_eq!(field(r#"{"a": 2.5e-3}"#), Value::Float(0.0025));
    }

    #[test]
    fn integers_signed_below_two_to_the_63() {
        assert_eq!(field(r#"{"a": -12}"#), Value::Int(-12));
        assert_eq!(
            field(r#"{"a": -9223372036854775808}"#),
            Value::Int(i64::MIN)
        );
        assert_eq!(field(r#"{"a": 9223372036854775808}"#), Value::UInt(1 << 63));
        assert!(fields(r#"{"a": 18446744073709551616}"#).is_err());
    }

    #[test]
    fn literals_strings_and_nesting() {
        let decoded = fields(
            r#" {"n": NaN, "i": -Infinity, "s": "a\"\u00e9\ud83d\ude00", "l": [1, {"x": 2}], "b": true, "s": null} "#,
        )
        .unwrap();
        let names: Vec<&str> = decoded.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["n", "i", "s", "l", "b", "s"]);
        let values: Vec<&Value> = decoded.iter().map(|(_, value)| value).collect();
        assert_eq!(
            values,
            [
                &Value::Null,
                &Value::Float(f64::NEG_INFINITY),
                &Value::Str("a\"é😀".into()),
                &Value::Nested,
                &Value::Bool(true),
                &Value::Null,
            ]
        );
        assert_eq!(
            fields(r#"{"s": "a\"\u00e9\ud83d\ude00"}"#).unwrap()[0].1,
            Value::Str("a\"é😀".into())
        );
    }

    #[test]
    fn what_is_not_one_object_is_refused() {
        for line in [
            "[1, 2]",
            "{\"a\": 1} x",
            "{\"a\" 1}",
            "{a: 1}",
            "{\"a\": tru}",
        ] {
            assert!(fields(line).is_err(), "{line}");
        }
    }

    #[test]
    fn nesting_stops_where_pandas_stops_and_a_bom_is_named() {
        // pandas 3.1.1: a value 1,022 levels deep in the line's object reads,
        // 1,023 fails ("Reached object decoding depth limit").
        let nested =
            |levels: usize| format!("{{\"x\": {}1{}}}", "[".repeat(levels), "]".repeat(levels));
        assert!(fields(&nested(1022)).is_ok());
        let error = fields(&nested(1023)).unwrap_err();
        assert!(
            error.contains("nested deeper than pandas' limit"),
            "{error}"
        );
        let objects = format!("{{\"x\": {}1{}}}", "{\"a\":".repeat(1023), "}".repeat(1023));
        assert!(fields(&objects).is_err());
        let error = fields("\u{feff}{\"x\": 1}").unwrap_err();
        assert!(error.contains("byte-order mark"), "{error}");
    }
}
