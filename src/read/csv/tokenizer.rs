//! pandas' CSV tokenizer (the C engine with default options), byte for byte: records, fields, line ends, blank lines, quotes.
//!
//! A port of the states of pandas' `tokenizer.cpp` that default options reach:
//!
//! - `\n`, `\r\n` and a lone `\r` end a record, mixed freely;
//! - empty lines and lines of only spaces and tabs are skipped (after a
//!   skipped line ended by a lone `\r`, a separator that starts the next line
//!   is dropped too: pandas' `EAT_CRNL_NOP` state, kept for fidelity);
//! - a quote opens a quoted field only as the first byte of a field; inside,
//!   `""` is a quote and separators and line ends are text; after the closing
//!   quote the field goes on unquoted (`"1.5"x` is `1.5x`);
//! - a quoted field still open at the end of the input is an error.
//!
//! Every pass that needs the structure of a file (the header, the sampled
//! rows, block boundaries, the exact path) goes through this one machine, so
//! they agree with each other and with pandas. Line numbers are the ones an
//! editor shows (every line end counts, also inside quotes).

use memchr::{memchr, memchr3};

/// The quote character (pandas' default `quotechar`).
pub const QUOTE: u8 = b'"';

/// Where the next record starts, and what the previous line left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Byte offset.
    pub offset: usize,
    /// 1-based line number at `offset`.
    pub line: u64,
    /// The previous line was skipped and ended with a lone `\r`: a
    /// separator right here is dropped (pandas' `EAT_CRNL_NOP`).
    pub after_blank_cr: bool,
}

impl Position {
    /// The start of some input whose first line is `line`.
    pub fn start(line: u64) -> Self {
        Position {
            offset: 0,
            line,
            after_blank_cr: false,
        }
    }
}

/// A quoted field that is never closed: pandas fails the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnclosedQuote {
    /// The line where the record with the open quote starts.
    pub line: u64,
}

/// Where the fields of a record go.
pub trait FieldSink {
    /// A byte of the current field.
    fn push(&mut self, byte: u8);
    /// Bytes of the current field.
    fn extend(&mut self, bytes: &[u8]);
    /// The current field is complete.
    fn end_field(&mut self);
}

/// The fields of one record, unquoted, in one buffer.
#[derive(Debug, Default, Clone)]
pub struct Fields {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Fields {
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The field at `index`, if the record has it.
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        Some(&self.bytes[start..end])
    }

    /// Every field, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|index| self.get(index).expect("in range"))
    }
}

impl FieldSink for Fields {
    fn push(&mut self, byte: u8) {
        self.bytes.push(byte);
    }
    fn extend(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }
    fn end_field(&mut self) {
        self.ends.push(self.bytes.len());
    }
}

/// Counts fields without keeping them (block boundaries, field counts).
#[derive(Debug, Default, Clone, Copy)]
pub struct FieldCount(pub usize);

impl FieldSink for FieldCount {
    fn push(&mut self, _: u8) {}
    fn extend(&mut self, _: &[u8]) {}
    fn end_field(&mut self) {
        self.0 += 1;
    }
}

/// What [`next_record`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// A record starting on this line; its fields went to the sink.
    Record { line: u64 },
    /// The input has no more records.
    End,
}

/// Tokenizes the next record of `bytes` from `at`, skipping blank lines,
/// into `sink`; `at` moves past it.
///
/// # Errors
/// When a quoted field is still open at the end of `bytes`.
pub fn next_record(
    bytes: &[u8],
    separator: u8,
    at: &mut Position,
    sink: &mut impl FieldSink,
) -> Result<Next, UnclosedQuote> {
    if !skip_blank_lines(bytes, separator, at) {
        return Ok(Next::End);
    }
    let line = at.line;
    read_record(bytes, separator, at, sink, line).map(|()| Next::Record { line })
}

/// Moves `at` past empty and blank lines; false when nothing but blank lines
/// is left (a final line of spaces without a line end is ignored, as pandas
/// ignores it).
fn skip_blank_lines(bytes: &[u8], separator: u8, at: &mut Position) -> bool {
    loop {
        let Some(&byte) = bytes.get(at.offset) else {
            return false;
        };
        // Where the line starts, for pandas' backtracking below.
        let line_start = at.offset;
        if std::mem::take(&mut at.after_blank_cr) && (byte == b'\n' || byte == separator) {
            at.offset += 1;
            if byte == b'\n' {
                continue;
            }
        }
        let mut end = at.offset;
        while bytes
            .get(end)
            .is_some_and(|&b| is_blank(b) && b != separator)
        {
            end += 1;
        }
        match bytes.get(end) {
            None if end > at.offset => return false,
            Some(b'\n') => {
                at.offset = end + 1;
                at.line += 1;
            }
            Some(b'\r') => {
                at.offset = end + 1;
                at.line += 1;
                at.after_blank_cr = true;
            }
            // A line that starts with blanks but has more: pandas backs up
            // to the start of the line, taking back a separator it dropped.
            _ if end > at.offset => {
                at.offset = line_start;
                return true;
            }
            _ => return true,
        }
    }
}

