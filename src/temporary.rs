//! Temporary files in the temporary folder (`TMPDIR`), unlinked when made; a failure to make or write one is the folder's, never the input's.
//!
//! A run spills to the temporary folder (a large file's values, text
//! tallies, long results). When that folder is missing, read-only or full,
//! every file that spills would fail alike, and blaming the file being read
//! ("data.csv: cannot read: No such file or directory") misleads: the
//! errors made here carry [`TemporaryFolderError`], so that the run stops,
//! says so, and keeps the previous output, as an interrupted run does.

use std::fs::File;
use std::io;
use std::path::PathBuf;

/// The temporary folder could not take a temporary file.
#[derive(Debug, thiserror::Error)]
#[error("the temporary folder {} cannot take temporary files ({cause}); set TMPDIR to a folder with room", .folder.display())]
pub struct TemporaryFolderError {
    pub folder: PathBuf,
    #[source]
    pub cause: io::Error,
}

/// A new temporary file, already unlinked (nothing is left behind, even
/// after `kill -9`).
///
/// # Errors
/// When the temporary folder is missing, read-only or full (a
/// [`TemporaryFolderError`] inside the `io::Error`).
pub fn file() -> io::Result<File> {
    tempfile::tempfile().map_err(tagged)
}

/// `error`, met writing or reading a temporary file, as the temporary
/// folder's (once: an error already tagged is kept).
pub fn tagged(error: io::Error) -> io::Error {
    if in_io(&error).is_some() {
        return error;
    }
    let kind = error.kind();
    io::Error::new(
        kind,
        TemporaryFolderError {
            folder: std::env::temp_dir(),
            cause: error,
        },
    )
}

/// The temporary folder's error inside `error`, if it is one.
pub fn in_io(error: &io::Error) -> Option<&TemporaryFolderError> {
    error.get_ref()?.downcast_ref::<TemporaryFolderError>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_tagged_once_and_name_the_folder() {
        let error = tagged(io::Error::new(io::ErrorKind::StorageFull, "no space"));
        let tagged_again = tagged(error);
        let inner = in_io(&tagged_again).expect("tagged");
        assert!(inner
            .cause
            .get_ref()
            .is_some_and(|e| e.to_string() == "no space"));
        assert!(inner.to_string().contains("set TMPDIR"));
        assert!(in_io(&io::Error::other("plain")).is_none());
    }
}
