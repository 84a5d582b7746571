//! The shape of one CSV file as pandas sees it: column names, which columns are numeric, whether it quotes.
//!
//! pandas reads every row before it decides a column's type; we decide from
//! the header and the first [`SAMPLE_ROWS`] rows, then Polars parses the whole
//! file with that schema. A later value that is not a number is caught then
//! (see `describe::scan`), so the sample only has to be a good first guess.

use std::borrow::Cow;
use std::ops::Range;

use super::quoting::{Quoting, Role};

/// Data rows inspected to decide which columns are numeric.
pub const SAMPLE_ROWS: usize = 100;

/// The strings pandas' `read_csv` treats as missing by default (`STR_NA_VALUES`).
pub const PANDAS_NA_VALUES: [&str; 19] = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// What the header and the sample rows say about a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Column names as pandas gives them ("Unnamed: 0" for an empty header
    /// field, "x.1" for a second "x").
    pub names: Vec<String>,
    /// Indices of the numeric columns, in file order.
    pub numeric: Vec<usize>,
    /// Whether the file contains a quote character anywhere (parsing without
    /// quote handling is faster, and exact when there is none).
    pub has_quotes: bool,
    /// Bytes of the header line, including its line ending and any byte-order mark.
    pub header_len: usize,
    /// Data rows seen in the sample (at most [`SAMPLE_ROWS`]; 0 for a header alone).
    pub sampled_rows: usize,
    /// Columns that look numeric but hold some text in the sample (pandas
    /// reads them as text): index, line and value of the first text.
    pub mixed: Vec<(usize, u64, String)>,
}

/// Why a file has no usable header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// The file has no bytes, or only blank lines.
    #[error("the file is empty (no header line)")]
    Empty,
    /// A quoted field in the header is never closed.
    #[error("the header opens a quoted field that is never closed")]
    UnclosedQuote,
    /// The header (or a sampled row) is not valid UTF-8.
    #[error("line {line} is not valid UTF-8 text")]
    NotUtf8 { line: u64 },
}

/// What a single field is, by pandas' rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One of pandas' NA strings (including the empty field).
    Missing,
    /// A number pandas parses as float (including `inf`, `-Infinity`).
    Number,
    /// Anything else: the column is text.
    Text,
}

/// Classifies one unquoted field the way pandas' parser does.
pub fn classify(field: &str) -> FieldKind {
    if PANDAS_NA_VALUES.contains(&field) {
        return FieldKind::Missing;
    }
    // Rust's float syntax matches pandas' for decimals, exponents and
    // infinities; spellings of NaN that pandas does not list as missing
    // ("NAN", "Nan") make a pandas column text, so they do here too.
    match field.trim().parse::<f64>() {
        Ok(value) if !value.is_nan() => FieldKind::Number,
        _ => FieldKind::Text,
    }
}

/// Reads the header and up to [`SAMPLE_ROWS`] rows of `bytes`.
///
/// # Errors
/// When the file is empty, or the header or a sampled row is not UTF-8.
pub fn inspect(bytes: &[u8]) -> Result<Layout, LayoutError> {
    let has_quotes = bytes.contains(&b'"');
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let bom_len = bytes.len() - body.len();
    let mut records = Records::new(body);
    let (header, header_line) = records.next().ok_or(LayoutError::Empty)?;
    if records.unclosed {
        return Err(LayoutError::UnclosedQuote);
    }
    let header_fields = fields_as_text(&body[header], header_line)?;
    let header_len = bom_len + records.offset;
    let names = pandas_names(&header_fields);

    let mut kinds = vec![Kinds::default(); names.len()];
    let mut sampled_rows = 0;
    for (record, line) in records.take(SAMPLE_ROWS) {
        sampled_rows += 1;
        let fields = fields_as_text(&body[record], line)?;
        for (index, kind) in kinds.iter_mut().enumerate() {
            // pandas fills a short row's missing fields with NaN.
            let field = fields.get(index).map_or("", |f| f.as_ref());
            kind.add(classify(field), line, field);
        }
    }
    let numeric = (0..names.len())
        .filter(|&i| kinds[i].is_numeric())
        .collect();
    let mixed = kinds
        .iter()
        .enumerate()
        .filter(|(_, kind)| kind.numbers > 0)
        .filter_map(|(index, kind)| {
            let (line, text) = kind.first_text.clone()?;
            Some((index, line, text))
        })
        .collect();
    Ok(Layout {
        names,
        numeric,
        has_quotes,
        header_len,
        sampled_rows,
        mixed,
    })
}

