//! A file's record in the journal and the cache: one line of JSON saying what identifies the file and what its result holds, then its rows (see [`crate::describe::row`]).
//!
//! The line holds the file's identity (path, size, times, inode, optional
//! hash), its warnings and key columns, and the count, bytes and xxh3 hash of
//! the row lines after it (exact to the bit: floats as their IEEE-754 bits),
//! so that a torn or damaged record is told and never reused. The first
//! line of a journal or cache is a header naming the polarsdesc version, the
//! records' layout and the options that change results.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde_json::{json, Value};

use crate::config::CacheCheck;
use crate::describe::groups::{KeyColumn, KeyType};
use crate::describe::{self, FileSummary};
use crate::read::label_of;

/// What identifies a file's content for reuse: its path, size, modification
/// and change times, inode, and (with `--cache-check content`) a hash of its bytes.
///
/// The change time (ctime) cannot be set by tools that copy or restore
/// modification times (`cp -p`, `rsync -t`, `tar x`, `touch -d`), and a
/// replaced file gets a new inode, so a file rewritten with the same size and
/// modification time is still seen as changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileKey {
    pub path: PathBuf,
    pub size: u64,
    pub modified_ns: u128,
    pub changed_ns: u128,
    pub inode: u64,
    /// xxh3-64 of the bytes, computed only for `--cache-check content`.
    pub content: Option<u64>,
}

impl FileKey {
    /// The key of the file at `path` now, or `None` when it cannot be read
    /// (missing, unreadable): such a file is never reused.
    pub fn of(path: &Path, check: CacheCheck) -> Option<FileKey> {
        let metadata = fs::metadata(path).ok()?;
        let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        let (changed_ns, inode) = change_time_and_inode(&metadata);
        let content = match check {
            CacheCheck::Metadata => None,
            CacheCheck::Content => Some(content_hash(path).ok()?),
        };
        Some(FileKey {
            path: path.to_path_buf(),
            size: metadata.len(),
            modified_ns: modified.as_nanos(),
            changed_ns,
            inode,
            content,
        })
    }

    /// The key of an object of a bucket, from what its listing said: its
    /// URL, size, last-modified time and ETag (a hash of its content for
    /// objects uploaded in one part).
    pub fn of_object(object: &crate::sources::ObjectInfo) -> FileKey {
        FileKey {
            path: PathBuf::from(object.url.to_string()),
            size: object.size,
            modified_ns: object.modified_ns,
            changed_ns: 0,
            inode: 0,
            content: object
                .etag
                .as_ref()
                .map(|etag| xxhash_rust::xxh3::xxh3_64(etag.as_bytes())),
        }
    }

    /// Whether a result stored under `stored` may stand for this file.
    pub fn matches(&self, stored: &FileKey, check: CacheCheck) -> bool {
        match check {
            CacheCheck::Metadata => {
                self.path == stored.path
                    && self.size == stored.size
                    && self.modified_ns == stored.modified_ns
                    && self.changed_ns == stored.changed_ns
                    && self.inode == stored.inode
                    // An object's ETag, when both have one.
                    && (self.content.is_none() || stored.content.is_none() || self.content == stored.content)
            }
            CacheCheck::Content => {
                self.path == stored.path
                    && self.size == stored.size
                    && self.content.is_some()
                    && self.content == stored.content
            }
        }
    }
}

#[cfg(unix)]
fn change_time_and_inode(metadata: &fs::Metadata) -> (u128, u64) {
    use std::os::unix::fs::MetadataExt;
    let changed = metadata.ctime() as i128 * 1_000_000_000 + i128::from(metadata.ctime_nsec());
    (u128::try_from(changed).unwrap_or(0), metadata.ino())
}

#[cfg(not(unix))]
fn change_time_and_inode(_metadata: &fs::Metadata) -> (u128, u64) {
    (0, 0)
}

/// xxh3-64 of a file's bytes, read in blocks.
fn content_hash(path: &Path) -> std::io::Result<u64> {
    let mut file = fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(hasher.digest());
        }
        hasher.update(&buffer[..read]);
    }
}

/// A path as JSON: a string when it is UTF-8, else its bytes in hex.
fn path_json(path: &Path) -> (&'static str, Value) {
    match path.to_str() {
        Some(text) => ("path", Value::from(text)),
        None => (
            "path_hex",
            Value::from(
                path.as_os_str()
                    .as_encoded_bytes()
                    .iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect::<String>(),
            ),
        ),
    }
}

