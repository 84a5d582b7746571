//! CSV files as pandas' `read_csv` reads them: the bytes (`body`, in blocks cut at record ends: `blocks`), pandas' tokenizer and number rule (`tokenizer`, `numbers`), the header and the columns' types (`layout`), and the values handed to `describe`.
//!
//! Two ways to read the same file, with one answer:
//!
//! - the fast path: Polars' CSV parser over the file's blocks (`scan`,
//!   `fast`), taken when every block is plain (`plain`: no blanks, no lone
//!   `\r`, no row too wide) and the values it parses are ordinary (no NaN, no
//!   infinity, nothing at or beyond 2^62, which need pandas' exact rules);
//! - the exact path (`exact`): pandas' tokenizer and number rule, token by
//!   token, for every other file.
//!
//! A file larger than one block is read on every core into spools
//! (`large`); text and bool columns are tallied block by block (`text`),
//! the key columns of `--by` read row by row (`keys`, through `rows`), and
//! the rows put in file order with their warnings (`combine`).

pub(crate) mod blocks;
pub mod body;
mod combine;
mod exact;
mod fast;
pub mod keys;
mod large;
pub mod layout;
pub mod numbers;
mod plain;
mod rows;
mod scan;
mod text;
pub mod tokenizer;

use super::{quoted_names, Described, FileError};
use crate::describe::groups::{self, TextColumn};
use crate::describe::{large as spooled, ColumnStats, Options, Rows};
use crate::parallel::SpareCores;
use body::CsvFile;
pub use layout::LayoutError;
use numbers::NotNumeric;

/// How records are read: the separator, and the longest record held.
pub fn reading(options: &Options) -> body::Reading {
    body::Reading {
        separator: options.separator,
        record_limit: options.memory.record_limit(),
    }
}

/// The statistics of `file`'s columns that `options.include` selects, in
/// file order, with warnings for columns left out.
pub(super) fn describe(
    file: &CsvFile,
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    let mut layout = layout::inspect(file.head(), options.separator)?;
    // A large file whose first data record is longer than a block: its head
    // is the header alone, so read on to that record (it fixes the width).
    let mut longer_head;
    let mut file = file;
    while layout.sampled_rows == 0 {
        let Some(longer) = file.with_longer_head()? else {
            break;
        };
        longer_head = longer;
        file = &longer_head;
        layout = layout::inspect(file.head(), options.separator)?;
    }
    if layout.index_columns == 0 && crate::results::table::are_result_columns(&layout.names) {
        // An earlier run's output among the inputs (found in a folder,
        // given another name than this run's): not data.
        let note = "a polarsdesc result table (an earlier run's output), not data: left out";
        return Ok(Described {
            rows: Rows::empty(),
            warnings: vec![note.into()],
            keys: (!options.by.is_empty()).then(Vec::new),
        });
    }
    if !options.by.is_empty() {
        return describe_by(file, &layout, options, spare);
    }
    // The numeric columns are read even when they are not included: the
    // other columns are the ones pandas does not read as numbers.
    let numeric = numeric_columns(file, &layout, options, spare)?;
    let (columns, warnings) = combine::combine(file, &layout, numeric, options, spare)?;
    Ok(Described::whole(&columns, warnings))
}

/// `--by`: the numeric columns of `file` described per group of the key
/// columns' values (see [`groups`]).
fn describe_by(
    file: &CsvFile,
    layout: &layout::Layout,
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    let key_positions = (options.by.iter())
        .map(|name| {
            (layout.index_columns..layout.width)
                .find(|&position| &layout.names[position] == name)
                .ok_or_else(|| FileError::MissingKey {
                    name: name.clone(),
                    columns: quoted_names(&layout.names[layout.index_columns..]),
                })
        })
        .collect::<Result<Vec<usize>, FileError>>()?;
    let read = if layout.numeric.is_empty() {
        exact::ReadColumns::default()
    } else if file.is_in_memory() {
        exact::read_in_order(file, layout, usize::MAX)?
    } else {
        large::read_columns(file, layout, options, spare)?
    };
    let keys = keys::csv_keys(file, layout, &key_positions, options, spare)?;
    let numeric_positions: Vec<usize> = (read.numeric.iter())
        .filter_map(|column| layout.names.iter().position(|name| *name == column.name))
        .filter(|position| !key_positions.contains(position))
        .collect();
    // pandas' default describes every column but the keys when no other is numeric.
    let include = options.include.for_file(!numeric_positions.is_empty());
    let mut left_out: Vec<(usize, NotNumeric)> = text_in_sample(layout)
        .into_iter()
        .chain(read.not_numeric)
        .filter(|(position, _)| !key_positions.contains(position))
        .collect();
    let texts = match include.categorical() {
        true => {
            let positions: Vec<usize> = (layout.index_columns..layout.width)
                .filter(|p| !numeric_positions.contains(p) && !key_positions.contains(p))
                .collect();
            let columns = combine::text_columns(layout, positions, &left_out);
            let spooled = text::spool_columns(file, layout, &columns, options, spare)?;
            (columns.positions.iter().zip(spooled))
                .map(|(&position, (whole, values))| TextColumn {
                    name: layout.names[position].clone(),
                    whole,
                    categories: None,
                    values,
                })
                .collect()
        }
        false => Vec::new(),
    };
    if include.text() {
        // Text among numbers is described as the text it is.
        left_out.clear();
    }
    let columns = groups::GroupedColumns {
        numeric: &read.numeric,
        texts: &texts,
        order: &layout.names,
    };
    let grouped = groups::describe_groups(keys, columns, include, options, spare)?;
    let warnings: Vec<String> = (left_out.into_iter())
        .map(|(position, reason)| combine::not_numeric_warning(&layout.names[position], &reason))
        .collect();
    Ok(Described::grouped(grouped, include, warnings))
}

/// The numeric columns of a file, and the candidates left out because pandas
/// reads them as something else.
struct NumericColumns {
    columns: Vec<ColumnStats>,
    left_out: Vec<(usize, NotNumeric)>,
}

/// Reads and describes `layout`'s candidate columns.
fn numeric_columns(
    file: &CsvFile,
    layout: &layout::Layout,
    options: &Options,
    spare: &SpareCores,
) -> Result<NumericColumns, FileError> {
    let mut left_out = text_in_sample(layout);
    let read = if layout.numeric.is_empty() {
        return Ok(NumericColumns {
            columns: Vec::new(),
            left_out,
        });
    } else if !file.is_in_memory() {
        large::read_columns(file, layout, options, spare)?
    } else if let Some(columns) = fast::describe(file, layout, options, spare)? {
        return Ok(NumericColumns { columns, left_out });
    } else {
        exact::read_in_order(file, layout, usize::MAX)?
    };
    left_out.extend(read.not_numeric);
    Ok(NumericColumns {
        columns: spooled::describe_columns(&read.numeric, options, spare)?,
        left_out,
    })
}

/// The candidate columns the sample found text among numbers in, and where.
fn text_in_sample(layout: &layout::Layout) -> Vec<(usize, NotNumeric)> {
    (layout.mixed.iter())
        .map(|(position, line, value)| {
            let (line, value) = (*line, value.clone());
            (*position, NotNumeric::Text { line, value })
        })
        .collect()
}