/// What one column's sampled fields were.
#[derive(Debug, Clone, Default)]
struct Kinds {
    rows: usize,
    numbers: usize,
    /// The line and text of the first field that is text.
    first_text: Option<(u64, String)>,
}

impl Kinds {
    fn add(&mut self, kind: FieldKind, line: u64, field: &str) {
        self.rows += 1;
        match kind {
            FieldKind::Number => self.numbers += 1,
            FieldKind::Text if self.first_text.is_none() => {
                self.first_text = Some((line, field.to_string()));
            }
            _ => {}
        }
    }

    /// pandas makes a column numeric when it has rows and none is text; a
    /// column of only missing values is float (count 0).
    fn is_numeric(&self) -> bool {
        self.rows > 0 && self.first_text.is_none()
    }
}

/// pandas' column names: "Unnamed: i" for an empty header field, and repeats
/// renamed as pandas' `mangle_dupe_names` does (`a,a,a.1` gives `a, a.2, a.1`:
/// a name already in the header is skipped), named columns before unnamed
/// ones.
///
/// pandas looks a candidate up in the list of names (quadratic in repeats);
/// here a count of the current names does it, so a header of 60,000 copies of
/// one name takes linear time.
fn pandas_names(header: &[Cow<'_, str>]) -> Vec<String> {
    use std::collections::HashMap;
    let mut names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(index, field)| {
            if field.is_empty() {
                format!("Unnamed: {index}")
            } else {
                field.to_string()
            }
        })
        .collect();
    let mut present: HashMap<String, usize> = HashMap::with_capacity(names.len());
    for name in &names {
        *present.entry(name.clone()).or_default() += 1;
    }
    let (named, unnamed): (Vec<usize>, Vec<usize>) =
        (0..names.len()).partition(|&index| !header[index].is_empty());
    let mut counts: HashMap<String, usize> = HashMap::with_capacity(names.len());
    for index in named.into_iter().chain(unnamed) {
        let old = names[index].clone();
        let mut name = old.clone();
        let mut count = counts.get(&name).copied().unwrap_or(0);
        while count > 0 {
            counts.insert(old.clone(), count + 1);
            name = format!("{old}.{count}");
            if present.get(&name).is_some_and(|&n| n > 0) {
                count += 1;
            } else {
                count = counts.get(&name).copied().unwrap_or(0);
            }
        }
        if name != old {
            *present.get_mut(&old).expect("a current name") -= 1;
            *present.entry(name.clone()).or_default() += 1;
            names[index] = name.clone();
        }
        counts.insert(name, count + 1);
    }
    names
}

/// The fields of one record, unquoted, as UTF-8 text; borrowed from the
/// record unless it has quotes to remove.
fn fields_as_text(record: &[u8], line: u64) -> Result<Vec<Cow<'_, str>>, LayoutError> {
    let not_utf8 = |_| LayoutError::NotUtf8 { line };
    if !record.contains(&b'"') {
        return record
            .split(|&byte| byte == b',')
            .map(|field| {
                std::str::from_utf8(field)
                    .map(Cow::Borrowed)
                    .map_err(not_utf8)
            })
            .collect();
    }
    split_quoted_fields(record)
        .into_iter()
        .map(|field| {
            String::from_utf8(field)
                .map(Cow::Owned)
                .map_err(|_| LayoutError::NotUtf8 { line })
        })
        .collect()
}

/// Splits one record on commas outside quotes, removing the quotes (and
/// turning `""` inside quotes into `"`), as pandas reads them.
fn split_quoted_fields(record: &[u8]) -> Vec<Vec<u8>> {
    let mut fields = vec![Vec::new()];
    let mut state = Quoting::default();
    for &byte in record {
        let (next, role) = state.step(byte);
        state = next;
        match role {
            Role::Content => fields.last_mut().expect("at least one field").push(byte),
            Role::Separator => fields.push(Vec::new()),
            Role::QuoteMark | Role::RecordEnd => {}
        }
    }
    fields
}

