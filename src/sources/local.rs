//! Local paths: a file itself, a folder's CSV files (its subfolders' too with `-r`), a glob pattern's matches.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use super::{pattern, DiscoverOptions, Discovered, Input};
use crate::describe::Compression;
use crate::error::{Error, Result};

/// The files the inputs name, in the order given (a folder's files and a
/// pattern's matches sorted), each once. Hidden entries (names starting with
/// a dot) are left out of folders and patterns, as a shell's `*` leaves them
/// out; a subfolder is searched only with `recursive` (links to folders inside
/// a folder are not followed).
///
/// A path that does not exist is kept, so that reading it fails with a
/// message naming it while the other inputs are still summarized.
///
/// # Errors
/// When a folder cannot be listed or a glob pattern is malformed.
pub fn discover(inputs: &[PathBuf], options: DiscoverOptions) -> Result<Discovered> {
    let mut found = Discovered::default();
    for input in inputs {
        let (paths, named) = if input.is_dir() {
            let mut files = Vec::new();
            walk_folder(input, options.recursive, &mut files, &mut found)?;
            files.sort();
            (files, false)
        } else if !input.exists() && pattern::is_pattern(input) {
            (pattern::matches(input, &mut found)?, false)
        } else {
            (vec![input.clone()], true)
        };
        found
            .files
            .extend(paths.into_iter().map(|path| Input { path, named }));
    }
    // One folder or pattern cannot name a file twice; several inputs can.
    if inputs.len() > 1 {
        let mut seen = HashSet::new();
        found.files.retain(|input| {
            seen.insert(fs::canonicalize(&input.path).unwrap_or_else(|_| input.path.clone()))
        });
    }
    Ok(found)
}

/// Whether a file name is one polarsdesc reads from a folder: `*.csv`, or a
/// compressed one (`*.csv.gz`, `.bz2`, `.xz`, `.zst`, `.zip`), in any case.
pub fn is_csv_name(name: &OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    let without_compression = match Compression::of_name(name) {
        Some(compression) => &bytes[..bytes.len() - compression.extension().len()],
        None => bytes,
    };
    without_compression.len() > 4
        && without_compression[without_compression.len() - 4..].eq_ignore_ascii_case(b".csv")
}

/// Whether a folder entry's name starts with a dot.
pub(super) fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Adds the CSV files of `folder` to `files` (and of its subfolders, when
/// `recursive`), counting what is skipped in `found`.
fn walk_folder(
    folder: &Path,
    recursive: bool,
    files: &mut Vec<PathBuf>,
    found: &mut Discovered,
) -> Result<()> {
    let read_error = |cause| Error::Input {
        path: folder.to_path_buf(),
        cause,
    };
    for entry in fs::read_dir(folder).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let name = entry.file_name();
        let kind = entry.file_type().map_err(read_error)?;
        let path = entry.path();
        let is_folder = kind.is_dir() || (kind.is_symlink() && path.is_dir());
        if is_hidden(&name) {
            found.skipped_hidden += usize::from(is_folder || is_csv_name(&name));
        } else if !is_folder {
            if is_csv_name(&name) {
                files.push(path);
            }
        } else if recursive && kind.is_dir() {
            walk_folder(&path, recursive, files, found)?;
        } else {
            found.skipped_folders += 1;
        }
    }
    Ok(())
}

/// Whether `folder` exists and holds at least one `*.csv` file.
pub fn has_csv_files(folder: &Path) -> bool {
    fs::read_dir(folder).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| is_csv_name(&entry.file_name()) && !entry.path().is_dir())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, ",data\n").unwrap();
        path
    }

    fn paths(found: &Discovered) -> Vec<PathBuf> {
        found.files.iter().map(|input| input.path.clone()).collect()
    }

    #[test]
    fn folders_globs_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let b = touch(dir.path(), "b.csv");
        let a = touch(dir.path(), "a.csv");
        let upper = touch(dir.path(), "c.CSV");
        let gz = touch(dir.path(), "d.csv.gz");
        touch(dir.path(), "e.gz");
        let txt = touch(dir.path(), "notes.txt");
        touch(dir.path(), ".hidden.csv");
        fs::create_dir(dir.path().join("folder.csv")).unwrap();
        let plain = DiscoverOptions::default();

        let found = discover(&[dir.path().to_path_buf()], plain).unwrap();
        assert_eq!(paths(&found), [a.clone(), b.clone(), upper, gz]);
        assert!(found.files.iter().all(|input| !input.named));
        assert_eq!((found.skipped_folders, found.skipped_hidden), (1, 1));
        let pattern = dir.path().join("*.csv");
        assert_eq!(
            paths(&discover(&[pattern], plain).unwrap()),
            [a.clone(), b.clone()]
        );
        // An explicit file is taken whatever its extension; repeats are dropped.
        let found = discover(&[txt.clone(), a.clone(), dir.path().to_path_buf()], plain).unwrap();
        assert_eq!(paths(&found)[..3], [txt, a, b]);
        assert!(found.files[0].named && !found.files[2].named);
    }

    #[test]
    fn subfolders_only_when_recursive() {
        let dir = tempfile::tempdir().unwrap();
        let top = touch(dir.path(), "z.csv");
        let deep = touch(dir.path(), "2024/jan/a.csv");
        let recursive = DiscoverOptions { recursive: true };
        let found = discover(&[dir.path().to_path_buf()], recursive).unwrap();
        assert_eq!(paths(&found), [deep, top.clone()]);
        assert_eq!(found.skipped_folders, 0);
        let found = discover(&[dir.path().to_path_buf()], DiscoverOptions::default()).unwrap();
        assert_eq!((paths(&found), found.skipped_folders), (vec![top], 1));
    }

    #[test]
    fn missing_paths_are_kept_for_a_named_error() {
        let missing = PathBuf::from("does/not/exist.csv");
        let found = discover(std::slice::from_ref(&missing), DiscoverOptions::default()).unwrap();
        assert_eq!(paths(&found), [missing]);
    }
}
