//! pandas itself as the oracle: runs `scripts/pandas_describe.py` and compares polarsdesc's table with it.
//!
//! The Python is the pinned test environment (`common::python`). Where it
//! cannot be built a test skips with a message on stderr, unless
//! `POLARSDESC_REQUIRE_PANDAS` is set (CI sets it): then it fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use polars::prelude::*;
use serde_json::Value;

/// A Python that can import pandas.
pub struct Pandas {
    python: PathBuf,
}

/// What pandas said about one file.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// The numeric columns in pandas' order, each with its statistics.
    Described(Vec<(String, BTreeMap<String, f64>)>),
    /// `read_csv` raised this.
    Failed(String),
}

impl Pandas {
    /// The oracle, or `None` (after saying so) when the pinned environment
    /// cannot be built and the environment does not require it.
    pub fn find(test: &str) -> Option<Pandas> {
        let python = super::python::pinned(test, "POLARSDESC_REQUIRE_PANDAS")?;
        Some(Pandas { python })
    }

    /// A command running this Python.
    pub fn python_command(&self) -> Command {
        super::python::command(&self.python)
    }

    /// pandas' verdict on each of `files` (`read_csv` with default arguments,
    /// or `sep`), in order.
    pub fn describe(
        &self,
        files: &[PathBuf],
        percentiles: Option<&[f64]>,
        sep: Option<&str>,
    ) -> Vec<Verdict> {
        let listing = tempfile::NamedTempFile::new().unwrap();
        let mut text = Vec::new();
        for file in files {
            text.extend_from_slice(file.as_os_str().as_encoded_bytes());
            text.push(b'\n');
        }
        std::fs::write(listing.path(), text).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pandas_describe.py");
        let mut command = self.python_command();
        command.arg(script).arg("--files-from").arg(listing.path());
        if let Some(percentiles) = percentiles {
            let list: Vec<String> = percentiles.iter().map(|p| format!("{p:?}")).collect();
            command.args(["--percentiles", &list.join(",")]);
        }
        if let Some(sep) = sep {
            command.args(["--sep", sep]);
        }
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "pandas_describe.py failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|line| verdict(&serde_json::from_str(line).unwrap()))
            .collect()
    }
}

fn verdict(json: &Value) -> Verdict {
    if json["ok"] != Value::Bool(true) {
        return Verdict::Failed(json["error"].as_str().unwrap().to_string());
    }
    let columns = json["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| {
            let name = name.as_str().unwrap().to_string();
            let stats = json["stats"][&name]
                .as_object()
                .unwrap()
                .iter()
                .map(|(stat, value)| (stat.clone(), parse_repr(value.as_str().unwrap())))
                .collect();
            (name, stats)
        })
        .collect();
    Verdict::Described(columns)
}

/// Python `repr` of a float back to the float.
pub fn parse_repr(text: &str) -> f64 {
    match text {
        "nan" => f64::NAN,
        "inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        _ => text.parse().unwrap(),
    }
}

/// Whether our value equals pandas': both undefined (null or NaN against
/// NaN), the same infinity, or within 1e-12 relative; `scale` (the column's
/// largest magnitude) allows 1e-9 of it for sums that cancel near zero.
pub fn same(ours: Option<f64>, pandas: f64, scale: f64) -> bool {
    match ours {
        None => pandas.is_nan(),
        Some(value) if value.is_nan() || pandas.is_nan() => value.is_nan() && pandas.is_nan(),
        Some(value) if value.is_infinite() || pandas.is_infinite() => value == pandas,
        Some(value) => {
            let difference = (value - pandas).abs();
            difference <= 1e-12 * pandas.abs().max(value.abs()) || difference <= 1e-9 * scale
        }
    }
}

/// Our rows for one file: each column's name and statistics, in table order.
pub type OurColumns = Vec<(String, BTreeMap<String, Option<f64>>)>;

/// The numeric rows of a polarsdesc result table, by the `path` column.
/// Rows of text (a file without numbers, described by its text as pandas'
/// `describe()` falls back to) are judged by `scripts/include_differential.py`.
pub fn rows_by_path(frame: &DataFrame) -> BTreeMap<String, OurColumns> {
    let mut files: BTreeMap<String, OurColumns> = BTreeMap::new();
    let unique = (frame.column("unique").ok()).map(|column| column.u64().unwrap().clone());
    let paths = frame.column("path").unwrap().str().unwrap().clone();
    let names = frame.column("column").unwrap().str().unwrap().clone();
    let counts = frame.column("count").unwrap().u64().unwrap().clone();
    let stats: Vec<(String, Float64Chunked)> = frame
        .columns()
        .iter()
        .skip(4)
        .filter(|column| column.dtype() == &DataType::Float64)
        .map(|column| (column.name().to_string(), column.f64().unwrap().clone()))
        .collect();
    for row in 0..frame.height() {
        if unique
            .as_ref()
            .is_some_and(|unique| unique.get(row).is_some())
        {
            continue;
        }
        let mut values = BTreeMap::new();
        values.insert("count".to_string(), counts.get(row).map(|c| c as f64));
        for (name, column) in &stats {
            values.insert(name.clone(), column.get(row));
        }
        files
            .entry(paths.get(row).unwrap().to_string())
            .or_default()
            .push((names.get(row).unwrap().to_string(), values));
    }
    files
}

/// Every difference between pandas' verdict on `path` and our rows for it
/// (`None` when we failed the file), as readable lines; empty when they agree.
pub fn differences(path: &str, pandas: &Verdict, ours: Option<&OurColumns>) -> Vec<String> {
    match (pandas, ours) {
        (Verdict::Failed(_), None) => vec![],
        (Verdict::Failed(error), Some(_)) => {
            vec![format!(
                "{path}: pandas fails ({error}), polarsdesc describes it"
            )]
        }
        (Verdict::Described(columns), None) if columns.is_empty() => vec![],
        (Verdict::Described(_), None) => {
            vec![format!("{path}: pandas describes it, polarsdesc fails it")]
        }
        (Verdict::Described(theirs), Some(ours)) => {
            let their_names: Vec<&str> = theirs.iter().map(|(n, _)| n.as_str()).collect();
            let our_names: Vec<&str> = ours.iter().map(|(n, _)| n.as_str()).collect();
            if their_names != our_names {
                return vec![format!(
                    "{path}: columns differ: pandas {their_names:?}, polarsdesc {our_names:?}"
                )];
            }
            let mut found = Vec::new();
            for ((name, their_stats), (_, our_stats)) in theirs.iter().zip(ours) {
                let scale = ["min", "max"]
                    .iter()
                    .filter_map(|s| their_stats.get(*s))
                    .filter(|v| v.is_finite())
                    .fold(0.0f64, |m, v| m.max(v.abs()));
                for (stat, &their_value) in their_stats {
                    let our_value = our_stats.get(stat).copied().flatten();
                    if !our_stats.contains_key(stat) {
                        found.push(format!("{path}: column {name}: no {stat} in our table"));
                    } else if !same(our_value, their_value, scale) {
                        found.push(format!(
                            "{path}: column {name}: {stat} is {our_value:?}, pandas says {their_value:?}"
                        ));
                    }
                }
            }
            found
        }
    }
}