/// The records of a CSV body: byte ranges without the line ending, each with
/// its 1-based line number; newlines inside quotes do not end a record, and
/// blank lines are skipped, as pandas does.
struct Records<'a> {
    bytes: &'a [u8],
    /// The last record returned ran to the end of `bytes` inside quotes.
    unclosed: bool,
    /// Byte offset where the next record starts.
    offset: usize,
    /// 1-based line number at `offset`.
    line: u64,
}

impl<'a> Records<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Records {
            bytes,
            unclosed: false,
            offset: 0,
            line: 1,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = (Range<usize>, u64);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.offset >= self.bytes.len() {
                return None;
            }
            let start = self.offset;
            let first_line = self.line;
            let mut state = Quoting::default();
            let mut end = self.bytes.len();
            for (i, &byte) in self.bytes[start..].iter().enumerate() {
                let (next, role) = state.step(byte);
                state = next;
                if byte == b'\n' {
                    self.line += 1;
                    if role == Role::RecordEnd {
                        end = start + i;
                        break;
                    }
                }
            }
            self.unclosed = state.is_open();
            self.offset = (end + 1).min(self.bytes.len());
            let mut record = start..end;
            if self.bytes[record.clone()].ends_with(b"\r") {
                record.end -= 1;
            }
            if !record.is_empty() {
                return Some((record, first_line));
            }
        }
    }
}

/// A row past the sample that breaks the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    /// A numeric column holds text here.
    Text {
        line: u64,
        column: usize,
        value: String,
    },
    /// The row has more fields than the header.
    TooManyFields { line: u64, found: usize },
    /// A quoted field opened in the record starting here is never closed.
    UnclosedQuote { line: u64 },
    /// The row is not valid UTF-8.
    NotUtf8 { line: u64 },
}

/// What a pass over the body found that does not fit the layout.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations {
    /// The first text in each numeric column that holds any, in column order.
    pub text: Vec<Violation>,
    /// The first row that fails the whole file, if any (the pass stops there).
    pub fatal: Option<Violation>,
}

/// Adds to `found` what the rows of `block` (a run of whole lines of the body
/// whose first line is `first_line`) break in `layout` with `numeric`
/// columns: the first text of each numeric column not yet found, and the
/// first row that fails the file. This is the slow path, taken only after
/// Polars has refused the file, to tell the user where and why; one pass
/// finds every text column, however many.
pub fn find_violations(
    block: &[u8],
    first_line: u64,
    layout: &Layout,
    numeric: &[usize],
    found: &mut Violations,
) {
    let mut records = Records::new(block);
    let mut searching: Vec<usize> = numeric
        .iter()
        .copied()
        .filter(|&column| {
            !found
                .text
                .iter()
                .any(|v| matches!(v, Violation::Text { column: c, .. } if *c == column))
        })
        .collect();
    while let Some((record, block_line)) = records.next() {
        let line = first_line - 1 + block_line;
        if records.unclosed {
            found.fatal = Some(Violation::UnclosedQuote { line });
            return;
        }
        let Ok(fields) = fields_as_text(&block[record], line) else {
            found.fatal = Some(Violation::NotUtf8 { line });
            return;
        };
        if fields.len() > layout.names.len() {
            found.fatal = Some(Violation::TooManyFields {
                line,
                found: fields.len(),
            });
            return;
        }
        searching.retain(|&column| {
            let field = fields.get(column).map_or("", |f| f.as_ref());
            if classify(field) != FieldKind::Text {
                return true;
            }
            found.text.push(Violation::Text {
                line,
                column,
                value: field.to_string(),
            });
            false
        });
    }
}

/// What one pass over a run of lines found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCount {
    /// Lines, blank ones included (a last line without a newline counts).
    pub lines: usize,
    /// Whether every byte was ASCII (and so certainly valid UTF-8).
    pub ascii: bool,
}

