//! Threshold checks through the binary: values, the article's rule file, --stat, and every error case.

mod common;

use common::{floats, read_parquet, strings, TestEnv};
use predicates::prelude::*;

fn above(frame: &polars::prelude::DataFrame) -> Vec<Option<bool>> {
    let column = frame
        .column("above_threshold")
        .unwrap()
        .bool()
        .unwrap()
        .clone();
    (0..column.len()).map(|i| column.get(i)).collect()
}

#[test]
fn a_fixed_threshold_adds_both_columns() {
    let env = TestEnv::new();
    env.generate_small("data", 30, 4);
    env.cmd()
        .args(["run", "--threshold", "0.5"])
        .assert()
        .success()
        .stderr(
            predicate::str::is_match(r"; \d+ of 30 rows with mean > 0\.5 -> summary\.parquet\n$")
                .unwrap(),
        );
    let frame = read_parquet(&env.join("summary.parquet"));
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(&names[names.len() - 2..], ["threshold", "above_threshold"]);
    assert!(floats(&frame, "threshold").iter().all(|t| *t == Some(0.5)));
    let expected: Vec<Option<bool>> = floats(&frame, "mean")
        .iter()
        .map(|m| Some(m.unwrap() > 0.5))
        .collect();
    assert_eq!(above(&frame), expected);
    assert!(
        expected.contains(&Some(true)) && expected.contains(&Some(false)),
        "both outcomes occur"
    );
}

#[test]
fn the_articles_rule_file_on_all_labels() {
    let env = TestEnv::new();
    env.cmd()
        .args([
            "-q",
            "generate",
            "--dir",
            "data",
            "--seed",
            "9",
            "--start",
            "2020-01-01",
            "--end",
            "2020-02-28",
        ])
        .assert()
        .success();
    let rule_file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/thresholds-example.csv");
    env.cmd()
        .args(["-q", "run", "--thresholds"])
        .arg(&rule_file)
        .assert()
        .success();
    let frame = read_parquet(&env.join("summary.parquet"));
    assert_eq!(frame.height(), 1326);
    let labels = strings(&frame, "label");
    let thresholds = floats(&frame, "threshold");
    let means = floats(&frame, "mean");
    for (label, threshold) in labels.iter().zip(&thresholds) {
        // The article's make_thresh: 0.3 if 'a' or 'z' is in the label, else 0.4.
        let rule = if label.contains('a') || label.contains('z') {
            0.3
        } else {
            0.4
        };
        assert_eq!(*threshold, Some(rule), "{label}");
    }
    let expected: Vec<Option<bool>> = means
        .iter()
        .zip(&thresholds)
        .map(|(m, t)| Some(m.unwrap() > t.unwrap()))
        .collect();
    assert_eq!(above(&frame), expected);
}

#[test]
fn stat_chooses_the_statistic() {
    let env = TestEnv::new();
    env.write("in/a.csv", "x\n1\n2\n10\n");
    env.cmd()
        .args([
            "-q",
            "run",
            "in",
            "-o",
            "-",
            "--threshold",
            "5",
            "--stat",
            "max",
        ])
        .assert()
        .success()
        .stdout(predicate::str::ends_with(",10.0,5.0,true\n"));
    env.cmd()
        .args([
            "-q",
            "run",
            "in",
            "-o",
            "-",
            "--threshold",
            "5",
            "--stat",
            "50%",
        ])
        .assert()
        .success()
        .stdout(predicate::str::ends_with(",10.0,5.0,false\n"));
}

#[test]
fn labels_without_a_threshold_fail_before_any_data_is_read() {
    let env = TestEnv::new();
    env.generate_small("data", 3, 1);
    env.write("rules.csv", "label,threshold\nab,0.3\n");
    env.cmd()
        .args(["run", "--thresholds", "rules.csv"])
        .assert()
        .code(2)
        .stderr(
            "polarsdesc: error: label 'ac' matches no line of the thresholds file, and no \
             --threshold is given for such labels\n",
        );
    assert!(!env.join("summary.parquet").exists());
    // With --threshold as the fallback, it works.
    env.cmd()
        .args([
            "-q",
            "run",
            "--thresholds",
            "rules.csv",
            "--threshold",
            "0.9",
        ])
        .assert()
        .success();
    assert_eq!(
        floats(&read_parquet(&env.join("summary.parquet")), "threshold"),
        [Some(0.3), Some(0.9), Some(0.9)]
    );
}

#[test]
fn malformed_threshold_files_are_clear_errors() {
    let env = TestEnv::new();
    env.generate_small("data", 2, 1);
    let cases = [
        (
            "empty.csv",
            "",
            "it is empty; expected the header 'label,threshold'",
        ),
        (
            "header.csv",
            "name,limit\nab,1\n",
            "line 1: expected the header 'label,threshold', found 'name,limit'",
        ),
        (
            "number.csv",
            "label,threshold\nab,0.3\nac,high\n",
            "line 3: the threshold 'high' is not a number",
        ),
        (
            "fields.csv",
            "label,threshold\nab\n",
            "line 2: expected 'label,threshold', found 'ab'",
        ),
        (
            "only_header.csv",
            "label,threshold\n",
            "it has a header but no thresholds",
        ),
    ];
    for (name, text, problem) in cases {
        env.write(name, text);
        env.cmd()
            .args(["run", "--thresholds", name])
            .assert()
            .code(2)
            .stderr(format!(
                "polarsdesc: error: thresholds file {name}: {problem}\n"
            ));
    }
    env.cmd()
        .args(["run", "--thresholds", "missing.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "polarsdesc: error: cannot read input missing.csv:",
        ));
    env.cmd()
        .args(["run", "--threshold", "0.1", "--stat", "median"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--stat 'median' is not a statistic of the result",
        ));
    env.cmd()
        .args(["run", "--stat", "max"])
        .assert()
        .code(2)
        .stderr("polarsdesc: error: --stat needs --threshold or --thresholds\n");
    assert!(
        !env.join("summary.parquet").exists(),
        "nothing was read or written"
    );
}
