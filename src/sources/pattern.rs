//! Glob patterns (`data/a*.csv`, `logs/**/*.csv`), matched folder by folder so that file names that are not UTF-8 are found too.
//!
//! The `glob` crate skips names that are not UTF-8 without a word, while a
//! folder input takes them; here each component of the pattern is matched
//! against the entries of the folders found so far (a name that is not UTF-8
//! is matched in its lossy form, its real bytes kept). As in a shell, `*` does
//! not match a leading dot; `**` matches any number of folders.

use std::fs;
use std::path::{Component, Path, PathBuf};

use glob::{MatchOptions, Pattern};

use super::local::is_hidden;
use super::Discovered;
use crate::error::{Error, Result};

const OPTIONS: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: true,
};

/// Whether `path` holds glob metacharacters.
pub fn is_pattern(path: &Path) -> bool {
    has_metacharacters(&path.to_string_lossy())
}

fn has_metacharacters(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

/// The leading components of `pattern` without metacharacters (`data/2024`
/// of `data/2024/*.csv`): where its matches are found.
pub fn fixed_part(pattern: &Path) -> PathBuf {
    pattern
        .components()
        .take_while(|component| !has_metacharacters(&component.as_os_str().to_string_lossy()))
        .collect()
}

/// The files (not folders) matching `pattern`, sorted.
///
/// # Errors
/// When a component of the pattern is malformed (`[a`).
pub fn matches(pattern: &Path, found: &mut Discovered) -> Result<Vec<PathBuf>> {
    let invalid = |message: String| Error::Glob {
        pattern: pattern.to_string_lossy().into_owned(),
        message,
    };
    let components: Vec<Component> = pattern.components().collect();
    let mut candidates = vec![PathBuf::new()];
    for (index, component) in components.iter().enumerate() {
        let last = index + 1 == components.len();
        let text = component.as_os_str().to_string_lossy();
        candidates = match component {
            Component::Normal(_) if text == "**" => {
                let mut all = Vec::new();
                for folder in &candidates {
                    with_subfolders(folder, &mut all);
                }
                all
            }
            Component::Normal(_) if has_metacharacters(&text) => {
                let compiled = Pattern::new(&text).map_err(|err| invalid(err.to_string()))?;
                let mut matched = Vec::new();
                for folder in &candidates {
                    matching_entries(folder, &compiled, last, &mut matched, found);
                }
                matched
            }
            literal => candidates
                .into_iter()
                .map(|folder| folder.join(literal.as_os_str()))
                .filter(|path| if last { path.exists() } else { path.is_dir() })
                .collect(),
        };
    }
    let mut files: Vec<PathBuf> = candidates
        .into_iter()
        .filter(|path| !path.is_dir())
        .collect();
    files.sort_unstable_by(|a, b| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });
    files.dedup();
    Ok(files)
}

/// A folder as `read_dir` wants it (the empty path is the current folder).
fn listable(folder: &Path) -> &Path {
    if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    }
}

/// Adds the entries of `folder` whose names match `pattern`: folders only,
/// unless `last` (the pattern's final component).
fn matching_entries(
    folder: &Path,
    pattern: &Pattern,
    last: bool,
    matched: &mut Vec<PathBuf>,
    found: &mut Discovered,
) {
    let Ok(entries) = fs::read_dir(listable(folder)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !pattern.matches_with(&name.to_string_lossy(), OPTIONS) {
            found.skipped_hidden +=
                usize::from(last && is_hidden(&name) && pattern.matches(&name.to_string_lossy()));
            continue;
        }
        let path = folder.join(&name);
        if last || path.is_dir() {
            matched.push(path);
        }
    }
}

/// `folder` and every folder below it (not hidden ones, not through links).
fn with_subfolders(folder: &Path, all: &mut Vec<PathBuf>) {
    all.push(folder.to_path_buf());
    let Ok(entries) = fs::read_dir(listable(folder)) else {
        return;
    };
    for entry in entries.flatten() {
        let is_folder = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if is_folder && !is_hidden(&entry.file_name()) {
            with_subfolders(&folder.join(entry.file_name()), all);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str) {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "a\n1\n").unwrap();
    }

    fn names(dir: &Path, pattern: &str) -> Vec<String> {
        let mut found = Discovered::default();
        matches(&dir.join(pattern), &mut found)
            .unwrap()
            .iter()
            .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn components_double_stars_and_dots() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "a.csv",
            "b.csv",
            ".c.csv",
            "x/d.csv",
            "x/y/e.csv",
            "x/f.txt",
        ] {
            touch(dir.path(), name);
        }
        assert_eq!(names(dir.path(), "*.csv"), ["a.csv", "b.csv"]);
        assert_eq!(names(dir.path(), "[a].csv"), ["a.csv"]);
        assert_eq!(names(dir.path(), "x/*.csv"), ["x/d.csv"]);
        assert_eq!(names(dir.path(), "*/*.csv"), ["x/d.csv"]);
        assert_eq!(
            names(dir.path(), "**/*.csv"),
            ["a.csv", "b.csv", "x/d.csv", "x/y/e.csv"]
        );
        assert_eq!(names(dir.path(), ".*.csv"), [".c.csv"]);
        let mut found = Discovered::default();
        assert!(matches(&dir.path().join("[a.csv"), &mut found).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_matched() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.csv");
        fs::write(dir.path().join(name), "a\n1\n").unwrap();
        let mut found = Discovered::default();
        let files = matches(&dir.path().join("*.csv"), &mut found).unwrap();
        assert_eq!(files, [dir.path().join(name)]);
    }
}