/// The path of a record, from either spelling of [`path_json`].
fn path_from_json(record: &Value) -> Option<PathBuf> {
    if let Some(text) = record["path"].as_str() {
        return Some(PathBuf::from(text));
    }
    let hex = record["path_hex"].as_str()?;
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    path_from_bytes(bytes)
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
    String::from_utf8(bytes).ok().map(PathBuf::from)
}

/// The version of the records' layout, in the header: a journal or cache
/// of another layout is not read (3: category columns are described).
const LAYOUT: u64 = 3;

/// The header line: the version and the options a stored result depends on.
pub fn header(options: &describe::Options) -> String {
    let fractions: Vec<u64> = options
        .percentiles
        .fractions()
        .iter()
        .map(|p| p.to_bits())
        .collect();
    let header = json!({
        "polarsdesc": env!("CARGO_PKG_VERSION"),
        "layout": LAYOUT,
        "percentiles": fractions,
        "separator": options.separator,
        "include": options.include.names(),
        "all_without_numbers": options.include.all_without_numbers,
        "by": options.by,
    });
    format!("{header}\n")
}

/// A file's record as its first line tells it: what identifies the file,
/// what its result says besides its rows, and the rows that follow the
/// line (their count, bytes and hash).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordHead {
    /// `None` for a file whose identity could not be read: on record, never reused.
    pub key: Option<FileKey>,
    pub path: PathBuf,
    pub warnings: Vec<String>,
    pub keys: Option<Vec<KeyColumn>>,
    pub rows: u64,
    pub bytes: u64,
    pub hash: u64,
    /// Whether a row describes a column that is not numeric.
    pub categorical: bool,
}

/// The first line (with its newline) of the record of `summary`, read when
/// it had `key` (if known); its rows follow it.
pub fn encode(key: Option<&FileKey>, summary: &FileSummary) -> String {
    let (path_field, path) = path_json(&summary.path);
    let mut record = json!({
        "warnings": summary.warnings,
        "rows": summary.rows.len(),
        "bytes": summary.rows.byte_len(),
        "xxh3": format!("{:016x}", summary.rows.hash()),
    });
    if let Some(key) = key {
        record["size"] = json!(key.size);
        record["modified_ns"] = json!(key.modified_ns.to_string());
        record["changed_ns"] = json!(key.changed_ns.to_string());
        record["inode"] = json!(key.inode);
        record["content"] = json!(key.content.map(|hash| format!("{hash:016x}")));
    }
    if let Some(keys) = &summary.keys {
        let keys: Vec<Value> = (keys.iter())
            .map(|key| json!({ "name": key.name, "type": key.key_type.name() }))
            .collect();
        record["keys"] = Value::from(keys);
    }
    if summary.rows.has_categorical() {
        record["categorical"] = json!(true);
    }
    record[path_field] = path;
    format!("{record}\n")
}

/// The head of the record whose first line is `line`, or `None` if it is
/// not a whole, well-formed record line.
pub fn decode(line: &str) -> Option<RecordHead> {
    let record: Value = serde_json::from_str(line).ok()?;
    let path = path_from_json(&record)?;
    let key = match &record["size"] {
        Value::Null => None,
        size => Some(FileKey {
            path: path.clone(),
            size: size.as_u64()?,
            modified_ns: record["modified_ns"].as_str()?.parse().ok()?,
            changed_ns: record["changed_ns"].as_str()?.parse().ok()?,
            inode: record["inode"].as_u64()?,
            content: match &record["content"] {
                Value::Null => None,
                hash => Some(u64::from_str_radix(hash.as_str()?, 16).ok()?),
            },
        }),
    };
    let warnings = record["warnings"]
        .as_array()?
        .iter()
        .map(|w| w.as_str().map(String::from))
        .collect::<Option<Vec<String>>>()?;
    let keys = match &record["keys"] {
        Value::Null => None,
        keys => Some(
            (keys.as_array()?.iter())
                .map(|key| {
                    Some(KeyColumn {
                        name: key["name"].as_str()?.to_string(),
                        key_type: KeyType::named(key["type"].as_str()?)?,
                    })
                })
                .collect::<Option<Vec<KeyColumn>>>()?,
        ),
    };
    Some(RecordHead {
        key,
        path,
        warnings,
        keys,
        rows: record["rows"].as_u64()?,
        bytes: record["bytes"].as_u64()?,
        hash: u64::from_str_radix(record["xxh3"].as_str()?, 16).ok()?,
        categorical: record["categorical"].as_bool().unwrap_or(false),
    })
}