/// Counts the lines of `body` (whole lines after the header), or `None` if a
/// line has more than `max_fields` fields or a quoted field is not closed.
///
/// Polars does not check the field count of rows whose extra fields are not
/// projected, while pandas rejects such a file; this one pass over the bytes
/// checks every row, gives the parser its row count, and tells whether the
/// bytes are plain ASCII (the UTF-8 check can then be skipped). Without quotes
/// it works on 64-byte blocks with bit masks; with quotes it follows the quoting.
pub fn count_lines_checking_fields(
    body: &[u8],
    max_fields: usize,
    has_quotes: bool,
) -> Option<LineCount> {
    let max_separators = max_fields.saturating_sub(1) as u32;
    if has_quotes {
        return count_lines_quoted(body, max_separators);
    }
    let mut lines = 0usize;
    let mut separators = 0u32;
    let mut high_bits = 0u64;
    let mut blocks = body.chunks_exact(64);
    for block in &mut blocks {
        let block: &[u8; 64] = block.try_into().expect("64-byte block");
        let (commas, newlines, high) = masks(block);
        high_bits |= high;
        lines += count_in_masks(commas, newlines, &mut separators, max_separators)?;
    }
    let rest = blocks.remainder();
    let mut padded = [0u8; 64];
    padded[..rest.len()].copy_from_slice(rest);
    let (commas, newlines, high) = masks(&padded);
    high_bits |= high;
    lines += count_in_masks(commas, newlines, &mut separators, max_separators)?;
    let unterminated = !body.is_empty() && !body.ends_with(b"\n");
    Some(LineCount {
        lines: lines + usize::from(unterminated),
        ascii: high_bits == 0,
    })
}

/// Bit i set where byte i is a comma; where it is a newline; where its high
/// bit is set (not ASCII).
#[cfg(target_arch = "x86_64")]
fn masks(block: &[u8; 64]) -> (u64, u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let mut commas = 0u64;
    let mut newlines = 0u64;
    let mut high = 0u64;
    // SAFETY: SSE2 is part of the x86_64 baseline, and each unaligned 16-byte
    // load stays inside the 64-byte block.
    unsafe {
        let comma = _mm_set1_epi8(b',' as i8);
        let newline = _mm_set1_epi8(b'\n' as i8);
        for lane in 0..4 {
            let bytes = _mm_loadu_si128(block.as_ptr().add(lane * 16).cast::<__m128i>());
            let comma_bits = _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, comma)) as u16;
            let newline_bits = _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline)) as u16;
            let high_bits = _mm_movemask_epi8(bytes) as u16;
            commas |= u64::from(comma_bits) << (lane * 16);
            newlines |= u64::from(newline_bits) << (lane * 16);
            high |= u64::from(high_bits) << (lane * 16);
        }
    }
    (commas, newlines, high)
}

/// Bit i set where byte i is a comma; where it is a newline; where its high
/// bit is set (not ASCII).
#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8; 64]) -> (u64, u64, u64) {
    let mut commas = 0u64;
    let mut newlines = 0u64;
    let mut high = 0u64;
    for (i, &byte) in block.iter().enumerate() {
        commas |= u64::from(byte == b',') << i;
        newlines |= u64::from(byte == b'\n') << i;
        high |= u64::from(byte >= 0x80) << i;
    }
    (commas, newlines, high)
}

/// Lines ended in one block; `separators` carries the commas of the open line.
fn count_in_masks(
    mut commas: u64,
    mut newlines: u64,
    separators: &mut u32,
    max: u32,
) -> Option<usize> {
    let mut lines = 0;
    while newlines != 0 {
        let before_newline = (1u64 << newlines.trailing_zeros()) - 1;
        *separators += (commas & before_newline).count_ones();
        if *separators > max {
            return None;
        }
        *separators = 0;
        commas &= !before_newline;
        newlines &= newlines - 1;
        lines += 1;
    }
    *separators += commas.count_ones();
    (*separators <= max).then_some(lines)
}

