//! Describing one CSV file: read it as pandas would, compute pandas' `describe()` for each numeric column.
//!
//! Two ways to read the same file, with one answer:
//!
//! - the fast path: Polars' CSV parser over the file's blocks (`scan`),
//!   taken when every block is plain (`plain`: no blanks, no lone `\r`, no
//!   row too wide) and the values it parses are ordinary (no NaN, no
//!   infinity, nothing at or beyond 2^62, which need pandas' exact rules);
//! - the exact path (`exact`): pandas' tokenizer and number rule, token by
//!   token, for every other file.
//!
//! The statistics of the values are the same code either way (`stats`). A
//! file larger than one block is read on every core in bounded memory
//! (`large`), with the same numbers. Parquet and Arrow files (`columnar`)
//! and NDJSON files (`ndjson`) are read by their own readers, and described
//! by the same code.

mod blocks;
pub mod body;
pub mod categorical;
pub mod columnar;
pub mod decompress;
mod exact;
mod failure;
mod fast;
pub mod groups;
mod include;
pub mod large;
pub mod layout;
mod memory;
pub mod ndjson;
pub mod numbers;
mod pairwise;
mod percentiles;
mod plain;
mod quantiles;
mod rows;
mod scan;
pub mod stats;
pub mod tokenizer;

use std::io;
use std::path::{Path, PathBuf};

use crate::parallel::SpareCores;
use crate::results::{Row, Rows};
use crate::sources::s3::{ObjectInfo, RemoteError};
use body::CsvFile;
pub use decompress::Compression;
pub use failure::FileError;
pub use include::{Include, Kind};
pub use layout::LayoutError;
pub use memory::{ceiling_warning, MemoryShare};
use numbers::NotNumeric;
pub use percentiles::Percentiles;
pub use stats::ColumnStats;

/// How files are read and described: the options that change results, and
/// the memory one file may take (which does not).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Percentiles to report besides count, mean, std, min and max.
    pub percentiles: Percentiles,
    /// The field separator (pandas' `sep`, a comma by default).
    pub separator: u8,
    /// The kinds of column described (numbers by default).
    pub include: Include,
    /// The key columns of `--by` (pandas' names): each file described per
    /// group of their values, as pandas' `groupby(by).describe()`; empty
    /// for a whole file.
    pub by: Vec<String>,
    /// The memory one file may take.
    pub memory: MemoryShare,
}

impl Default for Options {
    /// pandas' defaults (quartiles, commas), and the default ceiling shared
    /// by a worker per core.
    fn default() -> Self {
        Options {
            percentiles: Percentiles::default(),
            separator: b',',
            include: Include::default(),
            by: Vec::new(),
            memory: MemoryShare::of(
                MemoryShare::DEFAULT_CEILING,
                crate::parallel::available_cores(),
            ),
        }
    }
}

impl Options {
    /// How records are read: the separator, and the longest record held.
    pub fn reading(&self) -> body::Reading {
        body::Reading {
            separator: self.separator,
            record_limit: self.memory.record_limit(),
        }
    }
}

/// The statistics of one file.
#[derive(Debug)]
pub struct FileSummary {
    /// The file, as it was named on the command line or found in a folder.
    pub path: PathBuf,
    /// The file's name without its extensions: "ab" for `data/ab.csv.gz`.
    pub label: String,
    /// One row per column described, in file order; with `--by`, the
    /// columns of each group, groups in pandas' order.
    pub rows: Rows,
    /// Things the user should know that did not stop the file (a column left
    /// out because it holds text, as pandas would leave it out).
    pub warnings: Vec<String>,
    /// With `--by`: the key columns, and their types in this file.
    pub keys: Option<Vec<groups::KeyColumn>>,
}

impl FileSummary {
    /// The rows, decoded (for a file's rows held whole: tests, tools).
    ///
    /// # Errors
    /// When spilled rows cannot be read back.
    pub fn decoded(&self) -> io::Result<Vec<Row>> {
        let key_types: Vec<groups::KeyType> = (self.keys.iter().flatten())
            .map(|key| key.key_type)
            .collect();
        self.rows.decode_all(&key_types)
    }
}

