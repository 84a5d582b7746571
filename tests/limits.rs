//! No file can make a run hang: huge headers, many repeated names, text found late in many columns.
//!
//! Each of these took minutes or longer once (a quadratic pass, or a rescan
//! per column); the time limits are generous bounds against that, not
//! benchmarks (docs/benchmarks.md has the measured times).

mod common;

use std::time::Duration;

use common::TestEnv;
use predicates::prelude::*;

#[test]
fn a_header_of_a_million_columns_without_rows() {
    let env = TestEnv::new();
    let header: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
    env.write("in/wide.csv", header.join(",") + "\n");
    env.cmd()
        .args(["run", "in", "-o", "-"])
        .timeout(Duration::from_secs(120))
        .assert()
        .success()
        // pandas describes every column of it by its text: count 0, unique 0.
        .stderr(predicate::str::contains(
            "summarized 1 of 1 files (1000000 rows)",
        ));
}

#[test]
fn sixty_thousand_columns_of_one_name() {
    let env = TestEnv::new();
    let header = vec!["a"; 60_000].join(",");
    let row = vec!["1"; 60_000].join(",");
    env.write("in/same.csv", format!("{header}\n{row}\n{row}\n"));
    let output = env
        .cmd()
        .args(["-q", "run", "in", "-o", "-"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let columns: Vec<&str> = stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(columns.len(), 60_000);
    assert_eq!(columns[..3], ["a", "a.1", "a.2"]);
    assert_eq!(columns[59_999], "a.59999");
}

#[test]
fn text_found_late_in_forty_columns() {
    let env = TestEnv::new();
    let columns = 41;
    let mut text = (0..columns)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(",");
    text.push('\n');
    for row in 0..20_000 {
        let fields: Vec<String> = (0..columns).map(|c| format!("{}", row * c % 97)).collect();
        text.push_str(&fields.join(","));
        text.push('\n');
    }
    // Text in every column but the last, far past the sampled rows.
    let fields: Vec<String> = (0..columns)
        .map(|c| {
            if c + 1 < columns {
                "late".into()
            } else {
                "5".into()
            }
        })
        .collect();
    text.push_str(&fields.join(","));
    text.push('\n');
    env.write("in/late.csv", &text);
    let output = env
        .cmd()
        .args(["run", "in", "-o", "-"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr.matches("holds the text \"late\"").count(),
        40,
        "{stderr}"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.lines().count(),
        2,
        "only the last column is described"
    );
    assert!(stdout.contains(",c40,20001,"), "{stdout}");
}