/// Spaces and tabs (C's `isblank`).
fn is_blank(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartField,
    InField,
    InQuoted,
    QuoteInQuoted,
}

/// Reads one record that starts at `at` (not a blank line).
fn read_record(
    bytes: &[u8],
    separator: u8,
    at: &mut Position,
    sink: &mut impl FieldSink,
    first_line: u64,
) -> Result<(), UnclosedQuote> {
    let mut state = State::StartField;
    let mut i = at.offset;
    loop {
        let Some(&byte) = bytes.get(i) else {
            // End of input: the record ends here, or a quote is left open.
            if state == State::InQuoted {
                return Err(UnclosedQuote { line: first_line });
            }
            sink.end_field();
            at.offset = i;
            return Ok(());
        };
        i += 1;
        match state {
            State::StartField | State::InField | State::QuoteInQuoted
                if byte == b'\n' || byte == b'\r' =>
            {
                sink.end_field();
                at.line += 1;
                if byte == b'\r' && bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
                at.offset = i;
                return Ok(());
            }
            State::StartField | State::InField | State::QuoteInQuoted if byte == separator => {
                sink.end_field();
                state = State::StartField;
            }
            State::StartField if byte == QUOTE => state = State::InQuoted,
            State::QuoteInQuoted if byte == QUOTE => {
                sink.push(QUOTE);
                state = State::InQuoted;
            }
            State::StartField | State::InField | State::QuoteInQuoted => {
                sink.push(byte);
                // The rest of an unquoted field, up to the next special byte.
                let rest = &bytes[i..];
                let run = memchr3(separator, b'\n', b'\r', rest).unwrap_or(rest.len());
                sink.extend(&rest[..run]);
                i += run;
                state = State::InField;
            }
            State::InQuoted if byte == QUOTE => state = State::QuoteInQuoted,
            State::InQuoted => {
                // Text up to the next quote, line ends included.
                let rest = &bytes[i - 1..];
                let run = memchr(QUOTE, rest).unwrap_or(rest.len());
                sink.extend(&rest[..run]);
                at.line += count_line_ends(&rest[..run]);
                i += run - 1;
            }
        }
    }
}

/// Line ends in `bytes`: `\n`, and `\r` not followed by `\n`.
pub fn count_line_ends(bytes: &[u8]) -> u64 {
    let newlines = memchr::memchr_iter(b'\n', bytes).count();
    let lone_returns = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count();
    (newlines + lone_returns) as u64
}

/// The offset just past the last complete record of `bytes`, read from its
/// start (which must be the start of a record), if any record ends in it
/// before its very end. A `\r` at the very end is not taken as a record end,
/// since a `\n` may follow it.
pub fn last_record_end(bytes: &[u8], separator: u8) -> Option<usize> {
    let mut at = Position::start(1);
    let mut last = None;
    loop {
        match next_record(bytes, separator, &mut at, &mut FieldCount::default()) {
            Ok(Next::Record { .. }) if at.offset < bytes.len() || ends_a_line(bytes) => {
                last = Some(at.offset);
            }
            // The end, a record cut by the end, or a quote still open there.
            Ok(_) | Err(_) => return last,
        }
    }
}

