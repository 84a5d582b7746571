//! Reading: each file's format found by its name, and its reader turning it into columns as pandas' reader of that format types them, handed to `describe`.
//!
//! One folder per format, each reading a file (local, or an object of a
//! bucket) in blocks or batches within the file's memory share:
//!
//! - [`csv`]: `read_csv`'s tokenizer and number rule (and Polars' parser
//!   where a block is plain), compressed files streamed ([`decompress`]);
//! - [`columnar`]: Parquet and Arrow IPC, typed as `read_parquet` /
//!   `read_feather` type them;
//! - [`ndjson`]: JSON lines, typed by `read_json(lines=True)`'s rules.
//!
//! Each hands its columns over to `describe` (numbers spooled, text
//! tallied, keys as distinct values) and gets back the file's rows; why a
//! file fails is a [`FileError`].

pub mod columnar;
pub mod csv;
pub mod decompress;
mod failure;
pub mod ndjson;

use std::io;
use std::path::{Path, PathBuf};

use crate::describe::{groups, ColumnStats, FileSummary, Include, Options, Rows};
use crate::formats::{Compression, Format};
use crate::parallel::SpareCores;
use crate::sources::s3::{ObjectInfo, RemoteError};
use csv::body::CsvFile;
pub use failure::FileError;

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
    let described = match Format::of_path(path) {
        Format::Columnar(format) => columnar::describe_file(path, format, options, spare)?,
        Format::Ndjson => ndjson::describe_file(path, options, spare)?,
        Format::Csv => {
            let file = CsvFile::open(path, csv::reading(options)).map_err(FileError::Read)?;
            csv::describe(&file, options, spare)?
        }
    };
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
            let described = match Format::of_path(&path) {
                Format::Columnar(format) => {
                    let bytes = crate::sources::s3::whole_object(&object, head)?;
                    columnar::describe_bytes(bytes, format, options, spare)?
                }
                Format::Ndjson => {
                    let bytes = crate::sources::s3::whole_object(&object, head)?;
                    ndjson::describe_bytes(bytes, &path, options, spare)?
                }
                Format::Csv => {
                    let file = CsvFile::open_object(&object, head, csv::reading(options))
                        .map_err(FileError::Read)?;
                    csv::describe(&file, options, spare)?
                }
            };
            Ok(described.summary(path))
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
    let described = csv::describe(
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
    fn grouped(grouped: groups::Grouped, include: Include, mut warnings: Vec<String>) -> Self {
        group_warnings(&mut warnings, &grouped, include);
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

/// The warnings of a file described per group: rows left out for a missing
/// key, and why nothing was described.
fn group_warnings(warnings: &mut Vec<String>, grouped: &groups::Grouped, include: Include) {
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
            format!(
                "no {} column besides the keys: nothing to describe",
                include.kinds_named()
            )
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