/// [`count_lines_checking_fields`] for files with quotes: commas and newlines
/// inside quotes do not count.
fn count_lines_quoted(body: &[u8], max_separators: u32) -> Option<LineCount> {
    let mut lines = 0usize;
    let mut separators = 0u32;
    let mut state = Quoting::default();
    let mut high_bits = 0u8;
    for &byte in body {
        high_bits |= byte & 0x80;
        lines += usize::from(byte == b'\n');
        let (next, role) = state.step(byte);
        state = next;
        match role {
            Role::Separator => {
                separators += 1;
                if separators > max_separators {
                    return None;
                }
            }
            Role::RecordEnd => separators = 0,
            Role::Content | Role::QuoteMark => {}
        }
    }
    if state.is_open() {
        // A quoted field still open at the end: pandas rejects the file.
        return None;
    }
    let unterminated = !body.is_empty() && !body.ends_with(b"\n");
    Some(LineCount {
        lines: lines + usize::from(unterminated),
        ascii: high_bits == 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(text: &str) -> Layout {
        inspect(text.as_bytes()).expect("valid layout")
    }

    #[test]
    fn the_article_shape() {
        let l = layout(",data\n2010-01-01,0.5\n2010-01-04,0.25\n");
        assert_eq!(l.names, ["Unnamed: 0", "data"]);
        assert_eq!(l.numeric, [1]);
        assert!(!l.has_quotes);
        assert_eq!(l.header_len, 6);
        assert_eq!(l.sampled_rows, 2);
    }

    #[test]
    fn classifies_like_pandas() {
        for missing in ["", "NA", "nan", "NaN", "-NaN", "NULL", "None", "#N/A"] {
            assert_eq!(classify(missing), FieldKind::Missing, "{missing:?}");
        }
        for number in [
            "1",
            "-2.5",
            "1e5",
            "1E-5",
            ".5",
            "5.",
            "+1.5",
            "inf",
            "-Infinity",
            "INF",
        ] {
            assert_eq!(classify(number), FieldKind::Number, "{number:?}");
        }
        for text in [
            "NAN",
            "Nan",
            "abc",
            "0x10",
            "1_000",
            "True",
            "1,5",
            "2010-01-01",
        ] {
            assert_eq!(classify(text), FieldKind::Text, "{text:?}");
        }
    }

    #[test]
    fn numeric_needs_rows_and_no_text() {
        let l = layout("a,b,c,d\n1,x,,1\n2,y,,NA\n");
        assert_eq!(l.numeric, [0, 2, 3]);
        // A header without rows has no numeric column (pandas reads it as text).
        assert!(layout("a,b\n").numeric.is_empty());
    }

    #[test]
    fn numbers_mixed_with_text_are_reported() {
        let l = layout("d,a,b\nx,1,2\ny,oops,3\nz,4,also\n");
        assert!(l.numeric.is_empty());
        assert_eq!(
            l.mixed,
            vec![(1, 3, "oops".to_string()), (2, 4, "also".to_string())]
        );
    }

    #[test]
    fn names_follow_pandas() {
        let l = layout(",a,a,,a\n1,2,3,4,5\n");
        assert_eq!(l.names, ["Unnamed: 0", "a", "a.1", "Unnamed: 3", "a.2"]);
        // Each checked with pandas 3.1.1 (`pd.read_csv(...).columns`).
        let names = |header: &str| {
            let fields: Vec<Cow<str>> = header.split(',').map(Cow::Borrowed).collect();
            pandas_names(&fields)
        };
        assert_eq!(names("a,a,a.1"), ["a", "a.2", "a.1"]);
        assert_eq!(names("a,a.1,a,a"), ["a", "a.1", "a.2", "a.3"]);
        assert_eq!(names("a,a.1,a.1"), ["a", "a.1", "a.1.1"]);
        assert_eq!(names("a.1,a,a"), ["a.1", "a", "a.2"]);
        assert_eq!(names("a,a,a.1,a.2,a"), ["a", "a.3", "a.1", "a.2", "a.4"]);
        assert_eq!(
            names("a.1.1,a.1,a,a,a"),
            ["a.1.1", "a.1", "a", "a.2", "a.3"]
        );
        assert_eq!(names("Unnamed: 1,,x"), ["Unnamed: 1", "Unnamed: 1.1", "x"]);
        assert_eq!(names(",Unnamed: 0,x"), ["Unnamed: 0.1", "Unnamed: 0", "x"]);
        assert_eq!(
            names(",,Unnamed: 0"),
            ["Unnamed: 0.1", "Unnamed: 1", "Unnamed: 0"]
        );
        assert_eq!(
            names("x,,Unnamed: 1,,"),
            [
                "x",
                "Unnamed: 1.1",
                "Unnamed: 1",
                "Unnamed: 3",
                "Unnamed: 4"
            ]
        );
        assert_eq!(names("1,1,1.0"), ["1", "1.1", "1.0"]);
    }

    #[test]
    fn bom_crlf_and_quotes() {
        let l = layout("\u{feff}\"x, y\",z\r\n\"1\",\"a\nb\"\r\n2,c\r\n");
        assert_eq!(l.names, ["x, y", "z"]);
        assert_eq!(l.numeric, [0]);
        assert!(l.has_quotes);
        assert_eq!(l.header_len, 3 + 10);
    }

    #[test]
    fn blank_lines_are_skipped() {
        let l = layout("\n\na\n\n1\n");
        assert_eq!(l.names, ["a"]);
        assert_eq!(l.numeric, [0]);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(inspect(b""), Err(LayoutError::Empty));
        assert_eq!(inspect(b"\n\n"), Err(LayoutError::Empty));
        assert_eq!(inspect(b"a\n\xff\n"), Err(LayoutError::NotUtf8 { line: 2 }));
        assert_eq!(inspect(b"a,\"b\n1\n"), Err(LayoutError::UnclosedQuote));
    }

    #[test]
    fn finds_the_first_violation_past_the_sample() {
        let mut text = String::from("d,x,y\n");
        for _ in 0..SAMPLE_ROWS + 5 {
            text.push_str("2010-01-01,1.5,2\n");
        }
        text.push_str("2010-01-01,oops,2\n");
        text.push_str("2010-01-01,1,too\n");
        let bytes = text.as_bytes();
        let layout = inspect(bytes).unwrap();
        assert_eq!(layout.numeric, [1, 2]);
        let line = SAMPLE_ROWS as u64 + 5 + 2;
        let body = &bytes[layout.header_len..];
        let find = |block: &[u8], numeric: &[usize]| {
            let mut found = Violations::default();
            find_violations(block, 2, &layout, numeric, &mut found);
            found
        };
        // One pass finds the first text of every column.
        assert_eq!(
            find(body, &layout.numeric).text,
            [
                Violation::Text {
                    line,
                    column: 1,
                    value: "oops".into()
                },
                Violation::Text {
                    line: line + 1,
                    column: 2,
                    value: "too".into()
                }
            ]
        );
        assert_eq!(find(body, &[]), Violations::default());
        assert_eq!(
            find(b"1,2\n3,\"x\n4,5\n", &[]).fatal,
            Some(Violation::UnclosedQuote { line: 3 })
        );
    }

    #[test]
    fn counts_lines_and_catches_long_rows() {
        let count = |text: &str, fields| {
            count_lines_checking_fields(text.as_bytes(), fields, text.contains('"'))
                .map(|c| c.lines)
        };
        assert_eq!(count("", 2), Some(0));
        assert_eq!(count("1,2\n3,4\n", 2), Some(2));
        assert_eq!(count("1,2\n3,4", 2), Some(2));
        assert_eq!(count("1\n\n3,4\n", 2), Some(3));
        assert_eq!(count("1,2\n3,4,5\n", 2), None);
        assert_eq!(count("1,2\n3,4,", 2), None);
        assert_eq!(count("\"a,b\",2\n\"x\ny\",3\n", 2), Some(3));
        assert_eq!(count("\"a,b\",2,3\n", 2), None);
        assert_eq!(count("1,\"x\n2,3\n", 2), None, "a quote never closed");
        assert_eq!(count("\"", 2), None);
        // Rows that cross 64-byte blocks, and a long row far down.
        let mut long = String::new();
        for i in 0..500 {
            long.push_str(&format!("2020-01-{:02},{}.{}\n", i % 28 + 1, i, i * 7));
        }
        assert_eq!(count(&long, 2), Some(500));
        long.push_str("2020-02-01,1.5,oops\n");
        assert_eq!(count(&long, 2), None);
        assert_eq!(count(&long, 3), Some(501));
        let ascii = |text: &str| {
            count_lines_checking_fields(text.as_bytes(), 9, text.contains('"'))
                .unwrap()
                .ascii
        };
        assert!(ascii(&long) && ascii("\"a\",b\n"));
        assert!(!ascii("caf\u{e9},1\n") && !ascii("\"caf\u{e9}\",1\n"));
        let mut late = long.clone();
        late.push('\u{e9}');
        assert!(!ascii(&late), "a non-ASCII byte in the last partial block");
    }
}
