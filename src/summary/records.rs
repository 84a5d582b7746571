//! One file's results as one line of JSON, exact to the bit: the format of the journal and the cache.
//!
//! A line holds the file's identity (path, size, times, inode, optional hash) and its
//! statistics, floats as their IEEE-754 bits, so a result read back is the same
//! result, NaN and infinities included. The first line of a journal or cache is
//! a header naming the polarsdesc version and the options that change results.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde_json::{json, Value};

use crate::describe::categorical::{Categorical, TextKind, Values};
use crate::describe::groups::{Groups, KeyColumn, KeyType, KeyValue};
use crate::describe::{self, label_of, ColumnStats, FileSummary};

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

/// How a file is judged unchanged since its result was stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CacheCheck {
    /// Same path, size, modification time, change time and inode (no read).
    #[default]
    Metadata,
    /// Same path, size and hash of the bytes (reads the file, but trusts no
    /// time stamp).
    Content,
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
        "percentiles": fractions,
        "separator": options.separator,
        "include": options.include.names(),
        "by": options.by,
    });
    format!("{header}\n")
}

/// One line (with its newline) for `summary`, read when it had `key`.
pub fn encode(key: &FileKey, summary: &FileSummary) -> String {
    let columns: Vec<Value> = summary.columns.iter().map(encode_column).collect();
    let (path_field, path) = path_json(&key.path);
    let mut record = json!({
        "size": key.size,
        "modified_ns": key.modified_ns.to_string(),
        "changed_ns": key.changed_ns.to_string(),
        "inode": key.inode,
        "content": key.content.map(|hash| format!("{hash:016x}")),
        "columns": columns,
        "warnings": summary.warnings,
    });
    if let Some(groups) = &summary.groups {
        record["groups"] = encode_groups(groups);
    }
    record[path_field] = path;
    format!("{record}\n")
}

/// A file's groups: the keys' names and types, each group's values (floats
/// as their bits, so they come back exact), each entry's group.
fn encode_groups(groups: &Groups) -> Value {
    let keys: Vec<Value> = (groups.keys.iter())
        .map(|key| json!({ "name": key.name, "type": key.key_type.name() }))
        .collect();
    let values: Vec<Value> = (groups.values.iter())
        .map(|group| {
            let values: Vec<Value> = group
                .iter()
                .map(|value| match value {
                    KeyValue::Int(v) => json!(v),
                    KeyValue::UInt(v) => json!(v),
                    KeyValue::Float(v) => json!(v.to_bits()),
                    KeyValue::Bool(v) => json!(v),
                    KeyValue::Text(v) => json!(v),
                })
                .collect();
            Value::from(values)
        })
        .collect();
    json!({ "keys": keys, "values": values, "of_entry": groups.of_entry })
}

fn decode_groups(value: &Value) -> Option<Groups> {
    let keys = (value["keys"].as_array()?.iter())
        .map(|key| {
            Some(KeyColumn {
                name: key["name"].as_str()?.to_string(),
                key_type: KeyType::named(key["type"].as_str()?)?,
            })
        })
        .collect::<Option<Vec<KeyColumn>>>()?;
    let values = (value["values"].as_array()?.iter())
        .map(|group| {
            (group.as_array()?.iter().zip(&keys))
                .map(|(value, key)| {
                    Some(match key.key_type {
                        KeyType::Int64 => KeyValue::Int(value.as_i64()?),
                        KeyType::UInt64 => KeyValue::UInt(value.as_u64()?),
                        KeyType::Float64 => KeyValue::Float(f64::from_bits(value.as_u64()?)),
                        KeyType::Boolean => KeyValue::Bool(value.as_bool()?),
                        KeyType::String => KeyValue::Text(value.as_str()?.to_string()),
                    })
                })
                .collect::<Option<Vec<KeyValue>>>()
        })
        .collect::<Option<Vec<Vec<KeyValue>>>>()?;
    let of_entry = (value["of_entry"].as_array()?.iter())
        .map(|group| u32::try_from(group.as_u64()?).ok())
        .collect::<Option<Vec<u32>>>()?;
    Some(Groups {
        keys,
        values,
        of_entry,
    })
}

fn encode_column(column: &ColumnStats) -> Value {
    let stats: Vec<Value> = stat_values(column)
        .map(|value| value.map_or(Value::Null, |v| Value::from(v.to_bits())))
        .collect();
    let mut record = json!({ "column": column.column, "count": column.count, "stats": stats });
    if let Some(categorical) = &column.categorical {
        record["categorical"] = json!({
            "bool": categorical.kind == TextKind::Bool,
            "values": categorical.values.name(),
            "unique": categorical.unique,
            "top": categorical.top,
            "freq": categorical.freq,
        });
    }
    record
}

/// mean, std, min, the percentiles, max: the order of a record's `stats`.
fn stat_values(column: &ColumnStats) -> impl Iterator<Item = Option<f64>> + '_ {
    [column.mean, column.std, column.min]
        .into_iter()
        .chain(column.percentiles.iter().copied())
        .chain([column.max])
}

