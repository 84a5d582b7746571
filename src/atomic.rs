//! Atomic file writes: a temporary file in the target's folder, renamed over the target only when complete.
//!
//! A reader (or a crash, or Ctrl-C) therefore sees either the old file or the
//! whole new one, never a truncated one. The temporary file is named
//! `.<name>.<random>.tmp` and is removed if the write fails or is abandoned.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically.
///
/// # Errors
/// When the folder is missing or not writable, or the disk is full; `path` is
/// then left as it was.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, false, |file| file.write_all(bytes))
}

/// Creates a temporary file next to `path`, lets `fill` write it, then renames
/// it to `path`. With `durable`, the data is flushed to disk before the rename.
///
/// # Errors
/// Whatever `fill` returns, or an I/O error creating, syncing or renaming the
/// temporary file; `path` is then left as it was and the temporary file removed.
pub fn write_with<E: From<io::Error>>(
    path: &Path,
    durable: bool,
    fill: impl FnOnce(&mut File) -> Result<(), E>,
) -> Result<(), E> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |name| name.to_string_lossy());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // Temporary files are private (0600) by default; the result should get
    // the usual permissions of a new file (0666 less the umask), as `open` gives.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(folder)?;
    fill(temp.as_file_mut())?;
    if durable {
        temp.as_file().sync_all()?;
    }
    temp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_bytes(&path, b"old").unwrap();
        write_bytes(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_bytes(&path, b"old").unwrap();
        let result = write_with(&path, true, |file| {
            file.write_all(b"partial")?;
            Err(io::Error::other("encoder failed"))
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_get_ordinary_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_bytes(&path, b"x").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        // Readable by others unless the umask forbids it; never 0600 by accident.
        assert_ne!(mode & 0o777, 0o600);
        assert_eq!(mode & 0o600, 0o600);
    }

    #[test]
    fn missing_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.txt");
        assert!(write_bytes(&path, b"x").is_err());
    }
}
