//! What identifies a file on this machine (device and inode): an input met twice, an output that is an input.

use std::fs;
use std::path::Path;

/// What identifies a file on this machine: its device and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    /// The inode number.
    pub fn inode(&self) -> u64 {
        self.inode
    }

    /// The identity of the file at `path` (symbolic links followed), if it exists.
    pub fn of(path: &Path) -> Option<FileId> {
        fs::metadata(path)
            .ok()
            .map(|metadata| FileId::from_metadata(&metadata))
    }

    #[cfg(unix)]
    pub fn from_metadata(metadata: &fs::Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId {
            device: metadata.dev(),
            inode: metadata.ino(),
        }
    }

    #[cfg(not(unix))]
    pub fn from_metadata(_metadata: &fs::Metadata) -> FileId {
        FileId {
            device: 0,
            inode: 0,
        }
    }
}
