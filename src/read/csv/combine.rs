//! A CSV file's rows in file order: the numeric columns described, the others tallied when `--include` selects them, and a warning for each column left out.

use super::body::CsvFile;
use super::layout::Layout;
use super::numbers::NotNumeric;
use super::{text, NumericColumns};
use crate::describe::categorical::Reading;
use crate::describe::{ColumnStats, Include, Options};
use crate::parallel::SpareCores;
use crate::read::FileError;

/// The rows of the columns `options.include` selects, in file order: the
/// numeric ones described, the others tallied (when selected), with a
/// warning for each column left out that the user may expect.
///
/// # Errors
/// As [`text::describe_columns`].
pub(super) fn combine(
    file: &CsvFile,
    layout: &Layout,
    numeric: NumericColumns,
    options: &Options,
    spare: &SpareCores,
) -> Result<(Vec<ColumnStats>, Vec<String>), FileError> {
    // pandas' default describes every column of a file without a numeric one.
    let include = options.include.for_file(!numeric.columns.is_empty());
    let position_of = |name: &str| layout.names.iter().position(|n| n == name);
    let mut rows: Vec<(usize, ColumnStats)> = Vec::new();
    let mut left_out = numeric.left_out;
    let numeric_positions: Vec<usize> = numeric
        .columns
        .iter()
        .filter_map(|stats| position_of(&stats.column))
        .collect();
    if include.numbers {
        rows.extend(numeric_positions.iter().copied().zip(numeric.columns));
    }
    if include.categorical() {
        let positions: Vec<usize> = (layout.index_columns..layout.width)
            .filter(|p| !numeric_positions.contains(p))
            .collect();
        let columns = text_columns(layout, positions, &left_out);
        let tallied = text::describe_columns(file, layout, &columns, options, spare)?;
        for (&position, (count, categorical)) in columns.positions.iter().zip(tallied) {
            if include.selects(categorical.kind) {
                let name = &layout.names[position];
                let stats =
                    ColumnStats::categorical(name, count, categorical, &options.percentiles);
                rows.push((position, stats));
            }
        }
        if include.text() {
            // Text among numbers, and integers too wide, are described as
            // the text or Python integers they are.
            left_out.clear();
        }
    }
    rows.sort_by_key(|&(position, _)| position);
    let mut warnings: Vec<String> = left_out
        .iter()
        .map(|(position, reason)| not_numeric_warning(&layout.names[*position], reason))
        .collect();
    if rows.is_empty() {
        warnings.push(nothing_to_describe(layout, include));
    }
    Ok((rows.into_iter().map(|(_, stats)| stats).collect(), warnings))
}

/// The columns at `positions` (not numeric to pandas), each read as
/// pandas reads it: Python integers or literal text where `left_out` says
/// its integers are too wide, text otherwise.
pub(super) fn text_columns(
    layout: &Layout,
    positions: Vec<usize>,
    left_out: &[(usize, NotNumeric)],
) -> text::Columns {
    let reading = |position: &usize| match left_out.iter().find(|(p, _)| p == position) {
        Some((_, NotNumeric::WideIntegers { as_text: false, .. })) => Reading::Integers,
        Some((_, NotNumeric::WideIntegers { as_text: true, .. })) => Reading::Literal,
        _ => Reading::Text,
    };
    text::Columns {
        readings: positions.iter().map(reading).collect(),
        positions,
        // Reading candidate columns checks every block; otherwise the tallies do.
        checked: !layout.numeric.is_empty(),
    }
}

/// Why a file gives no rows.
fn nothing_to_describe(layout: &Layout, include: Include) -> String {
    if layout.sampled_rows == 0 && include == Include::NUMBERS {
        "no data rows (only a header): nothing to describe".into()
    } else if include == Include::NUMBERS {
        "no numeric column: nothing to describe".into()
    } else {
        let kinds = include.names().join(" or ");
        format!("no {kinds} column: nothing to describe")
    }
}

/// The warning for a column pandas does not describe, found past the sample.
pub(super) fn not_numeric_warning(column: &str, reason: &NotNumeric) -> String {
    match reason {
        NotNumeric::Text { line, value } => text_among_numbers(column, *line, value),
        NotNumeric::WideIntegers { line, .. } => format!(
            "line {line}: column '{column}' holds integers too wide for 64 bits; \
             pandas keeps them as Python integers or text, so it is left out"
        ),
    }
}

/// The warning for a column of numbers that holds text, which pandas reads as text.
fn text_among_numbers(column: &str, line: u64, text: &str) -> String {
    format!(
        "line {line}: column '{column}' holds the text {} among numbers; \
         pandas reads it as text, so it is left out",
        quoted(text)
    )
}

/// `value` for a message: quoted, and cut short if long.
fn quoted(value: &str) -> String {
    const SHOWN: usize = 40;
    match value.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{:?}... ({} bytes)", &value[..cut], value.len()),
        None => format!("{value:?}"),
    }
}
