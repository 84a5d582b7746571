//! Local paths: a file itself, a folder's CSV files (its subfolders' too with `-r`), a glob pattern's matches.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use super::{pattern, DiscoverOptions, Discovered, FileId, Input};
use crate::error::{Error, Result};
use crate::formats::{ends_with_ignoring_case, Columnar, Compression};

/// Adds the files one local input names to `found`: a folder's CSV files
/// (sorted), a pattern's matches, or the file itself. Hidden entries (names
/// starting with a dot) are left out of folders and patterns, as a shell's
/// `*` leaves them out; a subfolder is searched only with `recursive`
/// (links to folders too, each folder once: a link that leads to a folder
/// already searched, a loop or a second way in, is skipped and counted).
///
/// A path that does not exist is kept, so that reading it fails with a
/// message naming it while the other inputs are still summarized.
///
/// # Errors
/// When a folder cannot be listed or a glob pattern is malformed.
pub fn discover_local(
    input: &Path,
    options: DiscoverOptions,
    found: &mut Discovered,
) -> Result<()> {
    let (paths, named, root) = if input.is_dir() {
        let mut files = Vec::new();
        let mut searched = HashSet::from_iter(FileId::of(input));
        walk_folder(input, options.recursive, &mut files, found, &mut searched)?;
        // By bytes: comparing paths component by component took a third
        // of a 20,000-file discovery.
        files.sort_unstable_by(|(a, _), (b, _)| {
            a.as_os_str()
                .as_encoded_bytes()
                .cmp(b.as_os_str().as_encoded_bytes())
        });
        (files, false, input.to_path_buf())
    } else if !input.exists() && pattern::is_pattern(input) {
        let root = pattern::fixed_part(input);
        let matches = pattern::matches(input, found)?;
        (
            matches.into_iter().map(|path| (path, None)).collect(),
            false,
            root,
        )
    } else {
        let root = input.parent().map(Path::to_path_buf).unwrap_or_default();
        (vec![(input.to_path_buf(), None)], true, root)
    };
    found
        .files
        .extend(paths.into_iter().map(|(path, inode)| Input {
            relative: relative_to(&path, &root),
            path,
            named,
            inode,
            object: None,
        }));
    Ok(())
}

/// `path` below `root` (`2024/a.csv` for `data/2024/a.csv` below `data`),
/// cut from the bytes when `path` starts with them (the case of every path a
/// folder or a pattern gives; comparing component by component is costly
/// for 20,000 files per run).
fn relative_to(path: &Path, root: &Path) -> PathBuf {
    let (bytes, prefix) = (
        path.as_os_str().as_encoded_bytes(),
        root.as_os_str().as_encoded_bytes(),
    );
    #[cfg(unix)]
    if let Some(rest) = bytes.strip_prefix(prefix) {
        if prefix.is_empty() || rest.first() == Some(&b'/') || prefix.ends_with(b"/") {
            use std::os::unix::ffi::OsStrExt;
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            return PathBuf::from(OsStr::from_bytes(rest));
        }
    }
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Whether a file name is one polarsdesc reads from a folder: `*.csv`, a
/// compressed one (`*.csv.gz`, `.bz2`, `.xz`, `.zst`, `.zip`), `*.parquet`,
/// Arrow IPC (`*.arrow`, `*.feather`, `*.ipc`), or NDJSON (`*.ndjson`,
/// `*.jsonl`, compressed too), in any case.
pub fn is_input_name(name: &OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    if Columnar::of_name(bytes).is_some() || crate::formats::is_ndjson_name(bytes) {
        return true;
    }
    let without_compression = match Compression::of_name(name) {
        Some(compression) => &bytes[..bytes.len() - compression.extension().len()],
        None => bytes,
    };
    without_compression.len() > 4 && ends_with_ignoring_case(without_compression, ".csv")
}

/// Whether a folder entry's name starts with a dot.
pub(super) fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Adds the CSV files of `folder` to `files` (and of its subfolders, when
/// `recursive`, each folder once: `searched` holds those already searched),
/// counting what is skipped in `found`.
fn walk_folder(
    folder: &Path,
    recursive: bool,
    files: &mut Vec<(PathBuf, Option<u64>)>,
    found: &mut Discovered,
    searched: &mut HashSet<FileId>,
) -> Result<()> {
    let read_error = |cause| Error::Input {
        path: folder.to_path_buf(),
        cause,
    };
    let mut subfolders = Vec::new();
    for entry in fs::read_dir(folder).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let name = entry.file_name();
        let kind = entry.file_type().map_err(read_error)?;
        let path = entry.path();
        let is_folder = kind.is_dir() || (kind.is_symlink() && path.is_dir());
        if is_hidden(&name) {
            found.skipped_hidden += usize::from(is_folder || is_input_name(&name));
        } else if !is_folder {
            if is_input_name(&name) {
                files.push((path, inode_of(&entry, kind)));
            }
        } else if recursive {
            subfolders.push(path);
        } else {
            found.skipped_folders += 1;
        }
    }
    // In name order, so that of two ways into one folder the same is taken
    // on every run (listings come in any order).
    subfolders.sort_unstable();
    for path in subfolders {
        if FileId::of(&path).is_none_or(|id| searched.insert(id)) {
            walk_folder(&path, recursive, files, found, searched)?;
        } else {
            found.skipped_links += 1;
        }
    }
    Ok(())
}

/// A regular file's inode as its folder listing gives it (no system call);
/// not for a link, whose listed inode is the link's own.
fn inode_of(entry: &fs::DirEntry, kind: fs::FileType) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirEntryExt;
        kind.is_file().then(|| entry.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (entry, kind);
        None
    }
}

/// Whether `folder` exists and holds at least one `*.csv` file.
pub fn has_csv_files(folder: &Path) -> bool {
    fs::read_dir(folder).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| is_input_name(&entry.file_name()) && !entry.path().is_dir())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::discover;

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
        assert_eq!(found.files[0].relative, Path::new("a.csv"));
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
        // What shards are chosen by: the path below the input folder.
        assert_eq!(found.files[0].relative, Path::new("2024/jan/a.csv"));
        assert_eq!(found.skipped_folders, 0);
        let found = discover(&[dir.path().to_path_buf()], DiscoverOptions::default()).unwrap();
        assert_eq!((paths(&found), found.skipped_folders), (vec![top], 1));
    }

    #[cfg(unix)]
    #[test]
    fn recursive_follows_links_to_folders_once() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let top = touch(&data, "a.csv");
        let linked = touch(dir.path(), "elsewhere/b.csv");
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), data.join("more")).unwrap();
        // A loop back to the top, and a second way into the linked folder.
        std::os::unix::fs::symlink(&data, data.join("loop")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), data.join("same")).unwrap();
        let recursive = DiscoverOptions { recursive: true };
        let found = discover(std::slice::from_ref(&data), recursive).unwrap();
        assert_eq!(paths(&found), [top, data.join("more/b.csv")]);
        assert!(linked.exists());
        assert_eq!((found.skipped_folders, found.skipped_links), (0, 2));
        let found = discover(&[data], DiscoverOptions::default()).unwrap();
        assert_eq!((found.skipped_folders, found.skipped_links), (3, 0));
    }

    #[test]
    fn missing_paths_are_kept_for_a_named_error() {
        let missing = PathBuf::from("does/not/exist.csv");
        let found = discover(std::slice::from_ref(&missing), DiscoverOptions::default()).unwrap();
        assert_eq!(paths(&found), [missing]);
    }
}