/// The label of a file: its name without the extension and any compression
/// extension ("ab" for `data/ab.csv` and `data/ab.csv.gz`), written as
/// [`crate::sources::display_path`] writes names.
pub fn label_of(path: &Path) -> String {
    let Some(name) = path.file_name() else {
        return String::new();
    };
    let mut base = name.as_encoded_bytes();
    if let Some(compression) = Compression::of_name(name) {
        base = &base[..base.len() - compression.extension().len()];
    }
    // The stem, as `Path::file_stem` cuts it: before the last dot, unless
    // the dot starts the name.
    let stem = match base.iter().rposition(|&byte| byte == b'.') {
        Some(dot) if dot > 0 => &base[..dot],
        _ => base,
    };
    crate::sources::display_bytes(stem)
}

/// The columnar format `path` is named as (Parquet, Arrow IPC), if any.
fn columnar_format(path: &Path) -> Option<columnar::Format> {
    columnar::Format::of_name(path.file_name()?.as_encoded_bytes())
}

/// Whether `path` is named as an NDJSON file.
fn is_ndjson(path: &Path) -> bool {
    (path.file_name()).is_some_and(|name| ndjson::is_ndjson_name(name.as_encoded_bytes()))
}

/// Reads and describes the file at `path`; a large file's blocks are also
/// parsed on any cores `spare` lends.
///
/// # Errors
/// When the file cannot be read, or is malformed in a way that pandas would
/// also reject (see [`FileError`]).
pub fn describe_file(
    path: &Path,
    options: &Options,
    spare: &SpareCores,
) -> Result<FileSummary, FileError> {
    if let Some(format) = columnar_format(path) {
        let described = columnar::describe_file(path, format, options, spare)?;
        return Ok(described.summary(path.to_path_buf()));
    }
    if is_ndjson(path) {
        let described = ndjson::describe_file(path, options, spare)?;
        return Ok(described.summary(path.to_path_buf()));
    }
    let file = CsvFile::open(path, options.reading()).map_err(FileError::Read)?;
    let described = describe_csv(&file, options, spare)?;
    Ok(described.summary(path.to_path_buf()))
}

/// Where one file's bytes are.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A local file.
    File(PathBuf),
    /// An object of a bucket, with its first bytes fetched ahead (or why
    /// they could not be).
    Object {
        object: ObjectInfo,
        head: Result<Vec<u8>, RemoteError>,
    },
}

impl Origin {
    /// The file's path, or the object's URL.
    pub fn path(&self) -> PathBuf {
        match self {
            Origin::File(path) => path.clone(),
            Origin::Object { object, .. } => PathBuf::from(object.url.to_string()),
        }
    }
}

/// Reads and describes a local file or an object (see [`describe_file`]).
///
/// # Errors
/// As [`describe_file`]; for an object, also when it cannot be fetched.
pub fn describe_origin(
    origin: Origin,
    options: &Options,
    spare: &SpareCores,
) -> Result<FileSummary, FileError> {
    match origin {
        // Discovery keeps an object it did not find, for this error.
        Origin::File(path) if crate::sources::s3::is_s3(&path) => {
            Err(FileError::Read(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "no such object, nor objects to describe below {}/",
                    path.display().to_string().trim_end_matches('/')
                ),
            )))
        }
        Origin::File(path) => describe_file(&path, options, spare),
        Origin::Object { object, head } => {
            let path = PathBuf::from(object.url.to_string());
            let head = head.map_err(|err| FileError::Read(err.into_io()))?;
            if let Some(format) = columnar_format(&path) {
                let bytes = crate::sources::s3::whole_object(&object, head)?;
                let described = columnar::describe_bytes(bytes, format, options, spare)?;
                return Ok(described.summary(path));
            }
            if is_ndjson(&path) {
                let bytes = crate::sources::s3::whole_object(&object, head)?;
                let described = ndjson::describe_bytes(bytes, &path, options, spare)?;
                return Ok(described.summary(path));
            }
            let file =
                CsvFile::open_object(&object, head, options.reading()).map_err(FileError::Read)?;
            Ok(describe_csv(&file, options, spare)?.summary(path))
        }
    }
}

