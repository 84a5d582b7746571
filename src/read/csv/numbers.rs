//! pandas' number rule: which tokens are missing, which are numbers (and what number), and which columns their tokens make numeric.
//!
//! A token is what the tokenizer gives (quotes removed). pandas 3.1 decides:
//!
//! 1. one of its 19 missing-value strings, matched exactly: missing;
//! 2. an integer (`[+-]digits`, ASCII whitespace around it allowed);
//! 3. a decimal number (`fast_float`'s grammar, a leading `+` allowed, ASCII
//!    whitespace around it allowed when it starts with a digit or a `.`);
//! 4. `inf` or `infinity` in any case, with a sign, without whitespace;
//! 5. anything else is text, and makes the column text (not described).
//!
//! A column of integers is int64, uint64 or Python integers (object, not
//! described) by the order in which its tokens overflow: pandas tries int64,
//! then uint64 if it overflowed, then Python integers, in each block of rows
//! it converts ([`Cascade`]). Values are correctly rounded, as pandas' parser
//! gives them (except a `+` sign together with whitespace, which pandas parses
//! with an older algorithm that can be 1 ulp off).

/// The strings pandas' `read_csv` treats as missing by default (`STR_NA_VALUES`).
pub const NA_VALUES: [&str; 19] = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// What one token is, by pandas' rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Token {
    /// One of pandas' missing-value strings (the empty field included).
    Missing,
    /// A number, with what pandas' integer parsers make of it.
    Number(f64, Integer),
    /// Anything else.
    Text,
}

/// What pandas' integer parsers make of a numeric token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integer {
    /// Not an integer (`1.5`, `1e3`, `inf`).
    No,
    /// Fits in int64.
    Int64,
    /// Above int64, fits in uint64.
    UInt64,
    /// Above uint64.
    AboveUInt64,
    /// Below int64.
    BelowInt64,
}

/// Classifies one token (quotes already removed).
pub fn classify(token: &[u8]) -> Token {
    if is_missing(token) {
        return Token::Missing;
    }
    let trimmed = trim_ascii_space(token);
    if let Some(integer) = integer_class(trimmed) {
        let trailing = token.last().is_some_and(|&byte| is_space(byte));
        // An integer is converted exactly (rounded once), and has no sign of zero.
        let value = parse_decimal(trimmed).expect("an integer is a decimal") + 0.0;
        // An integer that overflows with blanks after it is "invalid" to
        // pandas' integer parsers, not an overflow: it is read as a float.
        let integer = match integer {
            Integer::Int64 => Integer::Int64,
            _ if trailing => Integer::No,
            other => other,
        };
        return Token::Number(value, integer);
    }
    if let Some(value) = parse_decimal(token) {
        return Token::Number(value, Integer::No);
    }
    if starts_like_a_number(trimmed) {
        if let Some(value) = parse_decimal(trimmed) {
            return Token::Number(value, Integer::No);
        }
    }
    match special_infinity(token) {
        Some(value) => Token::Number(value, Integer::No),
        None => Token::Text,
    }
}

/// The int64 value of a token pandas reads as an int64 integer (blanks
/// around it allowed), if it is one.
pub fn parse_int64(token: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(trim_ascii_space(token)).ok()?;
    text.strip_prefix('+').unwrap_or(text).parse().ok()
}

/// Whether the token is one of pandas' missing-value strings.
pub fn is_missing(token: &[u8]) -> bool {
    // Most tokens are numbers: only these first bytes can start a missing one.
    match token.first() {
        None => true,
        Some(b'#' | b'-' | b'1' | b'<' | b'N' | b'n') if token.len() <= 8 => {
            NA_VALUES.iter().any(|na| na.as_bytes() == token)
        }
        Some(_) => false,
    }
}

/// pandas' `isspace_ascii`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

pub(crate) fn trim_ascii_space(token: &[u8]) -> &[u8] {
    let start = token
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(token.len());
    let end = token
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(start, |i| i + 1);
    &token[start..end]
}

