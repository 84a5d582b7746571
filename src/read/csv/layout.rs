//! The shape of one CSV file as pandas sees it: header, implicit index columns, width, pandas' names, which columns may be numeric.
//!
//! pandas reads every row before it decides a column's type; we decide from
//! the header and the first [`SAMPLE_ROWS`] rows, then parse the whole file
//! with that guess. A later value that does not fit is caught then (see
//! `exact`), so the sample only has to be a good first guess.

use std::borrow::Cow;
use std::collections::HashMap;

use super::numbers::{self, Token};
use super::tokenizer::{self, Fields, Next, Position};

/// Data rows inspected to decide which columns may be numeric.
pub const SAMPLE_ROWS: usize = 100;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// What the header and the sample rows say about a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The field separator.
    pub separator: u8,
    /// Fields per row: the wider of the header and the first data row
    /// (shorter rows are padded with missing values, as pandas pads them).
    pub width: usize,
    /// Leading fields that pandas takes as the index, because the first data
    /// row has more fields than the header; they are not described.
    pub index_columns: usize,
    /// Fields in the header.
    pub header_fields: usize,
    /// The name of each field position, as pandas gives it ("Unnamed: 0" for
    /// an empty header field, "x.1" for a second "x"); empty for the index.
    pub names: Vec<String>,
    /// Positions of the columns that may be numeric, in file order.
    pub numeric: Vec<usize>,
    /// Bytes of the header, including any byte-order mark: where the body starts.
    pub header_len: usize,
    /// The line the body starts on.
    pub body_line: u64,
    /// Data rows seen in the sample (at most [`SAMPLE_ROWS`]; 0 for a header alone).
    pub sampled_rows: usize,
    /// Columns that look numeric but hold some text in the sample (pandas
    /// reads them as text): position, line and value of the first text.
    pub mixed: Vec<(usize, u64, String)>,
}

impl Layout {
    /// Checks that the record on `line` with `found` fields fits the table.
    ///
    /// # Errors
    /// pandas' "Expected 2 fields in line 3, saw 3" when it is wider.
    pub fn check_width(&self, line: u64, found: usize) -> Result<(), LayoutError> {
        if found <= self.width {
            return Ok(());
        }
        Err(LayoutError::TooManyFields {
            line,
            found,
            expected: self.width,
            header: self.width == self.header_fields,
        })
    }
}

/// Why pandas cannot read a file either (found in its first rows, or later
/// by the exact path). The message names the line; [`LayoutError::reason`]
/// is the same without it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// The file has no bytes, or only blank lines.
    #[error("the file is empty (no header line)")]
    Empty,
    /// A quoted field is never closed.
    #[error("line {line}: a quoted field opened in this row is never closed")]
    UnclosedQuote { line: u64 },
    /// A byte sequence that is not UTF-8.
    #[error("line {line}: not valid UTF-8 text (pandas reads CSV files as UTF-8)")]
    NotUtf8 { line: u64 },
    /// A row longer than the ones before it (pandas: "Expected 2 fields in
    /// line 3, saw 3").
    #[error("line {line}: {}", too_many(*.found, *.expected, *.header))]
    TooManyFields {
        line: u64,
        found: usize,
        expected: usize,
        /// Whether the header set the width (else the first data row did).
        header: bool,
    },
}

fn too_many(found: usize, expected: usize, header: bool) -> String {
    let whose = if header {
        "the header"
    } else {
        "the first data row"
    };
    format!("{found} fields, but {whose} has {expected}")
}

impl LayoutError {
    /// What is wrong, without the line.
    pub fn reason(&self) -> String {
        let message = self.to_string();
        match self.line() {
            Some(line) => message
                .strip_prefix(&format!("line {line}: "))
                .unwrap_or(&message)
                .to_string(),
            None => message,
        }
    }

