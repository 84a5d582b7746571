//! Why one file could not be described: the errors of reading, parsing and grouping, each with what the user can do.

use std::io;

use polars::prelude::PolarsError;

use super::csv::layout::LayoutError;
use crate::describe::{categorical, DescribeError};
use crate::sources::s3::RemoteError;

/// Why one file could not be described. The run goes on with the others.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be opened, read or decompressed.
    #[error("cannot read: {0}")]
    Read(#[source] io::Error),
    /// pandas cannot read it either: empty, not UTF-8, a row too wide, a
    /// quote never closed.
    #[error("{0}")]
    Malformed(#[from] LayoutError),
    /// Polars failed on a file that parsed (a bug, not bad input).
    #[error("internal error while computing the statistics (please report this as a bug)")]
    Polars(#[from] PolarsError),
    /// A text column holds more distinct values than the file's share of
    /// `--max-memory` can count, even spilled in parts (they are counted
    /// exactly, never estimated).
    #[error(
        "a text column holds more distinct values than this file's share of the memory \
         ceiling can count, even spilled to disk in {} parts of {} MiB; raise --max-memory, \
         or leave text columns out (--include number)",
        categorical::SPILL_PARTS,
        .limit >> 20
    )]
    TooManyDistinct { limit: usize },
    /// A `--by` key column is not among the file's columns.
    #[error("no column named {name:?} to group by (--by); its columns are {columns}")]
    MissingKey { name: String, columns: String },
    /// A `--by` key column holds integers too wide for 64 bits (pandas keeps
    /// them as Python integers or text).
    #[error(
        "the key column {column:?} holds integers too wide for 64 bits, which are not grouped \
         yet (pandas keeps them as Python integers)"
    )]
    WideKey { column: String },
    /// A `--by` key column of a Parquet file is of a type not grouped.
    #[error("the key column {column:?} is {dtype}, which is not grouped yet")]
    KeyType { column: String, dtype: String },
    /// A line of an NDJSON file that pandas' `read_json(lines=True)` does
    /// not read either (not UTF-8, not one JSON object).
    #[error("not JSON lines as pandas reads them: {reason}")]
    Json { line: u64, reason: String },
    /// A Parquet or Arrow IPC file that cannot be read as one.
    #[error("not a readable {format} file: {reason}")]
    Unreadable {
        format: &'static str,
        reason: String,
    },
    /// A file read whole (its types depend on every value) that is larger
    /// than its share of `--max-memory` allows.
    #[error(
        "{format} files are read whole, as pandas reads them (their columns' types depend on \
         every value), and this one holds more than the {limit_mib} MiB of text its share of \
         the memory ceiling allows; raise --max-memory, or run fewer jobs (-j)"
    )]
    ReadWhole {
        format: &'static str,
        limit_mib: usize,
    },
    /// The work on this file panicked (a bug, in polarsdesc or a dependency).
    #[error("internal error (panic) while reading: {0}")]
    Panic(String),
}

impl From<io::Error> for FileError {
    fn from(error: io::Error) -> Self {
        FileError::Read(error)
    }
}

impl From<DescribeError> for FileError {
    fn from(error: DescribeError) -> Self {
        match error {
            DescribeError::Io(error) => FileError::Read(error),
            DescribeError::TooManyDistinct { limit } => FileError::TooManyDistinct { limit },
            DescribeError::Panic(reason) => FileError::Panic(reason),
        }
    }
}

impl FileError {
    /// What went wrong, on one line, without the line number (see [`Self::line`]).
    pub fn reason(&self) -> String {
        match self {
            FileError::Malformed(error) => error.reason(),
            other => other.to_string(),
        }
    }

    /// Whether reading failed because the object store's endpoint stopped
    /// answering: the run's failure, not this file's.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, FileError::Read(error)
            if RemoteError::in_io(error).is_some_and(RemoteError::is_unreachable))
    }

    /// Whether reading failed because the temporary folder took no more
    /// (see [`crate::temporary`]): the run's failure, not this file's.
    pub fn is_temporary_folder(&self) -> bool {
        matches!(self, FileError::Read(error) if crate::temporary::in_io(error).is_some())
    }

    /// The line the error is on, when known.
    pub fn line(&self) -> Option<u64> {
        match self {
            FileError::Malformed(error) => error.line(),
            FileError::Json { line, .. } => Some(*line),
            _ => None,
        }
    }
}