/// `[+-]digits` (already trimmed), and where its value falls.
fn integer_class(text: &[u8]) -> Option<Integer> {
    let (negative, digits) = match text.first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // More digits than any u64 has (after leading zeros): surely above.
    let significant = &digits[digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(digits.len())..];
    let magnitude: Option<u128> = if significant.len() > 20 {
        None
    } else {
        std::str::from_utf8(significant)
            .ok()?
            .parse::<u128>()
            .ok()
            .or(Some(0))
    };
    Some(match (negative, magnitude) {
        (false, Some(m)) if m <= i64::MAX as u128 => Integer::Int64,
        (false, Some(m)) if m <= u64::MAX as u128 => Integer::UInt64,
        (false, _) => Integer::AboveUInt64,
        (true, Some(m)) if m <= 1u128 << 63 => Integer::Int64,
        (true, _) => Integer::BelowInt64,
    })
}

/// A decimal number in `fast_float`'s general grammar (a leading `+`
/// allowed), the whole of `text`, correctly rounded; not `inf` or `nan`.
fn parse_decimal(text: &[u8]) -> Option<f64> {
    let digits_or_point = |b: &u8| b.is_ascii_digit() || *b == b'.';
    let body = text
        .strip_prefix(b"-")
        .or_else(|| text.strip_prefix(b"+"))
        .unwrap_or(text);
    // Rust's parser also takes "inf", "infinity" and "nan"; pandas reads
    // those words only in [`special_infinity`]'s form.
    if !body.first().is_some_and(digits_or_point) {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse::<f64>().ok()
}

/// Whether (trimmed) text starts as a number does: `[+-]?digit` or `[+-]?.digit`.
fn starts_like_a_number(text: &[u8]) -> bool {
    let body = text
        .strip_prefix(b"-")
        .or_else(|| text.strip_prefix(b"+"))
        .unwrap_or(text);
    match body {
        [b'.', next, ..] => next.is_ascii_digit(),
        [first, ..] => first.is_ascii_digit(),
        [] => false,
    }
}

/// `inf` or `infinity`, any case, an optional sign, nothing else.
fn special_infinity(token: &[u8]) -> Option<f64> {
    let (sign, word) = match token.first()? {
        b'-' => (-1.0, &token[1..]),
        b'+' => (1.0, &token[1..]),
        _ => (1.0, token),
    };
    (word.eq_ignore_ascii_case(b"inf") || word.eq_ignore_ascii_case(b"infinity"))
        .then_some(sign * f64::INFINITY)
}

/// Rows pandas converts at a time (`read_csv`'s default `low_memory=True`):
/// each block of rows gets its own column types, which are then combined.
/// For a table `width` fields wide: the smallest power of two `p` with
/// `2p >= 2**20 / width` (pandas' `buffer_lines`).
pub fn rows_per_block(width: usize) -> usize {
    let heuristic = (1usize << 20) / width.max(1);
    let mut lines = 1;
    while lines * 2 < heuristic {
        lines *= 2;
    }
    lines
}

/// The type pandas gives a numeric column (or one block of its rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    Int64,
    UInt64,
    Float64,
}

impl Dtype {
    /// The type of two blocks of one column put together, as pandas'
    /// `concat_compat` makes it: the same type, else float64.
    pub fn combine(self, other: Dtype) -> Dtype {
        if self == other {
            self
        } else {
            Dtype::Float64
        }
    }
}

/// Why pandas does not describe a column.
#[derive(Debug, Clone, PartialEq)]
pub enum NotNumeric {
    /// It holds text: the first text token and its line.
    Text { line: u64, value: String },
    /// Its integers do not fit in 64 bits (with their signs, missing values
    /// and order): pandas keeps them as Python integers, or (`as_text`) as
    /// the text of every token, missing ones included.
    WideIntegers { line: u64, as_text: bool },
}

/// The column type pandas gives one block of rows of one column, token by
/// token: int64, then uint64 on overflow, then Python integers, else float64,
/// else text (pandas' `_convert_tokens`).
#[derive(Debug, Clone, Default)]
pub struct Cascade {
    tokens: usize,
    text: Option<(u64, String)>,
    /// The first token that int64 cannot take: an overflow, or invalid.
    int64_stop: Option<Stop>,
    /// The same for uint64 (which takes negative numbers as "seen").
    uint64_stop: Option<Stop>,
    seen_negative: bool,
    seen_missing: bool,
    above_int64: bool,
    /// The line of the first integer that does not fit in int64.
    first_wide: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Overflow,
    Invalid,
}

