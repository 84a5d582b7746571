//! The inputs of a run: which files the paths, folders and glob patterns on the command line name, each once, on disk or in a bucket.

mod bucket;
mod file_id;
mod local;
mod pattern;
pub mod prefetch;
pub mod s3;

use std::collections::HashSet;
use std::path::PathBuf;

use crate::error::Result;
pub use file_id::FileId;
pub use local::{has_csv_files, is_input_name};
pub use s3::ObjectInfo;

/// The files the inputs name, in the order given (a folder's files and a
/// pattern's matches sorted), each once: local paths (see
/// `local::discover_local`) and `s3://` URLs (see `bucket`).
///
/// # Errors
/// When a folder or a bucket cannot be listed, or a pattern is malformed.
pub fn discover(inputs: &[PathBuf], options: DiscoverOptions) -> Result<Discovered> {
    let mut found = Discovered::default();
    for input in inputs {
        if s3::is_s3(input) {
            bucket::discover_objects(input, options, &mut found)?;
        } else {
            local::discover_local(input, options, &mut found)?;
        }
    }
    // One folder or pattern cannot name a file twice; several inputs can.
    if inputs.len() > 1 {
        let mut seen = HashSet::new();
        found.files.retain(|input| {
            let key = match &input.object {
                Some(object) => PathBuf::from(object.url.to_string()),
                None => std::fs::canonicalize(&input.path).unwrap_or_else(|_| input.path.clone()),
            };
            seen.insert(key)
        });
    }
    Ok(found)
}

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file, as named or found.
    pub path: PathBuf,
    /// Named on the command line itself (not found in a folder or by a pattern).
    pub named: bool,
    /// Its path relative to the input it was found in (the folder, the
    /// pattern's fixed part; for a file named itself, its name): what a
    /// shard is chosen by, the same on every machine.
    pub relative: PathBuf,
    /// Its inode, when its folder listing gave it for free (a regular file
    /// found in a folder): lets the run tell it apart from its own files
    /// without a system call per input.
    pub inode: Option<u64>,
    /// For an object in a bucket (`path` is its URL): what its listing said.
    pub object: Option<ObjectInfo>,
}

/// How folders are searched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiscoverOptions {
    /// Search subfolders too (`-r`).
    pub recursive: bool,
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The files, in the order the inputs were given (a folder's files and a
    /// pattern's matches sorted), each once.
    pub files: Vec<Input>,
    /// Subfolders of input folders that were not searched (no `-r`).
    pub skipped_folders: usize,
    /// Links to folders not searched with `-r` because they lead to a folder
    /// already searched (a loop, or a second way to the same folder).
    pub skipped_links: usize,
    /// Hidden entries (names starting with a dot) left out of folders and patterns.
    pub skipped_hidden: usize,
}

/// A path as text, exactly: UTF-8 as it is, and any byte that is not part
/// of valid UTF-8 written as `\xHH` (where [`Path::display`] would put a
/// replacement character, naming a file that does not exist).
pub fn display_path(path: &std::path::Path) -> String {
    display_bytes(path.as_os_str().as_encoded_bytes())
}

/// Bytes of a file name as text, as [`display_path`] writes them.
pub fn display_bytes(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02X}"));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn paths_are_shown_exactly() {
        use std::os::unix::ffi::OsStrExt;
        let path = std::path::Path::new(std::ffi::OsStr::from_bytes(b"data/caf\xe9.csv"));
        assert_eq!(display_path(path), "data/caf\\xE9.csv");
        assert_eq!(display_path("data/é.csv".as_ref()), "data/é.csv");
    }
}
