//! The library's error types and the process exit codes they map to.

use std::io;
use std::path::{Path, PathBuf};

/// The exit codes of `polarsdesc`, in one place.
///
/// | code | meaning |
/// |------|---------|
/// | 0    | every input was summarized (or generated) |
/// | 1    | some inputs failed; each is named on stderr and the rest were written |
/// | 2    | usage error, or nothing could be done |
/// | 130  | interrupted (Ctrl-C or SIGTERM) |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Every input was processed.
    Success,
    /// Some inputs failed; the others' results were written.
    PartialFailure,
    /// A usage error, or an error that stopped the whole run.
    Failure,
    /// The run was interrupted by a signal.
    Interrupted,
}

impl ExitCode {
    /// The number the process exits with.
    pub fn code(self) -> u8 {
        match self {
            ExitCode::Success => 0,
            ExitCode::PartialFailure => 1,
            ExitCode::Failure => 2,
            ExitCode::Interrupted => 130,
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code.code())
    }
}

/// An error that stops a whole command (as opposed to one input file failing,
/// which is a [`crate::read::FileError`] and does not stop the run).
///
/// Each message is complete on its own, the underlying cause included; the
/// causes are not also chained as sources, so nothing is printed twice.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The options are inconsistent or out of range.
    #[error("{0}")]
    InvalidConfig(String),

    /// The inputs named no CSV file at all.
    #[error("no CSV, Parquet, Arrow or NDJSON files found in {}", describe_inputs(.0))]
    NoInputs(Vec<PathBuf>),

    /// An input path does not exist or cannot be listed.
    #[error("cannot read input {}: {cause}", .path.display())]
    Input { path: PathBuf, cause: io::Error },

    /// A glob pattern is malformed.
    #[error("invalid glob pattern '{pattern}': {message}")]
    Glob { pattern: String, message: String },

    /// Writing an output file (or a generated CSV) failed; nothing was replaced.
    #[error("cannot write {}: {cause}", .path.display())]
    Write { path: PathBuf, cause: io::Error },

    /// Polars failed while building or encoding the combined result.
    #[error("{context}: {cause}")]
    Polars {
        context: String,
        cause: polars::error::PolarsError,
    },

    /// Another run is writing the same output.
    #[error("another polarsdesc run is writing {} (its journal is locked)", .0.display())]
    Busy(PathBuf),

    /// A request to object storage failed (the message names the URL).
    #[error("{0}")]
    Remote(String),

    /// The parts given to `merge` are not one whole run's.
    #[error("{0}")]
    Parts(String),

    /// `--strict`: a file failed, so the run stopped.
    #[error("{0} (--strict stops at the first failure)")]
    Strict(String),

    /// The object store stopped answering during the run: nothing was
    /// written, the previous output stands.
    #[error("{failure}; the run stopped there ({done} of {total} files done) and wrote nothing{}",
        if *.resumable { "; the files finished so far are on record: run again with --resume once the endpoint answers" } else { "" })]
    Unreachable {
        failure: String,
        done: usize,
        total: usize,
        resumable: bool,
    },

    /// The temporary folder (`TMPDIR`) took no more temporary files: nothing
    /// was written, the previous output stands.
    #[error("{reason}; the run stopped and wrote nothing (an earlier output is kept){}",
        if *.resumable { "; the files finished so far are on record: run again with --resume" } else { "" })]
    TemporaryFolder { reason: String, resumable: bool },

    /// The user interrupted the command (Ctrl-C or SIGTERM).
    #[error("interrupted{}", if *.resumable { "; the files finished so far are on record: add --resume to continue" } else { "" })]
    Interrupted { resumable: bool },
}

impl Error {
    /// The exit code this error should end the process with.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Interrupted { .. } => ExitCode::Interrupted,
            _ => ExitCode::Failure,
        }
    }

    /// Shorthand for a write error on `path`.
    pub fn write(path: &Path, cause: io::Error) -> Self {
        Error::Write {
            path: path.to_path_buf(),
            cause,
        }
    }

    /// Whether this is a write to a pipe whose reader has gone
    /// (`polarsdesc run -o - | head`), which is not an error.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Write { cause, .. } if cause.kind() == io::ErrorKind::BrokenPipe)
    }
}

fn describe_inputs(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_the_documented_numbers() {
        assert_eq!(ExitCode::Success.code(), 0);
        assert_eq!(ExitCode::PartialFailure.code(), 1);
        assert_eq!(ExitCode::Failure.code(), 2);
        assert_eq!(ExitCode::Interrupted.code(), 130);
    }

    #[test]
    fn errors_map_to_exit_codes() {
        assert_eq!(
            Error::Interrupted { resumable: true }.exit_code(),
            ExitCode::Interrupted
        );
        assert_eq!(
            Error::NoInputs(vec!["data".into()]).exit_code(),
            ExitCode::Failure
        );
    }

    #[test]
    fn no_inputs_names_every_input() {
        let err = Error::NoInputs(vec!["a".into(), "b/*.csv".into()]);
        assert_eq!(
            err.to_string(),
            "no CSV, Parquet, Arrow or NDJSON files found in a, b/*.csv"
        );
    }
}