    /// The same error `lines` lines further down (found in a block read
    /// with its lines counted from 1).
    pub fn shifted(mut self, lines: u64) -> Self {
        match &mut self {
            LayoutError::Empty => {}
            LayoutError::UnclosedQuote { line }
            | LayoutError::NotUtf8 { line }
            | LayoutError::TooManyFields { line, .. } => *line += lines,
        }
        self
    }

    /// The line the error is on, when there is one.
    pub fn line(&self) -> Option<u64> {
        match self {
            LayoutError::Empty => None,
            LayoutError::UnclosedQuote { line }
            | LayoutError::NotUtf8 { line }
            | LayoutError::TooManyFields { line, .. } => Some(*line),
        }
    }
}

/// The line of the first byte of `bytes` that is not UTF-8, if any; lines
/// start at `first_line`.
pub fn first_invalid_utf8_line(bytes: &[u8], first_line: u64) -> Option<u64> {
    if bytes.is_ascii() {
        return None;
    }
    let error = std::str::from_utf8(bytes).err()?;
    Some(first_line + tokenizer::count_line_ends(&bytes[..error.valid_up_to()]))
}

/// Reads the header and up to [`SAMPLE_ROWS`] rows of `head` (complete
/// records from the start of the file), fields separated by `separator`.
///
/// # Errors
/// When the file is empty, not UTF-8, has a quote never closed, or a sampled
/// row is longer than the rows before it (pandas fails such files too).
pub fn inspect(head: &[u8], separator: u8) -> Result<Layout, LayoutError> {
    if let Some(line) = first_invalid_utf8_line(head, 1) {
        return Err(LayoutError::NotUtf8 { line });
    }
    let body = head.strip_prefix(UTF8_BOM).unwrap_or(head);
    let bom_len = head.len() - body.len();
    let mut at = Position::start(1);
    let mut fields = Fields::default();
    let next = |at: &mut Position, fields: &mut Fields| {
        fields.clear();
        tokenizer::next_record(body, separator, at, fields)
            .map_err(|open| LayoutError::UnclosedQuote { line: open.line })
    };
    if next(&mut at, &mut fields)? == Next::End {
        return Err(LayoutError::Empty);
    }
    let header: Vec<Cow<str>> = fields
        .iter()
        .map(|field| Cow::Owned(String::from_utf8_lossy(field).into_owned()))
        .collect();
    let header_len = bom_len + at.offset;
    let body_line = at.line;

    let mut width = header.len();
    let mut index_columns = 0;
    let mut kinds: Vec<Kinds> = Vec::new();
    let mut sampled_rows = 0;
    while sampled_rows < SAMPLE_ROWS {
        let Next::Record { line } = next(&mut at, &mut fields)? else {
            break;
        };
        if sampled_rows == 0 {
            // The first data row fixes the width; extra leading fields are the index.
            index_columns = fields.len().saturating_sub(header.len());
            width = width.max(fields.len());
            kinds = vec![Kinds::default(); width];
        } else if fields.len() > width {
            return Err(LayoutError::TooManyFields {
                line,
                found: fields.len(),
                expected: width,
                header: width == header.len(),
            });
        }
        sampled_rows += 1;
        for (position, kind) in kinds.iter_mut().enumerate().skip(index_columns) {
            // pandas fills a short row's missing fields with NaN.
            let field = fields.get(position).unwrap_or_default();
            kind.add(numbers::classify(field), line, field);
        }
    }
    let mut names = vec![String::new(); index_columns];
    names.extend(pandas_names(&header));
    names.resize(width, String::new());
    let numeric = (index_columns..width)
        .filter(|&i| kinds.get(i).is_some_and(Kinds::is_numeric))
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
        separator,
        width,
        index_columns,
        header_fields: header.len(),
        names,
        numeric,
        header_len,
        body_line,
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
    fn add(&mut self, token: Token, line: u64, field: &[u8]) {
        self.rows += 1;
        match token {
            Token::Number(..) => self.numbers += 1,
            Token::Text if self.first_text.is_none() => {
                self.first_text = Some((line, String::from_utf8_lossy(field).into_owned()));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(text: &str) -> Layout {
        inspect(text.as_bytes(), b',').expect("valid layout")
    }

    #[test]
    fn the_article_shape() {
        let l = layout(",data\n2010-01-01,0.5\n2010-01-04,0.25\n");
        assert_eq!(l.names, ["Unnamed: 0", "data"]);
        assert_eq!(
            (l.numeric.as_slice(), l.width, l.index_columns),
            (&[1][..], 2, 0)
        );
        assert_eq!((l.header_len, l.body_line), (6, 2));
        assert_eq!(l.sampled_rows, 2);
    }

    #[test]
    fn implicit_index_columns_as_pandas_finds_them() {
        // pandas 3.1.1: `a,b\n1,2,3\n4,5,6` describes a = {2, 5} and b = {3, 6}.
        let l = layout("a,b\n1,2,3\n4,5,6\n");
        assert_eq!((l.width, l.index_columns), (3, 1));
        assert_eq!(l.names, ["", "a", "b"]);
        assert_eq!(l.numeric, [1, 2]);
        let l = layout("a,b\n1,2,3,4\n5,6,7,8\n");
        assert_eq!((l.index_columns, l.numeric.as_slice()), (2, &[2, 3][..]));
        // ",a" over three fields: the index, then "Unnamed: 0" and "a".
        assert_eq!(layout(",a\n0,1,2\n").names, ["", "Unnamed: 0", "a"]);
        // A header longer than the first row: no index, rows padded.
        let l = layout("a,b,c\n1,2\n4,5\n");
        assert_eq!(
            (l.width, l.index_columns, l.numeric.as_slice()),
            (3, 0, &[0, 1, 2][..])
        );
        // Only the first data row decides; a later longer row fails the file.
        assert_eq!(
            inspect(b"a,b\n1,2\n4,5,6\n", b','),
            Err(LayoutError::TooManyFields {
                line: 3,
                found: 3,
                expected: 2,
                header: true
            })
        );
    }

    #[test]
    fn preamble_lines_fail_with_the_line_and_the_counts() {
        // pandas: "Expected 1 fields in line 3, saw 2".
        assert_eq!(
            inspect(b"#one:line one\n#two:line two\na,b\n1,2\n", b','),
            Err(LayoutError::TooManyFields {
                line: 3,
                found: 2,
                expected: 1,
                header: true
            })
        );
    }

    #[test]
    fn numeric_needs_rows_and_no_text() {
        let l = layout("a,b,c,d\n1,x,,1\n2,y,,NA\n");
        assert_eq!(l.numeric, [0, 2, 3]);
        // A header without rows has no numeric column (pandas reads it as text).
        assert!(layout("a,b\n").numeric.is_empty());
        // Blanks around numbers are fine; a blank line is skipped.
        assert_eq!(layout("a,b\n1 ,2\n  \n3  ,4\n").numeric, [0, 1]);
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
    fn bom_line_ends_and_quotes() {
        let l = layout("\u{feff}\"x, y\",z\r\n\"1\",\"a\nb\"\r\n2,c\r\n");
        assert_eq!(l.names, ["x, y", "z"]);
        assert_eq!(l.numeric, [0]);
        assert_eq!(l.header_len, 3 + 10);
        let l = layout("a,b\r1,2\r3,4\r");
        assert_eq!((l.sampled_rows, l.numeric.as_slice()), (2, &[0, 1][..]));
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(inspect(b"", b','), Err(LayoutError::Empty));
        assert_eq!(inspect(b"\n  \n", b','), Err(LayoutError::Empty));
        assert_eq!(inspect(b"\xEF\xBB\xBF", b','), Err(LayoutError::Empty));
        assert_eq!(
            inspect(b"a\n\xff\n", b','),
            Err(LayoutError::NotUtf8 { line: 2 })
        );
        assert_eq!(
            inspect(b"a,\"b\n1\n", b','),
            Err(LayoutError::UnclosedQuote { line: 1 })
        );
    }
}
