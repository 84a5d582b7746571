//! One file's results as one line of JSON, exact to the bit: the format of the journal and the cache.
//!
//! A line holds the file's identity (path, size, modification time) and its
//! statistics, floats as their IEEE-754 bits, so a result read back is the same
//! result, NaN and infinities included. The first line of a journal or cache is
//! a header naming the polarsdesc version and the options that change results.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde_json::{json, Value};

use crate::describe::{label_of, ColumnStats, FileSummary, Percentiles};

/// What identifies a file's content for reuse: its path, size and modification time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileKey {
    pub path: String,
    pub size: u64,
    pub modified_ns: u128,
}

impl FileKey {
    /// The key of the file at `path` now, or `None` when it cannot be read
    /// (missing, or a path that is not UTF-8): such a file is never reused.
    pub fn of(path: &Path) -> Option<FileKey> {
        let metadata = fs::metadata(path).ok()?;
        let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(FileKey {
            path: path.to_str()?.to_string(),
            size: metadata.len(),
            modified_ns: modified.as_nanos(),
        })
    }
}

/// The header line: the version and the options a stored result depends on.
pub fn header(percentiles: &Percentiles) -> String {
    let fractions: Vec<u64> = percentiles
        .fractions()
        .iter()
        .map(|p| p.to_bits())
        .collect();
    let header = json!({ "polarsdesc": env!("CARGO_PKG_VERSION"), "percentiles": fractions });
    format!("{header}\n")
}

/// One line (with its newline) for `summary`, read when it had `key`.
pub fn encode(key: &FileKey, summary: &FileSummary) -> String {
    let columns: Vec<Value> = summary.columns.iter().map(encode_column).collect();
    let record = json!({
        "path": key.path,
        "size": key.size,
        "modified_ns": key.modified_ns.to_string(),
        "columns": columns,
        "warnings": summary.warnings,
    });
    format!("{record}\n")
}

fn encode_column(column: &ColumnStats) -> Value {
    let stats: Vec<Value> = stat_values(column)
        .map(|value| value.map_or(Value::Null, |v| Value::from(v.to_bits())))
        .collect();
    json!({ "column": column.column, "count": column.count, "stats": stats })
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
        path: record["path"].as_str()?.to_string(),
        size: record["size"].as_u64()?,
        modified_ns: record["modified_ns"].as_str()?.parse().ok()?,
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
    let path = PathBuf::from(&key.path);
    let summary = FileSummary {
        label: label_of(&path),
        path,
        columns,
        warnings,
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> FileSummary {
        FileSummary {
            path: "data/ab.csv".into(),
            label: "ab".into(),
            columns: vec![ColumnStats {
                column: "x, \"y\"".into(),
                count: 3,
                mean: Some(f64::NAN),
                std: None,
                min: Some(f64::NEG_INFINITY),
                percentiles: vec![Some(0.1 + 0.2), Some(-0.0), Some(5e-324)],
                max: Some(f64::INFINITY),
            }],
            warnings: vec!["line 7: text".into()],
        }
    }

    fn key() -> FileKey {
        FileKey {
            path: "data/ab.csv".into(),
            size: 133_423,
            modified_ns: 1_764_000_000_123_456_789,
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
    fn torn_or_foreign_lines_are_rejected() {
        let line = encode(&key(), &summary());
        assert!(decode(&line[..line.len() / 2]).is_none());
        assert!(decode("{\"path\": 3}").is_none());
        assert!(decode(&header(&Percentiles::default())).is_none());
    }
}
