//! One fast pass over a block of rows: can Polars' CSV parser read it exactly as pandas does, and how many lines it has.
//!
//! Polars and pandas agree on a block whose only line ends are `\n` or
//! `\r\n`, with valid UTF-8, no row wider than the table (checked here, since
//! Polars does not check rows whose extra fields it does not parse), and no
//! blank where they read it differently. Blanks are where they part: pandas
//! reads `1 ` as a number and `" "` as text, skips lines of blanks; Polars
//! fails on the first and reads the second as missing. So a space may stand
//! in a column that is not parsed as numbers (a `2024-01-01 09:30` time
//! stamp), outside quotes, on a line that holds a separator; any other blank
//! (a tab, a space in a numeric column, a space in a quoted block) makes the
//! block not plain. Such a block is read by pandas' own rules instead
//! (`exact`).

use memchr::{memchr, memchr2_iter, memchr3, memchr3_iter};

use super::tokenizer::{self, FieldCount, Next, Position, QUOTE};

/// A block Polars can read exactly as pandas does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plain {
    /// Lines, blank ones included (a last line without a line end counts).
    pub lines: usize,
    /// Whether the block holds a quote (Polars must then follow quoting).
    pub quoted: bool,
}

/// Checks `block` (whole records of the body) for rows of at most
/// `numeric.len()` fields separated by `separator`, and for anything that
/// Polars would read differently from pandas; `numeric` says which columns
/// Polars parses as numbers.
pub fn check(block: &[u8], separator: u8, numeric: &[bool]) -> Option<Plain> {
    if !is_utf8(block) {
        return None;
    }
    let width = numeric.len();
    let quoted = memchr(QUOTE, block).is_some();
    let newlines = if quoted {
        (has_only_plain_blanks(block, separator) && quoted_rows_fit(block, separator, width))
            .then(|| memchr::memchr_iter(b'\n', block).count())?
    } else if memchr3(b' ', b'\t', b'\r', block).is_none() {
        // The common block, no blank at all: one scan for fields and lines.
        newlines_if_rows_fit(block, separator, numeric.len())?
    } else {
        if !has_no_tab_or_lone_return(block, separator) {
            return None;
        }
        newlines_if_spaced_rows_fit(block, separator, numeric)?
    };
    Some(Plain {
        lines: newlines + usize::from(!block.is_empty() && !block.ends_with(b"\n")),
        quoted,
    })
}

/// No space or tab (unless it is the separator), and every `\r` part of `\r\n`.
fn has_only_plain_blanks(block: &[u8], separator: u8) -> bool {
    memchr3_iter(b' ', b'\t', b'\r', block).all(|at| match block[at] {
        b'\r' => block.get(at + 1) == Some(&b'\n'),
        blank => blank == separator,
    })
}

/// No tab (unless it is the separator), and every `\r` part of `\r\n`.
fn has_no_tab_or_lone_return(block: &[u8], separator: u8) -> bool {
    memchr2_iter(b'\t', b'\r', block).all(|at| match block[at] {
        b'\r' => block.get(at + 1) == Some(&b'\n'),
        tab => tab == separator,
    })
}

fn is_utf8(block: &[u8]) -> bool {
    block.is_ascii() || std::str::from_utf8(block).is_ok()
}

/// The number of line ends, if no line has more than `width` fields (no
/// quotes and no blanks in the block): one pass for both.
fn newlines_if_rows_fit(block: &[u8], separator: u8, width: usize) -> Option<usize> {
    let most = width.saturating_sub(1);
    let mut separators = 0;
    let mut newlines = 0;
    for at in memchr2_iter(separator, b'\n', block) {
        if block[at] == b'\n' {
            newlines += 1;
            separators = 0;
        } else {
            separators += 1;
            if separators > most {
                return None;
            }
        }
    }
    Some(newlines)
}

