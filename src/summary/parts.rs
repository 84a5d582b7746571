//! The output of a sharded run: a folder of `part-0000K-of-0000N.parquet` files and nothing else, their journals and caches kept beside it.
//!
//! Readers take such a folder as one table (`pandas.read_parquet(DIR)`,
//! `pyarrow.dataset`, DuckDB's `DIR/*.parquet`, Polars) only if it holds
//! Parquet files of one schema and nothing else, so a part's journal, cache
//! and temporary files live in a hidden folder next to it:
//! `parts/` has `.parts.polarsdesc/`.
//!
//! In a bucket (`-o s3://bucket/parts/`) a part is one object, written in one
//! PUT; there is no journal or cache (a shard's run that stops is run again).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::store::StoreLocation;
use crate::destination::{Destination, Sink};
use crate::error::{Error, Result};
use crate::shards::Shard;

/// The folder of parts, and the folder of their run state (none in a bucket).
#[derive(Debug, Clone)]
pub struct Parts {
    folder: PathBuf,
    state: Option<PathBuf>,
}

impl Parts {
    /// The folder `folder` (made if missing) and its state folder.
    ///
    /// # Errors
    /// When `folder` exists and is not a folder, or either cannot be made.
    pub fn prepare(folder: &Path) -> Result<Parts> {
        if crate::sources::s3::is_s3(folder) {
            return Ok(Parts {
                folder: folder.to_path_buf(),
                state: None,
            });
        }
        if folder.exists() && !folder.is_dir() {
            let reason = io::Error::other(
                "with --shard, -o names the folder of the parts, and this is not a folder",
            );
            return Err(Error::write(folder, reason));
        }
        if !folder.exists() && looks_like_a_table_file(folder) {
            let reason = io::Error::other(
                "with --shard, -o names the folder of the parts (part-00000-of-0000N.parquet \
                 ...; default parts/), and this name is a table file's: give a folder, then \
                 `polarsdesc merge FOLDER -o FILE` makes the table",
            );
            return Err(Error::write(folder, reason));
        }
        let state = state_folder(folder);
        for made in [folder, state.as_path()] {
            fs::create_dir_all(made).map_err(|err| Error::write(made, err))?;
        }
        Ok(Parts {
            folder: folder.to_path_buf(),
            state: Some(state),
        })
    }

    /// Where shard `shard`'s part is written: a file of the folder, its
    /// temporary staged in the state folder.
    ///
    /// # Errors
    /// When the part's name is taken by something that is not a regular file.
    pub fn sink(&self, shard: Shard) -> Result<Sink> {
        let mut sink = Sink::resolve(&self.part(shard))?;
        if !matches!(
            sink.destination,
            Destination::File(_) | Destination::Object(_)
        ) {
            let reason = io::Error::other("a part must be a regular file");
            return Err(Error::write(&sink.name, reason));
        }
        sink.staging.clone_from(&self.state);
        Ok(sink)
    }

    /// The journal and cache of shard `shard`, in the state folder; none in a bucket.
    pub fn store_location(&self, shard: Shard) -> Option<StoreLocation> {
        let state = self.state.as_ref()?;
        Some(StoreLocation::in_folder(state, &self.part(shard)))
    }

    /// The path (or URL) of shard `shard`'s part.
    fn part(&self, shard: Shard) -> PathBuf {
        self.folder.join(shard.part_name())
    }
}

/// Whether `path` ends as an output table's name does (`.parquet`, `.csv`,
/// `.json`): a file the user meant, not a folder of parts.
fn looks_like_a_table_file(path: &Path) -> bool {
    path.extension().is_some_and(|extension| {
        ["parquet", "csv", "json"]
            .iter()
            .any(|table| extension.eq_ignore_ascii_case(table))
    })
}

/// The hidden folder beside `folder` that holds its parts' run state:
/// `.parts.polarsdesc` for `parts`.
pub fn state_folder(folder: &Path) -> PathBuf {
    let name = folder
        .file_name()
        .map_or_else(|| "parts".into(), |n| n.to_string_lossy().into_owned());
    let parent = match folder.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let folder_name = if name == "." || name == ".." {
        "parts".to_string()
    } else {
        name
    };
    parent.join(format!(".{folder_name}.polarsdesc"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_lives_beside_the_parts() {
        assert_eq!(
            state_folder(Path::new("out/parts")),
            Path::new("out/.parts.polarsdesc")
        );
        assert_eq!(
            state_folder(Path::new("parts")),
            Path::new("./.parts.polarsdesc")
        );
        let dir = tempfile::tempdir().unwrap();
        let parts = Parts::prepare(&dir.path().join("p")).unwrap();
        let location = parts.store_location(Shard { index: 1, count: 2 }).unwrap();
        assert_eq!(
            location.journal,
            dir.path()
                .join(".p.polarsdesc/.part-00001-of-00002.parquet.journal")
        );
        assert_eq!(std::fs::read_dir(dir.path().join("p")).unwrap().count(), 0);
        std::fs::write(dir.path().join("file"), "x").unwrap();
        assert!(Parts::prepare(&dir.path().join("file")).is_err());
        // A table's name is a file the user meant, unless it is a folder already.
        assert!(Parts::prepare(&dir.path().join("out.parquet")).is_err());
        assert!(!dir.path().join("out.parquet").exists());
        std::fs::create_dir(dir.path().join("old.csv")).unwrap();
        assert!(Parts::prepare(&dir.path().join("old.csv")).is_ok());
    }
}
