//! polarsdesc's numbers equal pandas' `describe()`, as recorded by `scripts/pandas_expected.py`.

mod common;

use std::collections::BTreeMap;

use common::{fixture, read_parquet, TestEnv};
use polars::prelude::*;
use serde_json::Value;

/// pandas' statistic names, in its order; percentiles are found by name.
const FIXED_STATS: [&str; 4] = ["count", "mean", "std", "min"];

/// `stats[stat]` of one column; pandas writes NaN where a statistic is undefined.
type Stats = BTreeMap<String, f64>;
/// `files[file][column]`.
type Files = BTreeMap<String, BTreeMap<String, Stats>>;

/// The percentiles of a case (none for pandas' default) and what pandas said about each file.
fn expected(case: &str) -> (Option<Vec<f64>>, Files) {
    let text = std::fs::read_to_string(fixture("pandas/expected.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let case = &json["cases"][case];
    let percentiles = case["percentiles"]
        .as_array()
        .map(|values| values.iter().map(|v| v.as_f64().unwrap()).collect());
    let files = case["files"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(file, columns)| {
            let columns = columns
                .as_object()
                .unwrap()
                .iter()
                .map(|(column, stats)| {
                    let stats = stats
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(stat, value)| (stat.clone(), parse_repr(value.as_str().unwrap())))
                        .collect();
                    (column.clone(), stats)
                })
                .collect();
            (file.clone(), columns)
        })
        .collect();
    (percentiles, files)
}

/// Python `repr` of a float back to the float.
fn parse_repr(text: &str) -> f64 {
    match text {
        "nan" => f64::NAN,
        "inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        _ => text.parse().unwrap(),
    }
}

/// Equal as pandas means it: both missing (NaN/null), the same infinity, or
/// within a relative 1e-12 (an absolute 1e-15 near zero).
fn same(ours: Option<f64>, pandas: f64) -> bool {
    match ours {
        None => pandas.is_nan(),
        Some(value) if value.is_nan() || pandas.is_nan() => value.is_nan() && pandas.is_nan(),
        Some(value) if value.is_infinite() || pandas.is_infinite() => value == pandas,
        Some(value) => (value - pandas).abs() <= 1e-12 * pandas.abs().max(value.abs()).max(1e-3),
    }
}

fn check_case(case: &str) {
    let (percentiles, expected) = expected(case);
    let env = TestEnv::new();
    let mut cmd = env.cmd();
    // The numbers alone: text_only.csv's default description (by its text)
    // is judged by the include differential tests.
    cmd.arg("run")
        .arg(fixture("pandas"))
        .args(["-o", "out.parquet", "-q", "--include", "number"]);
    if let Some(percentiles) = &percentiles {
        let list: Vec<String> = percentiles.iter().map(f64::to_string).collect();
        cmd.args(["--percentiles", &list.join(",")]);
    }
    cmd.assert().success();
    let frame = read_parquet(&env.join("out.parquet"));

    let mut checked = 0;
    let mut rows_by_key = BTreeMap::new();
    for row in 0..frame.height() {
        let path = frame.column("path").unwrap().get(row).unwrap().to_string();
        let file = std::path::Path::new(path.trim_matches('"'))
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let column = frame
            .column("column")
            .unwrap()
            .str()
            .unwrap()
            .get(row)
            .unwrap()
            .to_string();
        rows_by_key.insert((file, column), row);
    }
    // Every numeric column pandas describes is in our output, and nothing else.
    let expected_keys: Vec<(String, String)> = expected
        .iter()
        .flat_map(|(file, columns)| columns.keys().map(move |c| (file.clone(), c.clone())))
        .collect();
    let our_keys: Vec<(String, String)> = rows_by_key.keys().cloned().collect();
    assert_eq!(
        our_keys, expected_keys,
        "the described columns differ from pandas'"
    );

    for ((file, column), row) in &rows_by_key {
        let stats = &expected[file][column];
        let count = frame
            .column("count")
            .unwrap()
            .u64()
            .unwrap()
            .get(*row)
            .unwrap();
        assert_eq!(count as f64, stats["count"], "{file} {column} count");
        for stat in stats.keys().filter(|s| *s != "count") {
            let ours = frame
                .column(stat.as_str())
                .unwrap()
                .f64()
                .unwrap()
                .get(*row);
            assert!(
                same(ours, stats[stat]),
                "{file} column {column}: {stat} is {ours:?}, pandas says {}",
                stats[stat]
            );
            checked += 1;
        }
        // Our table has exactly pandas' statistics: no more, no fewer.
        let ours: std::collections::BTreeSet<String> = frame
            .get_column_names()
            .iter()
            .map(|name| name.to_string())
            .filter(|name| !["label", "path", "column"].contains(&name.as_str()))
            .collect();
        let theirs: std::collections::BTreeSet<String> = stats.keys().cloned().collect();
        assert_eq!(ours, theirs, "{file} {column}");
        assert!(FIXED_STATS.iter().all(|s| ours.contains(*s)));
    }
    assert!(checked > 100, "only {checked} values compared");
}

#[test]
fn default_percentiles_equal_pandas() {
    check_case("default");
}

#[test]
fn custom_percentiles_equal_pandas() {
    check_case("custom");
}

#[test]
fn percentile_column_names_follow_pandas() {
    let env = TestEnv::new();
    env.cmd()
        .arg("run")
        .arg(fixture("pandas/constant.csv"))
        .args(["-q", "-o", "out.parquet", "-p", "0.1,0.333,0.9"])
        .assert()
        .success();
    let frame = read_parquet(&env.join("out.parquet"));
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        names,
        [
            "label", "path", "column", "count", "mean", "std", "min", "10%", "33.3%", "50%", "90%",
            "max"
        ]
    );
    assert_eq!(frame.column("count").unwrap().dtype(), &DataType::UInt64);
}