/// The number of line ends, if no line has more than `numeric.len()`
/// fields and no space stands where pandas reads it differently (no quotes
/// in the block): in a numeric column, or on a line with no separator (a
/// line of blanks, which pandas skips). One pass for all of it.
fn newlines_if_spaced_rows_fit(block: &[u8], separator: u8, numeric: &[bool]) -> Option<usize> {
    let most = numeric.len().saturating_sub(1);
    let mut separators = 0;
    let mut newlines = 0;
    let mut blank = false;
    for at in memchr3_iter(separator, b'\n', b' ', block) {
        let byte = block[at];
        if byte == separator {
            separators += 1;
            if separators > most {
                return None;
            }
        } else if byte == b'\n' {
            if blank && separators == 0 {
                return None;
            }
            newlines += 1;
            separators = 0;
            blank = false;
        } else {
            if numeric.get(separators).copied().unwrap_or(true) {
                return None;
            }
            blank = true;
        }
    }
    (!(blank && separators == 0)).then_some(newlines)
}

/// Whether no record has more than `width` fields, following quotes (and no
/// quote is left open).
fn quoted_rows_fit(block: &[u8], separator: u8, width: usize) -> bool {
    let mut at = Position::start(1);
    loop {
        let mut fields = FieldCount::default();
        match tokenizer::next_record(block, separator, &mut at, &mut fields) {
            Ok(Next::Record { .. }) if fields.0 <= width => {}
            Ok(Next::End) => return true,
            Ok(Next::Record { .. }) | Err(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Option<Plain> {
        check(text.as_bytes(), b',', &[true, true])
    }

    #[test]
    fn plain_blocks() {
        assert_eq!(
            plain("1,2\n3,4\n"),
            Some(Plain {
                lines: 2,
                quoted: false
            })
        );
        assert_eq!(
            plain("1,2\r\n3,4"),
            Some(Plain {
                lines: 2,
                quoted: false
            })
        );
        assert_eq!(
            plain("\"a,b\",2\n"),
            Some(Plain {
                lines: 1,
                quoted: true
            })
        );
        assert_eq!(plain("caf\u{e9},1\n").map(|p| p.lines), Some(1));
        assert_eq!(
            check(b"1\t2\n", b'\t', &[true, true]).map(|p| p.lines),
            Some(1)
        );
        // A space in a column of text (a time stamp) reads alike.
        let stamped = |text: &str| check(text.as_bytes(), b',', &[false, true]);
        assert_eq!(
            stamped("2024-01-01 09:30,1.5\n2024-01-01 09:31,2\n").map(|p| p.lines),
            Some(2)
        );
        assert_eq!(stamped("a b,1\r\nc,2").map(|p| p.lines), Some(2));
    }

    #[test]
    fn blocks_pandas_reads_differently_or_rejects() {
        assert_eq!(plain("1 ,2\n"), None, "a blank");
        assert_eq!(plain("1,2\n  \n"), None, "a line of blanks");
        assert_eq!(plain("\" \",2\n"), None, "a quoted blank");
        assert_eq!(plain("1,2\r3,4\r"), None, "a lone carriage return");
        assert_eq!(plain("1,2,3\n"), None, "a row too wide");
        assert_eq!(plain("\"1,2\",3,4\n"), None, "a row too wide, quoted");
        assert_eq!(plain("1,\"2\n"), None, "a quote never closed");
        assert_eq!(check(b"1,\xff\n", b',', &[true, true]), None, "not UTF-8");
        let stamped = |text: &str| check(text.as_bytes(), b',', &[false, true]);
        assert_eq!(stamped("a b,1 \n"), None, "a blank in the numeric column");
        assert_eq!(stamped("a b,1\n   \n"), None, "a line of blanks");
        assert_eq!(stamped("a b,1\n   "), None, "a last line of blanks");
        assert_eq!(stamped("a\tb,1\n"), None, "a tab");
        assert_eq!(stamped("\"a b\",1\n"), None, "a blank in a quoted block");
        assert_eq!(stamped("a b,1,2\n"), None, "a row too wide");
    }
}