impl RecordHead {
    /// The label of the file.
    pub fn label(&self) -> String {
        label_of(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::describe::ColumnStats;
    use crate::describe::Rows;

    fn summary() -> FileSummary {
        FileSummary {
            path: "data/ab.csv".into(),
            label: "ab".into(),
            rows: Rows::of_columns(&[ColumnStats {
                column: "x".into(),
                count: 3,
                mean: Some(f64::NAN),
                std: None,
                min: Some(f64::NEG_INFINITY),
                percentiles: vec![Some(0.1 + 0.2)],
                max: Some(f64::INFINITY),
                categorical: None,
            }]),
            warnings: vec!["line 7: text".into()],
            keys: None,
        }
    }

    fn key() -> FileKey {
        FileKey {
            path: "data/ab.csv".into(),
            size: 133_423,
            modified_ns: 1_764_000_000_123_456_789,
            changed_ns: 1_764_000_000_223_456_789,
            inode: 42,
            content: Some(0xfeed_f00d_dead_beef),
        }
    }

    #[test]
    fn a_record_head_round_trips() {
        let summary = summary();
        let line = encode(Some(&key()), &summary);
        assert!(line.ends_with('\n') && line.matches('\n').count() == 1);
        let head = decode(&line).unwrap();
        assert_eq!(head.key, Some(key()));
        assert_eq!(head.label(), "ab");
        assert_eq!(head.warnings, summary.warnings);
        assert_eq!(
            (head.rows, head.bytes, head.hash),
            (1, summary.rows.byte_len(), summary.rows.hash())
        );
        assert_eq!(head.keys, None);
        // Without a key: on record, never reused.
        assert_eq!(decode(&encode(None, &summary)).unwrap().key, None);
    }

    #[test]
    fn key_columns_round_trip() {
        let keys = vec![
            KeyColumn {
                name: "k".into(),
                key_type: KeyType::Float64,
            },
            KeyColumn {
                name: "s".into(),
                key_type: KeyType::String,
            },
        ];
        let summary = FileSummary {
            keys: Some(keys.clone()),
            ..summary()
        };
        assert_eq!(
            decode(&encode(Some(&key()), &summary)).unwrap().keys,
            Some(keys)
        );
    }

    #[test]
    fn torn_or_foreign_lines_are_rejected() {
        let line = encode(Some(&key()), &summary());
        assert!(decode(&line[..line.len() / 2]).is_none());
        assert!(decode("{\"path\": 3}").is_none());
        assert!(decode(&header(&describe::Options::default())).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn paths_that_are_not_utf8_round_trip() {
        use std::os::unix::ffi::OsStrExt;
        let path = PathBuf::from(std::ffi::OsStr::from_bytes(b"data/caf\xe9.csv"));
        let key = FileKey {
            path: path.clone(),
            content: None,
            ..key()
        };
        let summary = FileSummary {
            path: path.clone(),
            ..summary()
        };
        let head = decode(&encode(Some(&key), &summary)).unwrap();
        assert_eq!((head.key, head.path), (Some(key), path));
    }

    #[test]
    fn what_counts_as_unchanged() {
        let stored = key();
        let same = |check| key().matches(&stored, check);
        assert!(same(CacheCheck::Metadata) && same(CacheCheck::Content));
        // Copied back with the old modification time: new change time and inode.
        let restored = FileKey {
            changed_ns: stored.changed_ns + 1,
            inode: 43,
            ..key()
        };
        assert!(!restored.matches(&stored, CacheCheck::Metadata));
        assert!(restored.matches(&stored, CacheCheck::Content));
        // An edit that keeps size and times: metadata keys carry no hash.
        let edited = FileKey {
            content: Some(1),
            ..key()
        };
        let metadata_only = FileKey {
            content: None,
            ..edited.clone()
        };
        assert!(metadata_only.matches(&stored, CacheCheck::Metadata));
        assert!(!edited.matches(&stored, CacheCheck::Content));
        // An object's key always has its ETag's hash: a new ETag is a change.
        assert!(!edited.matches(&stored, CacheCheck::Metadata));
    }
}