/// Describes the numeric columns of a whole CSV file held in `bytes`.
///
/// # Errors
/// As [`describe_file`], but never a read error.
pub fn describe_bytes(
    bytes: Vec<u8>,
    options: &Options,
) -> Result<(Vec<ColumnStats>, Vec<String>), FileError> {
    let described = describe_csv(
        &CsvFile::from_bytes(bytes, options.separator),
        options,
        &SpareCores::none(),
    )?;
    let rows = described.rows.decode_all(&[])?;
    Ok((
        rows.into_iter().map(|row| row.stats).collect(),
        described.warnings,
    ))
}

/// What describing one file found (see [`FileSummary`]).
struct Described {
    rows: Rows,
    warnings: Vec<String>,
    keys: Option<Vec<groups::KeyColumn>>,
}

impl Described {
    /// A whole file's `columns` (without `--by`).
    fn whole(columns: &[ColumnStats], warnings: Vec<String>) -> Self {
        Described {
            rows: Rows::of_columns(columns),
            warnings,
            keys: None,
        }
    }

    /// A file described per group, after the `warnings` of reading.
    fn grouped(grouped: groups::Grouped, mut warnings: Vec<String>) -> Self {
        group_warnings(&mut warnings, &grouped);
        Described {
            rows: grouped.rows,
            warnings,
            keys: Some(grouped.keys),
        }
    }

    /// The summary of the file at `path`.
    fn summary(self, path: PathBuf) -> FileSummary {
        FileSummary {
            label: label_of(&path),
            path,
            rows: self.rows,
            warnings: self.warnings,
            keys: self.keys,
        }
    }
}

/// The statistics of `file`'s columns that `options.include` selects, in
/// file order, with warnings for columns left out.
fn describe_csv(
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
    if layout.index_columns == 0 && crate::output::are_result_columns(&layout.names) {
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
    let (columns, warnings) = include::combine(file, &layout, numeric, options, spare)?;
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
    let keys = groups::csv_keys(file, layout, &key_positions, options, spare)?;
    let grouped = groups::describe_groups(keys, &read.numeric, options, spare)?;
    let warnings: Vec<String> = (layout.mixed.iter())
        .map(|(position, line, value)| {
            (
                *position,
                NotNumeric::Text {
                    line: *line,
                    value: value.clone(),
                },
            )
        })
        .chain(read.not_numeric)
        .filter(|(position, _)| !key_positions.contains(position))
        .map(|(position, reason)| include::not_numeric_warning(&layout.names[position], &reason))
        .collect();
    Ok(Described::grouped(grouped, warnings))
}

/// The warnings of a file described per group: rows left out for a missing
/// key, and why nothing was described.
fn group_warnings(warnings: &mut Vec<String>, grouped: &groups::Grouped) {
    let left_out = grouped.left_out;
    if left_out > 0 {
        let rows = if left_out == 1 { "row" } else { "rows" };
        warnings.push(format!(
            "{left_out} {rows} with a missing key left out, as pandas' groupby leaves them out"
        ));
    }
    if grouped.rows.is_empty() {
        warnings.push(if grouped.groups == 0 {
            "no rows with a key: nothing to describe".into()
        } else {
            "no numeric column besides the keys: nothing to describe (pandas describes the \
             text columns of each group then, which is not done yet)"
                .into()
        });
    }
}

/// `names` for a message: quoted, comma-separated, cut short if many.
fn quoted_names(names: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut shown: Vec<String> = names.iter().take(SHOWN).map(|n| format!("{n:?}")).collect();
    if names.len() > SHOWN {
        shown.push(format!("and {} more", names.len() - SHOWN));
    }
    shown.join(", ")
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
    let mut left_out: Vec<(usize, NotNumeric)> = layout
        .mixed
        .iter()
        .map(|(position, line, value)| {
            let (line, value) = (*line, value.clone());
            (*position, NotNumeric::Text { line, value })
        })
        .collect();
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
        columns: large::describe_columns(&read.numeric, options, spare)?,
        left_out,
    })
}
