//! Finding the input files: paths, folders (their `*.csv` files) and glob patterns, each file once.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The files the inputs name, in the order given (a folder's files and a
/// pattern's matches sorted), each once.
///
/// A path that does not exist is kept, so that reading it fails with a
/// message naming it while the other inputs are still summarized.
///
/// # Errors
/// When a folder cannot be listed or a glob pattern is malformed.
pub fn discover(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            files.extend(csv_files_in(input)?);
        } else if !input.exists() && is_glob(input) {
            files.extend(glob_matches(input)?);
        } else {
            files.push(input.clone());
        }
    }
    // One folder or pattern cannot name a file twice; several inputs can.
    Ok(if inputs.len() > 1 {
        dedupe(files)
    } else {
        files
    })
}

/// Whether `folder` exists and holds at least one `*.csv` file.
pub fn has_csv_files(folder: &Path) -> bool {
    csv_files_in(folder).is_ok_and(|files| !files.is_empty())
}

/// Whether `path` holds glob metacharacters.
fn is_glob(path: &Path) -> bool {
    path.to_string_lossy().contains(['*', '?', '['])
}

/// The `*.csv` entries of `folder` (not recursive), sorted; folders named
/// `*.csv` are not files and are skipped.
fn csv_files_in(folder: &Path) -> Result<Vec<PathBuf>> {
    let read_error = |source| Error::Input {
        path: folder.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(folder).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let path = entry.path();
        if has_csv_extension(&path) && !is_folder(&entry) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Whether a folder entry is a folder (or a link to one), without a system
/// call for plain files.
fn is_folder(entry: &fs::DirEntry) -> bool {
    match entry.file_type() {
        Ok(kind) if kind.is_symlink() => entry.path().is_dir(),
        Ok(kind) => kind.is_dir(),
        Err(_) => false,
    }
}

fn has_csv_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("csv"))
}

/// The files matching a glob pattern, sorted.
fn glob_matches(pattern: &Path) -> Result<Vec<PathBuf>> {
    let text = pattern.to_string_lossy();
    let invalid = |message: String| Error::Glob {
        pattern: text.to_string(),
        message,
    };
    let paths = glob::glob(&text).map_err(|err| invalid(err.to_string()))?;
    let mut files = Vec::new();
    for path in paths {
        let path = path.map_err(|err| invalid(err.to_string()))?;
        if !path.is_dir() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Drops repeats (the same file reached through two inputs), keeping the first.
fn dedupe(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = HashSet::new();
    files
        .into_iter()
        .filter(|path| seen.insert(fs::canonicalize(path).unwrap_or_else(|_| path.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, ",data\n").unwrap();
        path
    }

    #[test]
    fn folders_globs_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let b = touch(dir.path(), "b.csv");
        let a = touch(dir.path(), "a.csv");
        let txt = touch(dir.path(), "notes.txt");
        fs::create_dir(dir.path().join("folder.csv")).unwrap();

        assert_eq!(
            discover(&[dir.path().to_path_buf()]).unwrap(),
            [a.clone(), b.clone()]
        );
        let pattern = dir.path().join("*.csv");
        assert_eq!(discover(&[pattern]).unwrap(), [a.clone(), b.clone()]);
        // An explicit file is taken whatever its extension; repeats are dropped.
        assert_eq!(
            discover(&[txt.clone(), a.clone(), dir.path().to_path_buf()]).unwrap(),
            [txt, a, b]
        );
    }

    #[test]
    fn missing_paths_are_kept_for_a_named_error() {
        let missing = PathBuf::from("does/not/exist.csv");
        assert_eq!(discover(std::slice::from_ref(&missing)).unwrap(), [missing]);
    }

    #[test]
    fn a_glob_without_matches_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert!(discover(&[dir.path().join("*.csv")]).unwrap().is_empty());
    }
}
