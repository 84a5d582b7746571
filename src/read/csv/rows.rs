//! The fields of chosen columns in every record of a block, as pandas' tokenizer reads them: blank lines skipped, a short row's missing fields empty.
//!
//! The text columns' tallies (`categorical`) and the key columns of `--by`
//! (`groups`) read a block this way: each record calls `visit(slot, field)`
//! once for every chosen column, in order (`slot` 0 starts a record).

use super::layout::{Layout, LayoutError};
use super::tokenizer::{self, Fields, Next, Position};

/// Calls `visit` with the fields at `positions` (ascending) of every record
/// of `block`, whose lines are counted from 1. Unless `checked` (every
/// block already checked as pandas checks it), a row wider than the table
/// fails the block.
///
/// # Errors
/// A row too wide, or a quote never closed, with its line.
pub fn for_each_field(
    block: &[u8],
    layout: &Layout,
    positions: &[usize],
    checked: bool,
    visit: impl FnMut(usize, &[u8]),
) -> Result<(), LayoutError> {
    if is_simple(block, layout.separator) {
        read_simple(block, layout, positions, checked, visit)
    } else {
        read_tokens(block, layout, positions, visit)
    }
}

/// Reads `block` record by record with pandas' tokenizer (see [`for_each_field`]).
///
/// # Errors
/// As [`for_each_field`].
pub fn read_tokens(
    block: &[u8],
    layout: &Layout,
    positions: &[usize],
    mut visit: impl FnMut(usize, &[u8]),
) -> Result<(), LayoutError> {
    let mut fields = Fields::default();
    let mut at = Position::start(1);
    loop {
        fields.clear();
        let record = tokenizer::next_record(block, layout.separator, &mut at, &mut fields)
            .map_err(|open| LayoutError::UnclosedQuote { line: open.line })?;
        let Next::Record { line } = record else {
            return Ok(());
        };
        layout.check_width(line, fields.len())?;
        for (slot, &position) in positions.iter().enumerate() {
            visit(slot, fields.get(position).unwrap_or_default());
        }
    }
}

/// Whether `block` has no quote and no `\r`: then its records are its lines
/// that are not blank, and its fields what the separators cut them into,
/// as pandas' tokenizer reads them (see [`read_simple`]). Blanks inside a
/// field (`2020-01-01 09:30`) are part of it; pandas' quirks around blanks
/// all follow a lone `\r`.
pub fn is_simple(block: &[u8], separator: u8) -> bool {
    !matches!(separator, b'\r' | b'\n' | tokenizer::QUOTE)
        && memchr::memchr2(tokenizer::QUOTE, b'\r', block).is_none()
}

/// Whether pandas skips `line`: empty, or only spaces and tabs that are not
/// the separator.
fn is_blank_line(line: &[u8], separator: u8) -> bool {
    line.iter()
        .all(|&byte| (byte == b' ' || byte == b'\t') && byte != separator)
}

/// Reads a simple block (see [`is_simple`]) line by line: pandas'
/// tokenizer, for such a block, does no more (a blank line is skipped, a
/// short row's missing fields are missing). Unless `checked`, a row wider
/// than the table fails the block.
///
/// # Errors
/// A row too wide, with its line.
pub fn read_simple(
    block: &[u8],
    layout: &Layout,
    positions: &[usize],
    checked: bool,
    mut visit: impl FnMut(usize, &[u8]),
) -> Result<(), LayoutError> {
    let separator = layout.separator;
    // Fields are short: a plain search beats memchr's setup.
    let next_separator = |line: &[u8], from: usize| {
        (line[from..].iter())
            .position(|&byte| byte == separator)
            .map(|at| from + at)
    };
    let mut start = 0;
    for line_number in 1.. {
        if start >= block.len() {
            break;
        }
        let end = memchr::memchr(b'\n', &block[start..]).map_or(block.len(), |at| start + at);
        let line = &block[start..end];
        start = end + 1;
        if is_blank_line(line, separator) {
            continue;
        }
        if !checked {
            layout.check_width(
                line_number,
                1 + memchr::memchr_iter(separator, line).count(),
            )?;
        }
        let (mut field, mut field_start) = (0, 0);
        for (slot, &position) in positions.iter().enumerate() {
            while field < position {
                match next_separator(line, field_start) {
                    Some(at) => (field, field_start) = (field + 1, at + 1),
                    None => break, // a short row
                }
            }
            if field < position {
                visit(slot, b""); // missing, as pandas pads a short row
                continue;
            }
            let field_end = next_separator(line, field_start).unwrap_or(line.len());
            visit(slot, &line[field_start..field_end]);
        }
    }
    Ok(())
}
