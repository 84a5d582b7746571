//! Describing one CSV file: read it, scan it with Polars, compute pandas' `describe()` for each numeric column.

pub mod body;
pub mod layout;
mod percentiles;
mod quoting;
mod scan;
pub mod stats;

use std::io;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::parallel::SpareCores;
use body::CsvFile;
pub use layout::LayoutError;
pub use percentiles::Percentiles;
pub use stats::ColumnStats;

/// The statistics of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSummary {
    /// The file, as it was named on the command line or found in a folder.
    pub path: PathBuf,
    /// The file stem: "ab" for `data/ab.csv`.
    pub label: String,
    /// One entry per numeric column, in file order.
    pub columns: Vec<ColumnStats>,
    /// Things the user should know that did not stop the file (a column left
    /// out because it holds text, as pandas would leave it out).
    pub warnings: Vec<String>,
}

/// Why one file could not be described. The run goes on with the others.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be opened or read.
    #[error("cannot read: {0}")]
    Read(#[source] io::Error),
    /// The header or the first rows are unusable.
    #[error("{0}")]
    Layout(#[from] LayoutError),
    /// A row further down is malformed.
    #[error("line {line}: {message}")]
    Malformed { line: u64, message: String },
    /// Polars could not parse the file, and no row could be blamed (a bug:
    /// our reading of the file and Polars' disagree).
    #[error("the file could not be parsed, and no row could be blamed for it (please report this as a bug)")]
    Unparsed(#[source] PolarsError),
    /// Polars failed on a file that parsed (a bug, not bad input).
    #[error("internal error while computing the statistics (please report this as a bug)")]
    Polars(#[from] PolarsError),
    /// The work on this file panicked (a bug, in polarsdesc or a dependency).
    #[error("internal error (panic) while reading: {0}")]
    Panic(String),
}

impl FileError {
    /// What went wrong, on one line, without the line number (see [`Self::line`]).
    pub fn reason(&self) -> String {
        let reason = match self {
            FileError::Malformed { message, .. } => message.clone(),
            FileError::Layout(LayoutError::NotUtf8 { .. }) => {
                "not valid UTF-8 text (pandas reads CSV files as UTF-8)".into()
            }
            other => other.to_string(),
        };
        // Polars' messages run over several lines of advice; keep the first.
        reason
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end()
            .to_string()
    }

    /// The line the error is on, when known.
    pub fn line(&self) -> Option<u64> {
        match self {
            FileError::Layout(LayoutError::NotUtf8 { line })
            | FileError::Malformed { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// The label of a file: its stem ("ab" for `data/ab.csv`), written as
/// [`crate::sources::display_path`] writes names.
pub fn label_of(path: &Path) -> String {
    path.file_stem().map_or_else(String::new, |stem| {
        crate::sources::display_path(Path::new(stem))
    })
}

/// Reads and describes the file at `path`; a large file's blocks are also
/// parsed on any cores `spare` lends.
///
/// # Errors
/// When the file cannot be read, is empty, or is malformed in a way that
/// pandas would also reject (see [`FileError`]).
pub fn describe_file(
    path: &Path,
    percentiles: &Percentiles,
    spare: &SpareCores,
) -> Result<FileSummary, FileError> {
    let file = CsvFile::open(path).map_err(FileError::Read)?;
    let (columns, warnings) = describe_csv(&file, percentiles, spare)?;
    Ok(FileSummary {
        path: path.to_path_buf(),
        label: label_of(path),
        columns,
        warnings,
    })
}

/// Describes the numeric columns of a whole CSV file held in `bytes`.
///
/// # Errors
/// As [`describe_file`], but never a read error.
pub fn describe_bytes(
    bytes: Vec<u8>,
    percentiles: &Percentiles,
) -> Result<(Vec<ColumnStats>, Vec<String>), FileError> {
    describe_csv(
        &CsvFile::from_bytes(bytes),
        percentiles,
        &SpareCores::none(),
    )
}

/// The statistics of `file`'s numeric columns, with warnings for columns left out.
///
/// The first attempt parses without pandas' missing-value strings, which
/// costs a string comparison per field; a file that needs them shows it by
/// failing to parse or by holding NaN values (Polars reads "nan" as NaN), and
/// is parsed again with them. Only then do NaN values or unparsable text mean
/// a column pandas would read as text.
fn describe_csv(
    file: &CsvFile,
    percentiles: &Percentiles,
    spare: &SpareCores,
) -> Result<(Vec<ColumnStats>, Vec<String>), FileError> {
    let layout = layout::inspect(file.head())?;
    let mut numeric = layout.numeric.clone();
    let mut pandas_nulls = false;
    let mut warnings: Vec<String> = layout
        .mixed
        .iter()
        .map(|(index, line, text)| text_among_numbers(&layout.names[*index], *line, text))
        .collect();
    loop {
        let attempt = describe_columns(file, &layout, &numeric, pandas_nulls, percentiles, spare);
        match attempt {
            Ok((columns, nan_columns)) if nan_columns.is_empty() => {
                if columns.is_empty() {
                    warnings.push(nothing_to_describe(&layout).into());
                }
                return Ok((columns, warnings));
            }
            Err(ScanError::Internal(error)) => return Err(FileError::Polars(error)),
            Ok(_) | Err(ScanError::Parse(_)) if !pandas_nulls => pandas_nulls = true,
            Ok((_, nan_columns)) => {
                for index in nan_columns {
                    warnings.push(format!(
                        "column '{}' spells NaN in a way pandas reads as text; it is left out, as pandas would",
                        layout.names[index]
                    ));
                    numeric.retain(|&i| i != index);
                }
            }
            Err(ScanError::Parse(error)) => {
                // One pass finds every column that holds text, so that the
                // file is parsed once more, not once per such column.
                for text_column in locate_failure(file, &layout, &numeric, error)? {
                    warnings.push(text_column.warning);
                    numeric.retain(|&i| i != text_column.index);
                }
            }
        }
    }
}

/// Why a file gives no rows.
fn nothing_to_describe(layout: &layout::Layout) -> &'static str {
    if layout.sampled_rows == 0 {
        "no data rows (only a header): nothing to describe"
    } else {
        "no numeric column: nothing to describe"
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

/// A numeric column that turned out to hold text.
struct TextColumn {
    index: usize,
    warning: String,
}

/// After Polars refused the file, finds what breaks the layout: the numeric
/// columns that hold text (each dropped, as pandas would read it as text), or
/// a row that fails the file.
fn locate_failure(
    file: &CsvFile,
    layout: &layout::Layout,
    numeric: &[usize],
    error: PolarsError,
) -> Result<Vec<TextColumn>, FileError> {
    let found = find_violations(file, layout, numeric)?;
    if let Some(fatal) = found.fatal {
        return Err(fatal_error(fatal, layout));
    }
    if found.text.is_empty() {
        return Err(FileError::Unparsed(error));
    }
    Ok(found
        .text
        .into_iter()
        .filter_map(|violation| match violation {
            layout::Violation::Text {
                line,
                column,
                value,
            } => Some(TextColumn {
                index: column,
                warning: text_among_numbers(&layout.names[column], line, &value),
            }),
            _ => None,
        })
        .collect())
}

/// The error of a row that fails the whole file.
fn fatal_error(violation: layout::Violation, layout: &layout::Layout) -> FileError {
    match violation {
        layout::Violation::TooManyFields { line, found } => FileError::Malformed {
            line,
            message: format!("{found} fields, but the header has {}", layout.names.len()),
        },
        layout::Violation::NotUtf8 { line } => LayoutError::NotUtf8 { line }.into(),
        layout::Violation::UnclosedQuote { line } => FileError::Malformed {
            line,
            message: "a quoted field opened in this row is never closed".into(),
        },
        layout::Violation::Text { line, value, .. } => FileError::Malformed {
            line,
            message: format!("unexpected text {}", quoted(&value)),
        },
    }
}

/// Every violation of the layout in the whole body, block by block, up to
/// the first row that fails the file.
fn find_violations(
    file: &CsvFile,
    layout: &layout::Layout,
    numeric: &[usize],
) -> Result<layout::Violations, FileError> {
    let mut found = layout::Violations::default();
    file.for_each_block(layout.header_len, layout.has_quotes, |block, line| {
        if found.fatal.is_none() {
            layout::find_violations(block, line, layout, numeric, &mut found);
        }
        Ok::<(), io::Error>(())
    })
    .map_err(FileError::Read)?;
    Ok(found)
}

/// Why a scan failed: the file does not parse with the schema tried (bad
/// input, or a guess to revise), or Polars failed afterwards (a bug).
enum ScanError {
    Parse(PolarsError),
    Internal(PolarsError),
}

impl From<PolarsError> for ScanError {
    fn from(error: PolarsError) -> Self {
        ScanError::Internal(error)
    }
}

/// Scans the `numeric` columns and aggregates them; returns their statistics
/// and the columns that turned out to hold NaN spellings pandas reads as text.
fn describe_columns(
    file: &CsvFile,
    layout: &layout::Layout,
    numeric: &[usize],
    pandas_nulls: bool,
    percentiles: &Percentiles,
    spare: &SpareCores,
) -> Result<(Vec<ColumnStats>, Vec<usize>), ScanError> {
    if numeric.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    // Polars sees the columns by position ("c3"), never by the file's names:
    // a name such as "*" or "^x$" would be read as a wildcard or a regex.
    let names: Vec<String> = numeric.iter().map(|&i| scan::column_name(i)).collect();
    let exprs: Vec<Expr> = names
        .iter()
        .enumerate()
        .flat_map(|(slot, name)| stats::column_exprs(slot, name))
        .collect();
    let parsed = scan::scan(file, layout, numeric, pandas_nulls, spare)?
        .select(
            names
                .iter()
                .map(|name| col(name.as_str()))
                .collect::<Vec<_>>(),
        )
        .collect()
        .map_err(ScanError::Parse)?;
    let aggregates = parsed.clone().lazy().select(exprs).collect()?;
    let mut columns = Vec::with_capacity(names.len());
    let mut nan_columns = Vec::new();
    for (slot, (&index, name)) in numeric.iter().zip(&names).enumerate() {
        let pandas_name = &layout.names[index];
        match stats::extract(&aggregates, &parsed, slot, name, pandas_name, percentiles)? {
            Some(column) => columns.push(column),
            None => nan_columns.push(index),
        }
    }
    Ok((columns, nan_columns))
}
