//! Atomic file writes: a temporary file in the target's folder, renamed over the target only when complete.
//!
//! A reader (or a crash, or Ctrl-C) therefore sees either the old file or the
//! whole new one, never a truncated one. The temporary file is named
//! `.<name>.<random>.tmp` and is removed if the write fails or is abandoned.
//! Callers pass the real target (symbolic links already followed, see
//! [`crate::destination`]), so a link is never replaced by a file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path` atomically.
///
/// # Errors
/// When the folder is missing or not writable, or the disk is full; `path` is
/// then left as it was.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, false, |file| file.write_all(bytes))
}

/// Creates a temporary file next to `path`, lets `fill` write it, then renames
/// it to `path`. With `durable`, the data (and then the rename) is flushed to
/// disk. A file that is replaced keeps its permissions; a new one gets those of
/// any new file (0666 less the umask).
///
/// # Errors
/// Whatever `fill` returns, or an I/O error creating, syncing or renaming the
/// temporary file; `path` is then left as it was and the temporary file removed.
pub fn write_with<E: From<io::Error>>(
    path: &Path,
    durable: bool,
    fill: impl FnOnce(&mut File) -> Result<(), E>,
) -> Result<(), E> {
    write_staged(path, None, durable, fill)
}

/// [`write_with`], with the temporary file in `staging` (a folder on the
/// same file system as `path`'s, so that the rename is still atomic) instead
/// of beside the target: a folder that must only ever hold finished files
/// (the parts of a sharded run) never shows a temporary one. When `staging`
/// is on another file system, the temporary goes beside the target after all.
///
/// # Errors
/// As [`write_with`].
pub fn write_staged<E: From<io::Error>>(
    path: &Path,
    staging: Option<&Path>,
    durable: bool,
    fill: impl FnOnce(&mut File) -> Result<(), E>,
) -> Result<(), E> {
    let staging = staging.filter(|folder| same_file_system(folder, folder_of(path)));
    let mut temp = match staging {
        Some(folder) => TempFile::in_folder(folder, path)?,
        None => TempFile::beside(path)?,
    };
    if let Ok(existing) = fs::metadata(path) {
        temp.file.set_permissions(existing.permissions())?;
    }
    fill(&mut temp.file)?;
    if durable {
        temp.file.sync_all()?;
    }
    temp.persist(path)?;
    if durable {
        sync_folder(folder_of(path));
    }
    Ok(())
}

/// Checks that a file can be created beside `path` (by creating and removing
/// a temporary one), without touching `path`.
///
/// # Errors
/// When the folder is missing, not a folder, or not writable.
pub fn check_writable(path: &Path) -> io::Result<()> {
    TempFile::beside(path).map(drop)
}

/// The prefix of the temporary files written beside `path`: `.<name>.`.
pub fn temporary_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |name| name.to_string_lossy());
    format!(".{name}.")
}

/// Whether `candidate` is a temporary file of a write to `target`.
pub fn is_temporary_of(candidate: &Path, target: &Path) -> bool {
    let name = candidate
        .file_name()
        .map(|n| n.as_encoded_bytes())
        .unwrap_or_default();
    // Cheap tests first: this runs for every input of a run.
    name.first() == Some(&b'.')
        && name.ends_with(b".tmp")
        && name.starts_with(temporary_prefix(target).as_bytes())
        && folder_of(candidate) == folder_of(target)
}

/// The folder a file is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A temporary file of ours, removed on drop unless it was renamed into place.
struct TempFile {
    path: PathBuf,
    file: File,
    persisted: bool,
}

impl TempFile {
    /// Creates `.<name>.<random>.tmp` in the folder of `target`, exclusively
    /// (never opening a file that someone else made).
    fn beside(target: &Path) -> io::Result<TempFile> {
        TempFile::in_folder(folder_of(target), target)
    }

    /// Creates `.<name>.<random>.tmp` for `target` in `folder`, exclusively.
    fn in_folder(folder: &Path, target: &Path) -> io::Result<TempFile> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let prefix = temporary_prefix(target);
        let mut attempts = 0;
        loop {
            let nonce = nonce(COUNTER.fetch_add(1, Ordering::Relaxed));
            let path = folder.join(format!("{prefix}{nonce:012x}.tmp"));
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
            match options.open(&path) {
                Ok(file) => {
                    return Ok(TempFile {
                        path,
                        file,
                        persisted: false,
                    })
                }
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => {
                    attempts += 1;
                }
                Err(err) => return Err(err),
            }
        }
    }

    fn persist(mut self, target: &Path) -> io::Result<()> {
        fs::rename(&self.path, target)?;
        self.persisted = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.persisted {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// 48 bits that differ between processes and calls: enough that two writers
/// rarely try the same name (and `create_new` settles it when they do).
fn nonce(counter: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mixed =
        (u64::from(std::process::id()) << 32) ^ nanos ^ counter.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    // A final avalanche (splitmix64) so that close inputs give unrelated names.
    let mut z = mixed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) & 0xFFFF_FFFF_FFFF
}

/// Whether two existing folders are on one file system (a rename between
/// them is atomic).
fn same_file_system(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        matches!((fs::metadata(a), fs::metadata(b)), (Ok(a), Ok(b)) if a.dev() == b.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Flushes a folder's entries to disk, so a rename survives a power cut.
/// Best effort: not every platform or file system allows it.
fn sync_folder(folder: &Path) {
    if let Ok(handle) = File::open(folder) {
        let _ = handle.sync_all();
    }
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
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
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
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_get_the_permissions_of_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ours = dir.path().join("out.txt");
        write_bytes(&ours, b"x").unwrap();
        // Whatever the umask, a file made by a plain `open` gets the same mode.
        let plain = dir.path().join("plain.txt");
        File::create(&plain).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&ours), mode(&plain));
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_bytes(&path, b"new").unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn a_missing_folder_is_a_plain_os_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.txt");
        let err = write_bytes(&path, b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        // The message is the OS's, without the name of a temporary file.
        assert!(!err.to_string().contains(".tmp"), "{err}");
    }

    #[test]
    fn a_staged_write_leaves_nothing_in_the_targets_folder() {
        let dir = tempfile::tempdir().unwrap();
        let (parts, staging) = (dir.path().join("parts"), dir.path().join(".parts.state"));
        fs::create_dir(&parts).unwrap();
        fs::create_dir(&staging).unwrap();
        let target = parts.join("part-00000-of-00001.parquet");
        let result = write_staged(&target, Some(&staging), true, |file| {
            // While it is written, the parts folder holds nothing.
            assert_eq!(fs::read_dir(&parts).unwrap().count(), 0);
            file.write_all(b"x")
        });
        result.unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"x");
        assert_eq!(fs::read_dir(&staging).unwrap().count(), 0);
    }

    #[test]
    fn temporaries_are_recognised() {
        let target = Path::new("out/s.parquet");
        assert!(is_temporary_of(
            Path::new("out/.s.parquet.0a1b2c3d4e5f.tmp"),
            target
        ));
        assert!(!is_temporary_of(Path::new(".s.parquet.0a1b.tmp"), target));
        assert!(!is_temporary_of(Path::new("out/s.parquet"), target));
    }
}