impl Cascade {
    /// Whether no token was added (a block with no rows).
    pub fn is_empty(&self) -> bool {
        self.tokens == 0
    }

    /// Takes the next token of the block (with its raw text and line, for messages).
    pub fn add(&mut self, token: Token, raw: &[u8], line: u64) {
        self.tokens += 1;
        match token {
            Token::Missing => self.seen_missing = true,
            Token::Text => {
                if self.text.is_none() {
                    self.text = Some((line, String::from_utf8_lossy(raw).into_owned()));
                }
                // To uint64, any token starting with '-' is just "negative".
                if trim_ascii_space(raw).starts_with(b"-") {
                    self.seen_negative = true;
                } else {
                    self.uint64_stop.get_or_insert(Stop::Invalid);
                }
                self.int64_stop.get_or_insert(Stop::Invalid);
            }
            Token::Number(_, integer) => {
                let negative = trim_ascii_space(raw).starts_with(b"-");
                self.seen_negative |= negative;
                if self.first_wide.is_none()
                    && matches!(
                        integer,
                        Integer::UInt64 | Integer::AboveUInt64 | Integer::BelowInt64
                    )
                {
                    self.first_wide = Some(line);
                }
                let (for_int64, for_uint64) = match integer {
                    Integer::Int64 => (None, None),
                    Integer::UInt64 => (Some(Stop::Overflow), None),
                    Integer::AboveUInt64 => (Some(Stop::Overflow), Some(Stop::Overflow)),
                    Integer::BelowInt64 => (Some(Stop::Overflow), None),
                    Integer::No => (Some(Stop::Invalid), Some(Stop::Invalid)),
                };
                self.above_int64 |= integer == Integer::UInt64;
                if let Some(stop) = for_int64 {
                    self.int64_stop.get_or_insert(stop);
                }
                if let Some(stop) = for_uint64.filter(|_| !negative) {
                    self.uint64_stop.get_or_insert(stop);
                }
            }
        }
    }

    /// Takes the tokens of `later`, which come after this cascade's: the
    /// cascade of both, as if each token had been added in order.
    pub fn merge(&mut self, later: Cascade) {
        self.tokens += later.tokens;
        if self.text.is_none() {
            self.text = later.text;
        }
        self.int64_stop = self.int64_stop.or(later.int64_stop);
        self.uint64_stop = self.uint64_stop.or(later.uint64_stop);
        self.seen_negative |= later.seen_negative;
        self.seen_missing |= later.seen_missing;
        self.above_int64 |= later.above_int64;
        self.first_wide = self.first_wide.or(later.first_wide);
    }

    /// The same cascade, its tokens `lines` lines further down (read in a
    /// block with its lines counted from 1).
    pub fn shift_lines(&mut self, lines: u64) {
        if let Some((line, _)) = &mut self.text {
            *line += lines;
        }
        if let Some(line) = &mut self.first_wide {
            *line += lines;
        }
    }

    /// Whether a token was an integer too wide for int64: only then does
    /// pandas' type depend on how its rows are cut into blocks.
    pub fn saw_wide_integers(&self) -> bool {
        self.first_wide.is_some()
    }