/// Whether `bytes` ends with a line end that cannot grow (`\n`).
fn ends_a_line(bytes: &[u8]) -> bool {
    bytes.last() == Some(&b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of `text` as strings, with its line.
    fn records(text: &str, separator: u8) -> Vec<(u64, Vec<String>)> {
        let bytes = text.as_bytes();
        let mut at = Position::start(1);
        let mut fields = Fields::default();
        let mut out = Vec::new();
        loop {
            fields.clear();
            match next_record(bytes, separator, &mut at, &mut fields).unwrap() {
                Next::Record { line } => out.push((
                    line,
                    fields
                        .iter()
                        .map(|f| String::from_utf8(f.to_vec()).unwrap())
                        .collect(),
                )),
                Next::End => return out,
            }
        }
    }

    fn rows(text: &str) -> Vec<Vec<String>> {
        records(text, b',').into_iter().map(|(_, r)| r).collect()
    }

    #[test]
    fn line_ends_of_every_kind() {
        let expected = [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]];
        assert_eq!(rows("a,b\r1,2\n3,4\r\n5,6\r"), expected);
        assert_eq!(rows("a,b\n1,2\n3,4\n5,6"), expected);
        // \r\r\n is a line end and then a blank line.
        let lines: Vec<u64> = records("a\r\r\n1\r\r\n2", b',')
            .iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(lines, [1, 3, 5]);
    }

    #[test]
    fn blank_lines_are_skipped_but_not_lines_of_separators() {
        assert_eq!(
            rows("a,b\n\n  \n\t \n,\n1,2\n"),
            [["a", "b"], ["", ""], ["1", "2"]]
        );
        // A line that starts with spaces and has more is a record, spaces kept.
        assert_eq!(rows("a,b\n  1,2\n"), [["a", "b"], ["  1", "2"]]);
        // A final line of spaces is ignored.
        assert_eq!(rows("a\n1\n   "), [["a"], ["1"]]);
    }

    #[test]
    fn a_separator_after_a_blank_carriage_return_line_is_dropped() {
        // Checked with pandas 3.1.1: `a,b\r1,2\r\r,5\r` reads (1,2),(5,NaN).
        let expected: [&[&str]; 3] = [&["a", "b"], &["1", "2"], &["5"]];
        assert_eq!(rows("a,b\r1,2\r\r,5\r"), expected);
        assert_eq!(rows("a,b\n1,2\n\r,5\n"), expected);
        // Not after \r\n, and not after a line that is not blank.
        assert_eq!(
            rows("a,b\r\n1,2\r\n\r\n,5\r\n"),
            [["a", "b"], ["1", "2"], ["", "5"]]
        );
        assert_eq!(rows("a,b\r1,2\r,5\r"), [["a", "b"], ["1", "2"], ["", "5"]]);
        // Unless the next line starts with blanks: pandas then backs up to
        // the start of the line, separator included.
        assert_eq!(
            rows("a,b\r1,2\r \r,\t5\r"),
            [["a", "b"], ["1", "2"], ["", "\t5"]]
        );
    }

    #[test]
    fn quotes_as_pandas_reads_them() {
        assert_eq!(rows("\"a,b\",c\n"), [["a,b", "c"]]);
        assert_eq!(rows("\"say \"\"hi\"\"\",x\n"), [["say \"hi\"", "x"]]);
        assert_eq!(rows("x\"y\"z,w\n"), [["x\"y\"z", "w"]]);
        assert_eq!(rows(" \"x,y\"\n"), [[" \"x", "y\""]]);
        assert_eq!(rows("\"1.5\"x,2\n"), [["1.5x", "2"]]);
        assert_eq!(rows("\"\",\"\"\"\"\n"), [["", "\""]]);
        // Line ends inside quotes are text, and count as lines.
        let quoted = records("a,b\n\"1\r\n2\",3\n4,5\n", b',');
        assert_eq!(quoted[1].1, ["1\r\n2", "3"]);
        assert_eq!(quoted[2].0, 4);
        let mut at = Position::start(1);
        assert_eq!(
            next_record(b"a,\"b\n1\n", b',', &mut at, &mut Fields::default()),
            Err(UnclosedQuote { line: 1 })
        );
    }

    #[test]
    fn a_trailing_separator_is_an_empty_field_and_tabs_can_separate() {
        assert_eq!(rows("a,b\n3,"), [["a", "b"], ["3", ""]]);
        assert_eq!(
            records("a\tb\n1\t2\n", b'\t')
                .into_iter()
                .map(|r| r.1)
                .collect::<Vec<_>>(),
            [["a", "b"], ["1", "2"]]
        );
    }

    #[test]
    fn records_end_where_the_next_one_starts() {
        assert_eq!(last_record_end(b"a\n1\n2", b','), Some(4));
        assert_eq!(last_record_end(b"a\n1\n2\n", b','), Some(6));
        assert_eq!(last_record_end(b"a\n\"1\n2", b','), Some(2));
        assert_eq!(
            last_record_end(b"a\r1\r", b','),
            Some(2),
            "a final \\r may be half of \\r\\n"
        );
        assert_eq!(last_record_end(b"abc", b','), None);
    }
}