/// The key and summary in `line`, or `None` if it is not a whole, well-formed record.
pub fn decode(line: &str) -> Option<(FileKey, FileSummary)> {
    let record: Value = serde_json::from_str(line).ok()?;
    let key = FileKey {
        path: path_from_json(&record)?,
        size: record["size"].as_u64()?,
        modified_ns: record["modified_ns"].as_str()?.parse().ok()?,
        changed_ns: record["changed_ns"].as_str()?.parse().ok()?,
        inode: record["inode"].as_u64()?,
        content: match &record["content"] {
            Value::Null => None,
            hash => Some(u64::from_str_radix(hash.as_str()?, 16).ok()?),
        },
    };
    let columns = record["columns"]
        .as_array()?
        .iter()
        .map(decode_column)
        .collect::<Option<Vec<ColumnStats>>>()?;
    let warnings = record["warnings"]
        .as_array()?
        .iter()
        .map(|w| w.as_str().map(String::from))
        .collect::<Option<Vec<String>>>()?;
    let groups = match &record["groups"] {
        Value::Null => None,
        groups => Some(decode_groups(groups)?),
    };
    let summary = FileSummary {
        label: label_of(&key.path),
        path: key.path.clone(),
        columns,
        warnings,
        groups,
    };
    Some((key, summary))
}

fn decode_column(value: &Value) -> Option<ColumnStats> {
    let stats = value["stats"]
        .as_array()?
        .iter()
        .map(|v| {
            if v.is_null() {
                Some(None)
            } else {
                v.as_u64().map(|bits| Some(f64::from_bits(bits)))
            }
        })
        .collect::<Option<Vec<Option<f64>>>>()?;
    let (&max, rest) = stats.split_last()?;
    let (fixed, percentiles) = rest.split_at_checked(3)?;
    Some(ColumnStats {
        column: value["column"].as_str()?.to_string(),
        count: value["count"].as_u64()?,
        mean: fixed[0],
        std: fixed[1],
        min: fixed[2],
        percentiles: percentiles.to_vec(),
        max,
        categorical: match &value["categorical"] {
            Value::Null => None,
            categorical => Some(decode_categorical(categorical)?),
        },
    })
}

fn decode_categorical(value: &Value) -> Option<Categorical> {
    Some(Categorical {
        kind: if value["bool"].as_bool()? {
            TextKind::Bool
        } else {
            TextKind::Text
        },
        values: Values::named(value["values"].as_str()?)?,
        unique: value["unique"].as_u64()?,
        top: match &value["top"] {
            Value::Null => None,
            top => Some(top.as_str()?.to_string()),
        },
        freq: match &value["freq"] {
            Value::Null => None,
            freq => Some(freq.as_u64()?),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> FileSummary {
        FileSummary {
            path: "data/ab.csv".into(),
            label: "ab".into(),
            columns: vec![
                ColumnStats {
                    column: "x, \"y\"".into(),
                    count: 3,
                    mean: Some(f64::NAN),
                    std: None,
                    min: Some(f64::NEG_INFINITY),
                    percentiles: vec![Some(0.1 + 0.2), Some(-0.0), Some(5e-324)],
                    max: Some(f64::INFINITY),
                    categorical: None,
                },
                ColumnStats::categorical(
                    "flag",
                    4,
                    Categorical {
                        kind: TextKind::Bool,
                        values: Values::Booleans,
                        unique: 2,
                        top: Some("True".into()),
                        freq: Some(3),
                    },
                    &describe::Percentiles::default(),
                ),
                ColumnStats::categorical(
                    "empty",
                    0,
                    Categorical {
                        kind: TextKind::Text,
                        values: Values::Integers,
                        unique: 0,
                        top: None,
                        freq: None,
                    },
                    &describe::Percentiles::default(),
                ),
            ],
            warnings: vec!["line 7: text".into()],
            groups: None,
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
    fn round_trips_to_the_bit() {
        let line = encode(&key(), &summary());
        assert!(line.ends_with('\n') && line.matches('\n').count() == 1);
        let (decoded_key, decoded) = decode(&line).unwrap();
        assert_eq!(decoded_key, key());
        let (a, b) = (&decoded.columns[0], &summary().columns[0]);
        let bits = |c: &ColumnStats| {
            stat_values(c)
                .map(|v| v.map(f64::to_bits))
                .collect::<Vec<_>>()
        };
        assert_eq!(bits(a), bits(b));
        assert_eq!((&a.column, a.count), (&b.column, b.count));
        assert_eq!(decoded.label, "ab");
        assert_eq!(decoded.warnings, summary().warnings);
    }

    #[test]
    fn groups_round_trip_to_the_bit() {
        let keys = [
            ("k", KeyType::Float64),
            ("n", KeyType::Int64),
            ("u", KeyType::UInt64),
            ("b", KeyType::Boolean),
            ("s", KeyType::String),
        ];
        let groups = Groups {
            keys: (keys.iter())
                .map(|&(name, key_type)| KeyColumn {
                    name: name.into(),
                    key_type,
                })
                .collect(),
            values: vec![vec![
                KeyValue::Float(0.1 + 0.2),
                KeyValue::Int(i64::MIN),
                KeyValue::UInt(u64::MAX),
                KeyValue::Bool(true),
                KeyValue::Text("é \"x\"".into()),
            ]],
            of_entry: vec![0, 0, 0],
        };
        let summary = FileSummary {
            groups: Some(groups),
            ..summary()
        };
        let (_, decoded) = decode(&encode(&key(), &summary)).unwrap();
        assert_eq!(decoded.groups, summary.groups);
    }

    #[test]
    fn torn_or_foreign_lines_are_rejected() {
        let line = encode(&key(), &summary());
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
        let (decoded, summary) = decode(&encode(&key, &summary())).unwrap();
        assert_eq!((decoded, summary.path), (key, path));
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
