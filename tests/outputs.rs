//! Outputs say what they mean: every format holds the same table, with its column order and types.

mod common;

use common::{read_parquet, TestEnv};
use polars::prelude::*;

/// Two files whose rows exercise every column type: text, count, floats
/// (finite, NaN, undefined) and the threshold booleans (true, false, null).
fn inputs(env: &TestEnv) {
    env.write("in/a.csv", "x,y\n1,inf\n3,-inf\n");
    env.write("in/b.csv", "z\n0.25\n");
}

const COLUMNS: [&str; 13] = [
    "label",
    "path",
    "column",
    "count",
    "mean",
    "std",
    "min",
    "25%",
    "50%",
    "75%",
    "max",
    "threshold",
    "above_threshold",
];

#[test]
fn csv_json_and_parquet_hold_the_same_table() {
    let env = TestEnv::new();
    inputs(&env);
    for output in ["out.csv", "out.json", "out.parquet"] {
        env.cmd()
            .args(["-q", "run", "in", "-o", output, "--threshold", "1"])
            .assert()
            .success();
    }
    let parquet = read_parquet(&env.join("out.parquet"));
    let names: Vec<String> = parquet
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(names, COLUMNS);
    assert_eq!(parquet.column("count").unwrap().dtype(), &DataType::UInt64);
    assert_eq!(
        parquet.column("above_threshold").unwrap().dtype(),
        &DataType::Boolean
    );
    let flags = parquet
        .column("above_threshold")
        .unwrap()
        .bool()
        .unwrap()
        .clone();
    let above: Vec<Option<bool>> = (0..flags.len()).map(|i| flags.get(i)).collect();
    // a.x: mean 2 > 1; a.y: mean NaN (inf - inf) is not above; b.z: 0.25.
    assert_eq!(above, [Some(true), Some(false), Some(false)]);

    let csv = std::fs::read_to_string(env.join("out.csv")).unwrap();
    assert_eq!(
        csv,
        "label,path,column,count,mean,std,min,25%,50%,75%,max,threshold,above_threshold\n\
         a,in/a.csv,x,2,2.0,1.4142135623730951,1.0,1.5,2.0,2.5,3.0,1.0,true\n\
         a,in/a.csv,y,2,NaN,NaN,-inf,NaN,NaN,NaN,inf,1.0,false\n\
         b,in/b.csv,z,1,0.25,,0.25,0.25,0.25,0.25,0.25,1.0,false\n"
    );

    let json = std::fs::read_to_string(env.join("out.json")).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = parsed.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    // Keys in the table's order, not sorted.
    let key_order: Vec<usize> = COLUMNS
        .iter()
        .map(|name| json.find(&format!("\"{name}\":")).unwrap())
        .collect();
    assert!(key_order.windows(2).all(|w| w[0] < w[1]), "{json}");
    assert_eq!(rows[0]["above_threshold"], serde_json::Value::Bool(true));
    assert_eq!(rows[1]["above_threshold"], serde_json::Value::Bool(false));
    assert_eq!(rows[0]["count"], 2);
    // The std of 1 and 3: sqrt(2), written in full.
    assert_eq!(rows[0]["std"], std::f64::consts::SQRT_2);
    // JSON has no NaN or infinity: null, as for an undefined statistic.
    assert!(rows[1]["mean"].is_null() && rows[1]["max"].is_null() && rows[2]["std"].is_null());
    assert_eq!(rows[2]["threshold"], 1.0);
}

#[test]
fn the_format_must_agree_with_the_extension() {
    let env = TestEnv::new();
    inputs(&env);
    env.cmd()
        .args(["run", "in", "-o", "out.parquet", "--format", "csv"])
        .assert()
        .code(2)
        .stderr(
            "polarsdesc: error: --format csv contradicts the extension of 'out.parquet' \
             (parquet): change one of them\n",
        );
    assert!(!env.join("out.parquet").exists());
}

#[test]
fn parquet_is_not_written_to_a_terminal() {
    // `script` runs the command with a pseudo-terminal as its stdout.
    let env = TestEnv::new();
    inputs(&env);
    let binary = assert_cmd::cargo::cargo_bin("polarsdesc");
    let command = format!("{} run in -o - --format parquet", binary.display());
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(env.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("refusing to write Parquet (binary) to a terminal"),
        "{shown}"
    );
    assert!(!shown.contains("PAR1"));
}

#[test]
fn percentiles_that_would_share_a_name_are_refused() {
    let env = TestEnv::new();
    inputs(&env);
    env.cmd()
        .args(["run", "in", "-p", "0.1,0.1000001"])
        .assert()
        .code(2)
        .stderr("polarsdesc: error: percentiles too close together: two would both be named 10%\n");
}

#[test]
fn parquet_strings_are_plain_utf8_for_pyarrow() {
    let Some(pandas) = common::pandas::Pandas::find("parquet_strings_are_plain_utf8_for_pyarrow")
    else {
        return;
    };
    let env = TestEnv::new();
    inputs(&env);
    env.cmd()
        .args(["-q", "run", "in", "-o", "out.parquet"])
        .assert()
        .success();
    let script = "import pyarrow as pa, pyarrow.parquet as pq, pandas as pd\n\
        ours = pq.read_table('out.parquet')\n\
        print(ours.schema.field('label').type, ours.schema.field('path').type)\n\
        pd.DataFrame({'label': ['x'], 'path': ['p'], 'column': ['c']}).to_parquet('theirs.parquet')\n\
        theirs = pq.read_table('theirs.parquet')\n\
        both = pa.concat_tables([ours.select(['label', 'path', 'column']), theirs], promote_options='none')\n\
        print(both.num_rows)\n\
        print(pq.ParquetFile('out.parquet').metadata.metadata[b'polarsdesc'].decode())\n";
    let output = pandas
        .python_command()
        .args(["-c", script])
        .current_dir(env.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "large_string large_string");
    assert_eq!(lines[1], "4");
    let provenance: serde_json::Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(provenance["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        provenance["options"]["percentiles"],
        serde_json::json!([0.25, 0.5, 0.75])
    );
    assert_eq!(provenance["options"]["separator"], ",");
}
