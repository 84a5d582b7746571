//! Why describing a file's values failed, whatever its format: the temporary folder, too many distinct values, a bug.

use std::io;

/// Why describing values failed (a reader adds its own reasons: see
/// `crate::read::FileError`, which each of these becomes).
#[derive(Debug, thiserror::Error)]
pub enum DescribeError {
    /// Spilled values or rows could not be written or read back (the
    /// temporary folder), or the run was interrupted.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// A text column holds more distinct values than the file's share of
    /// `--max-memory` can count, even spilled in parts.
    #[error("a text column holds more distinct values than {limit} bytes can count")]
    TooManyDistinct { limit: usize },
    /// Columns that should be as long as each other are not (a bug).
    #[error("internal error: {0}")]
    Panic(String),
}
