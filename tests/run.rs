//! `polarsdesc run` end to end: round trip, row order, the embedded default, atomic output.

mod common;

use common::{counts, read_parquet, strings, TestEnv, Q1_2020_BUSINESS_DAYS};
use predicates::prelude::*;

#[test]
fn generate_then_run_round_trip() {
    let env = TestEnv::new();
    env.generate_small("data", 6, 5);
    env.cmd().args(["-q", "run"]).assert().success();
    let frame = read_parquet(&env.join("summary.parquet"));
    assert_eq!(frame.height(), 6);
    assert_eq!(
        strings(&frame, "label"),
        ["ab", "ac", "ad", "ae", "af", "ag"]
    );
    assert_eq!(strings(&frame, "column"), vec!["data"; 6]);
    assert_eq!(strings(&frame, "path")[0], "data/ab.csv");
    assert_eq!(counts(&frame), vec![Q1_2020_BUSINESS_DAYS; 6]);
}

#[test]
fn rows_are_sorted_by_label_then_column_whatever_the_jobs() {
    let env = TestEnv::new();
    env.generate_small("data", 30, 9);
    env.write("more/zz.csv", "b,a\n1,2\n3,4\n");
    env.write("more/ab.csv", "q\n5\n");
    let stdout = |jobs: &str| {
        let output = env
            .cmd()
            .args(["-q", "run", "data", "more", "-o", "-", "-j", jobs])
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let sequential = stdout("1");
    assert_eq!(sequential, stdout("2"));
    assert_eq!(sequential, stdout("7"));
    // (label, path, column)
    let keys: Vec<(String, String, String)> = sequential
        .lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[0].into(), fields[1].into(), fields[2].into())
        })
        .collect();
    let labels_and_paths: Vec<(&str, &str)> =
        keys.iter().map(|k| (k.0.as_str(), k.1.as_str())).collect();
    let mut sorted = labels_and_paths.clone();
    sorted.sort();
    assert_eq!(labels_and_paths, sorted);
    assert_eq!(keys.len(), 30 + 2 + 1);
    // Byte order puts upper case first; the same label in two folders is
    // ordered by path.
    assert_eq!(keys[0].0, "aA");
    let ab: Vec<&(String, String, String)> = keys.iter().filter(|k| k.0 == "ab").collect();
    assert_eq!(ab[0], &("ab".into(), "data/ab.csv".into(), "data".into()));
    assert_eq!(ab[1], &("ab".into(), "more/ab.csv".into(), "q".into()));
    // Within a file, the columns come in the file's order, as pandas lists them.
    let zz: Vec<&str> = keys
        .iter()
        .filter(|k| k.0 == "zz")
        .map(|k| k.2.as_str())
        .collect();
    assert_eq!(zz, ["b", "a"]);
}

#[test]
fn bare_run_generates_the_demo_data_when_data_is_empty() {
    let env = TestEnv::new();
    // As in a fresh clone: data/ holds only its README.
    let readme =
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/README.md"))
            .unwrap();
    env.write("data/README.md", &readme);
    env.cmd()
        .arg("run")
        .assert()
        .success()
        .stderr(predicate::str::starts_with(
            "data/ holds no data: generating the demo data set there first (seed 42)\ngenerated 1326 files x ",
        ))
        .stderr(predicate::str::contains("summarized 1326 of 1326 files (1326 rows)"));
    assert_eq!(env.files_in("data").len(), 1326 + 1);
    assert_eq!(std::fs::read(env.join("data/README.md")).unwrap(), readme);
    let frame = read_parquet(&env.join("summary.parquet"));
    assert_eq!(frame.height(), 1326);
    // A second bare run reuses the data.
    env.cmd()
        .arg("run")
        .assert()
        .success()
        .stderr(predicate::str::contains("generating").not());
}

#[test]
fn explicit_inputs_never_trigger_generation() {
    let env = TestEnv::new();
    env.cmd().args(["run", "data"]).assert().code(2);
    assert!(!env.join("data").exists());
}

#[test]
fn a_failed_run_keeps_the_previous_output() {
    let env = TestEnv::new();
    env.generate_small("data", 2, 1);
    env.cmd().args(["-q", "run"]).assert().success();
    let before = std::fs::read(env.join("summary.parquet")).unwrap();
    env.write("bad/empty.csv", "");
    env.cmd().args(["-q", "run", "bad"]).assert().code(2);
    assert_eq!(std::fs::read(env.join("summary.parquet")).unwrap(), before);
    assert_eq!(
        env.files_in("."),
        [".summary.parquet.cache", "bad", "data", "summary.parquet"],
        "no temporary files left"
    );
}

#[test]
fn an_unwritable_output_is_a_clear_error_and_leaves_no_temp_file() {
    let env = TestEnv::new();
    env.generate_small("data", 2, 1);
    env.cmd()
        .args(["run", "-o", "missing/out.parquet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "polarsdesc: error: cannot write missing/out.parquet: No such file or directory",
        ));
    std::fs::create_dir(env.join("taken.parquet")).unwrap();
    env.cmd()
        .args(["-q", "run", "-o", "taken.parquet"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "polarsdesc: error: cannot write taken.parquet:",
        ));
    assert_eq!(env.files_in("."), ["data", "taken.parquet"]);
}

#[test]
fn a_successful_run_replaces_the_output() {
    let env = TestEnv::new();
    env.generate_small("data", 2, 1);
    env.write("summary.parquet", "stale");
    env.cmd().args(["-q", "run"]).assert().success();
    assert_eq!(read_parquet(&env.join("summary.parquet")).height(), 2);
    assert_eq!(
        env.files_in("."),
        [".summary.parquet.cache", "data", "summary.parquet"]
    );
}

#[test]
fn glob_patterns_select_files() {
    let env = TestEnv::new();
    env.generate_small("data", 5, 1);
    env.cmd()
        .args(["-q", "run", "data/a[bc].csv"])
        .assert()
        .success();
    assert_eq!(
        strings(&read_parquet(&env.join("summary.parquet")), "label"),
        ["ab", "ac"]
    );
}

#[test]
fn recursive_follows_linked_folders_once_and_says_what_it_skipped() {
    let env = TestEnv::new();
    env.write("data/a.csv", "v\n1\n");
    env.write("archive/2024/b.csv", "v\n2\n");
    std::os::unix::fs::symlink(env.join("archive"), env.join("data/old")).unwrap();
    // A loop back to the top: searched once, not forever.
    std::os::unix::fs::symlink(env.join("data"), env.join("data/again")).unwrap();
    let out = env
        .cmd()
        .args(["run", "-r", "data", "-o", "-", "--format", "csv"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let paths: Vec<&str> = stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(paths, ["data/a.csv", "data/old/2024/b.csv"]);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.starts_with(
            "polarsdesc: note: 1 linked subfolder was not searched: it leads to a folder \
             already searched (a loop, or a second way into it)\n"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("-r searches subfolders"), "{stderr}");
}