    /// The type pandas gives this block of the column, or why it is not numeric.
    pub fn outcome(&self) -> Result<Dtype, NotNumeric> {
        if let Some((line, value)) = &self.text {
            return Err(NotNumeric::Text {
                line: *line,
                value: value.clone(),
            });
        }
        let wide = |as_text| NotNumeric::WideIntegers {
            line: self.first_wide.unwrap_or(0),
            as_text,
        };
        match (self.int64_stop, self.uint64_stop) {
            // int64 with a missing value is float64 (NaN needs a float).
            (None, _) if !self.seen_missing => Ok(Dtype::Int64),
            (None | Some(Stop::Invalid), _) => Ok(Dtype::Float64),
            (Some(Stop::Overflow), Some(Stop::Invalid)) => Ok(Dtype::Float64),
            // Beyond uint64: Python integers (pandas' `_try_pylong`).
            (Some(Stop::Overflow), Some(Stop::Overflow)) => Err(wide(false)),
            (Some(Stop::Overflow), None) => {
                // Values above int64 beside a negative or a missing one fit
                // no integer type: pandas' uint64 reading gives up and keeps
                // every token as text ("NA" too); below int64 alone, Python
                // integers.
                if self.above_int64 && (self.seen_negative || self.seen_missing) {
                    Err(wide(true))
                } else if self.seen_negative {
                    Err(wide(false))
                } else {
                    Ok(Dtype::UInt64)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(token: &str) -> Token {
        classify(token.as_bytes())
    }

    fn number(token: &str) -> f64 {
        match kind(token) {
            Token::Number(value, _) => value,
            other => panic!("{token:?} is {other:?}"),
        }
    }

    #[test]
    fn tokens_as_pandas_reads_them() {
        // Each as pandas 3.1.1 reads the column `a\n<token>\n`.
        for missing in NA_VALUES {
            assert_eq!(kind(missing), Token::Missing, "{missing:?}");
        }
        for (token, value) in [
            (".5", 0.5),
            ("5.", 5.0),
            ("+1.5", 1.5),
            (" 1.5 ", 1.5),
            (" +1.5", 1.5),
            ("1.e5", 1e5),
            ("1E+05", 1e5),
            ("00012", 12.0),
            ("1e400", f64::INFINITY),
            ("1e-400", 0.0),
            ("2.4703282292062328e-324", 5e-324),
            ("2.4703282292062327e-324", 0.0),
            ("inf", f64::INFINITY),
            ("+Infinity", f64::INFINITY),
            ("-iNf", f64::NEG_INFINITY),
            ("\t1", 1.0),
            ("\x0b1", 1.0),
            ("1\t", 1.0),
            (" +5 ", 5.0),
        ] {
            assert_eq!(number(token).to_bits(), value.to_bits(), "{token:?}");
        }
        for text in [
            "1_000", "0x10", "1e", "1e+", "e5", ".e5", ".", "-", "+", "--1", "+-1", "- 1", "+ 5",
            "1.5x", "1.5 x", "1e5.5", "1..5", "1d5", "1\0", "\u{a0}1", "infinit", " inf", "inf ",
            "NAN", "Nan", "+nan", "nan ", " NA", "NA ", "none", "True", "TRUE", " ", "1,000",
        ] {
            assert_eq!(kind(text), Token::Text, "{text:?}");
        }
    }

    #[test]
    fn integers_and_their_widths() {
        let integer = |token: &str| match kind(token) {
            Token::Number(_, integer) => integer,
            other => panic!("{other:?}"),
        };
        assert_eq!(integer("9223372036854775807"), Integer::Int64);
        assert_eq!(integer("-9223372036854775808"), Integer::Int64);
        assert_eq!(integer("9223372036854775808"), Integer::UInt64);
        assert_eq!(integer("18446744073709551615"), Integer::UInt64);
        assert_eq!(integer("18446744073709551616"), Integer::AboveUInt64);
        assert_eq!(integer("-9223372036854775809"), Integer::BelowInt64);
        assert_eq!(integer(" 9223372036854775808"), Integer::UInt64);
        assert_eq!(
            integer("9223372036854775808 "),
            Integer::No,
            "blank after an overflow"
        );
        assert_eq!(integer("1.5"), Integer::No);
        assert_eq!(number("18446744073709551616"), 1.8446744073709552e19);
    }

    /// The verdict on one block of `tokens`.
    fn outcome(tokens: &[&str]) -> Result<Dtype, NotNumeric> {
        let mut cascade = Cascade::default();
        for (line, token) in tokens.iter().enumerate() {
            cascade.add(
                classify(token.as_bytes()),
                token.as_bytes(),
                line as u64 + 2,
            );
        }
        cascade.outcome()
    }

    #[test]
    fn merged_cascades_equal_one_cascade_of_every_token() {
        let tokens = [
            "1",
            "NA",
            "-3",
            "9223372036854775808",
            "x",
            "2.5",
            "-y",
            "18446744073709551616",
            "",
            "7",
            "-9223372036854775809",
        ];
        let cascade_of = |tokens: &[&str], first_line: u64| {
            let mut cascade = Cascade::default();
            for (i, token) in tokens.iter().enumerate() {
                cascade.add(
                    classify(token.as_bytes()),
                    token.as_bytes(),
                    first_line + i as u64,
                );
            }
            cascade
        };
        // Every window of the tokens, cut at every point.
        for start in 0..tokens.len() {
            for end in start..=tokens.len() {
                let whole = cascade_of(&tokens[start..end], 2);
                for cut in start..=end {
                    let mut merged = cascade_of(&tokens[start..cut], 2);
                    merged.merge(cascade_of(&tokens[cut..end], 2 + (cut - start) as u64));
                    assert_eq!(
                        format!("{merged:?}"),
                        format!("{whole:?}"),
                        "{start}..{cut}..{end}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_integer_cascade_follows_pandas() {
        // Each checked with pandas 3.1.1 (dtype of `a\n<tokens>`).
        assert_eq!(
            outcome(&["9223372036854775807", "-9223372036854775808"]),
            Ok(Dtype::Int64)
        );
        assert_eq!(outcome(&["9223372036854775808", "1"]), Ok(Dtype::UInt64));
        assert_eq!(outcome(&["18446744073709551615", "1"]), Ok(Dtype::UInt64));
        assert!(
            outcome(&["18446744073709551616", "1"]).is_err(),
            "Python ints"
        );
        assert!(
            outcome(&["-9223372036854775809", "1"]).is_err(),
            "Python ints"
        );
        assert!(outcome(&["9223372036854775808", "-1"]).is_err(), "text");
        assert!(outcome(&["9223372036854775808", "NA"]).is_err(), "text");
        // Which of the two pandas keeps: Python integers, or every token as text.
        let as_text = |tokens: &[&str]| match outcome(tokens) {
            Err(NotNumeric::WideIntegers { as_text, .. }) => as_text,
            other => panic!("{tokens:?}: {other:?}"),
        };
        assert!(as_text(&["9223372036854775808", "-1"]));
        assert!(as_text(&["NA", "9223372036854775808"]));
        assert!(as_text(&["-9223372036854775809", "9223372036854775808"]));
        assert!(!as_text(&["-9223372036854775809", "NA"]));
        assert!(!as_text(&[
            "18446744073709551616",
            "9223372036854775808",
            "NA"
        ]));
        assert!(
            outcome(&["18446744073709551616", "1.5"]).is_err(),
            "overflow first"
        );
        assert!(
            outcome(&["1.5", "18446744073709551616"]).is_ok(),
            "float first"
        );
        assert!(outcome(&["9223372036854775808", "1.5"]).is_ok(), "float64");
        assert!(
            outcome(&["1", "9223372036854775809", "1.5"]).is_ok(),
            "float64"
        );
        assert!(outcome(&["9223372036854775808 ", "1"]).is_ok(), "float64");
        assert!(
            outcome(&[" 18446744073709551616", "1"]).is_err(),
            "Python ints"
        );
        assert!(outcome(&["18446744073709551616 ", "1"]).is_ok(), "float64");
        assert_eq!(outcome(&["1", "NA", "2"]), Ok(Dtype::Float64));
        assert_eq!(outcome(&["1", "2.5"]), Ok(Dtype::Float64));
        assert_eq!(Dtype::Int64.combine(Dtype::UInt64), Dtype::Float64);
        assert_eq!(Dtype::Int64.combine(Dtype::Int64), Dtype::Int64);
        assert_eq!(
            outcome(&["1", "x"]),
            Err(NotNumeric::Text {
                line: 3,
                value: "x".into()
            })
        );
    }

    #[test]
    fn rows_per_block_as_pandas_computes_them() {
        assert_eq!(rows_per_block(1), 524_288);
        assert_eq!(rows_per_block(3), 262_144);
        assert_eq!(rows_per_block(16), 32_768);
    }
}
