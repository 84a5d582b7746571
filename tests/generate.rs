//! `polarsdesc generate`: the files, their shape, and byte-identical output under a seed.

mod common;

use common::{fixture, TestEnv, Q1_2020_BUSINESS_DAYS};
use predicates::prelude::*;

#[test]
fn writes_one_pandas_shaped_csv_per_label() {
    let env = TestEnv::new();
    env.generate_small("data", 4, 7);
    assert_eq!(
        env.files_in("data"),
        ["ab.csv", "ac.csv", "ad.csv", "ae.csv"]
    );
    let text = std::fs::read_to_string(env.join("data/ab.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], ",data");
    assert_eq!(lines.len() as u64, 1 + Q1_2020_BUSINESS_DAYS);
    assert!(lines[1].starts_with("2020-01-01,"));
    assert!(lines[2].starts_with("2020-01-02,"));
    assert!(lines[3].starts_with("2020-01-03,"));
    assert!(lines[4].starts_with("2020-01-06,"), "skips the weekend");
    assert!(lines.last().unwrap().starts_with("2020-03-31,"));
    for line in &lines[1..] {
        let value: f64 = line.split(',').nth(1).unwrap().parse().unwrap();
        assert!((0.0..1.0).contains(&value));
    }
}

#[test]
fn the_seed_makes_output_byte_identical_whatever_the_threads() {
    let env = TestEnv::new();
    for (dir, jobs) in [("one", "1"), ("two", "2"), ("five", "5")] {
        env.cmd()
            .args([
                "-q", "generate", "--dir", dir, "--seed", "11", "-n", "40", "-j", jobs,
            ])
            .args(["--start", "2019-06-01", "--end", "2019-12-31"])
            .assert()
            .success();
    }
    let names = env.files_in("one");
    assert_eq!(names.len(), 40);
    for name in &names {
        let one = std::fs::read(env.join("one").join(name)).unwrap();
        assert_eq!(
            one,
            std::fs::read(env.join("two").join(name)).unwrap(),
            "{name}"
        );
        assert_eq!(
            one,
            std::fs::read(env.join("five").join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn matches_the_committed_golden_files() {
    // tests/fixtures/pandas/article_a{b,c}.csv were made by this command; a
    // change here would silently change every user's seeded data set.
    let env = TestEnv::new();
    env.cmd()
        .args([
            "-q", "generate", "--dir", "g", "--seed", "42", "--labels", "2",
        ])
        .args(["--start", "2010-01-01", "--end", "2011-12-31"])
        .assert()
        .success();
    for label in ["ab", "ac"] {
        let ours = std::fs::read(env.join("g").join(format!("{label}.csv"))).unwrap();
        let golden = std::fs::read(fixture(&format!("pandas/article_{label}.csv"))).unwrap();
        assert!(ours == golden, "{label}.csv differs from the golden file");
    }
}

#[test]
fn different_seeds_and_unseeded_runs_differ() {
    let env = TestEnv::new();
    env.generate_small("a", 1, 1);
    env.generate_small("b", 1, 2);
    for dir in ["c", "d"] {
        env.cmd()
            .args([
                "-q",
                "generate",
                "--dir",
                dir,
                "-n",
                "1",
                "--start",
                "2020-01-01",
                "--end",
                "2020-01-31",
            ])
            .assert()
            .success();
    }
    let read = |path: &str| std::fs::read(env.join(path)).unwrap();
    assert_ne!(read("a/ab.csv"), read("b/ab.csv"));
    assert_ne!(read("c/ab.csv"), read("d/ab.csv"));
}

#[test]
fn leaves_other_files_alone_and_reports() {
    let env = TestEnv::new();
    env.write("data/notes.txt", "mine");
    env.write("data/ab.csv", "old");
    env.cmd()
        .args(["generate", "--dir", "data", "--seed", "3", "-n", "2"])
        .args(["--start", "2020-01-01", "--end", "2020-03-31"])
        .assert()
        .success()
        .stdout("")
        .stderr(
            predicate::str::is_match(
                r"^generated 2 files x 65 rows \(0\.0 MB\) in \d+\.\d\d s \(seed 3\)\n$",
            )
            .unwrap(),
        );
    assert_eq!(env.files_in("data"), ["ab.csv", "ac.csv", "notes.txt"]);
    assert_eq!(
        std::fs::read_to_string(env.join("data/notes.txt")).unwrap(),
        "mine"
    );
    assert!(std::fs::read_to_string(env.join("data/ab.csv"))
        .unwrap()
        .starts_with(",data\n"));
}

#[test]
fn three_letter_labels() {
    let env = TestEnv::new();
    env.cmd()
        .args([
            "-q",
            "generate",
            "--dir",
            "d",
            "--label-length",
            "3",
            "-n",
            "3",
            "--seed",
            "1",
        ])
        .args(["--start", "2020-01-01", "--end", "2020-01-10"])
        .assert()
        .success();
    assert_eq!(env.files_in("d"), ["abc.csv", "abd.csv", "abe.csv"]);
}

#[test]
fn impossible_or_huge_label_counts_are_refused_up_front() {
    let env = TestEnv::new();
    env.cmd()
        .args(["generate", "-n", "5000"])
        .assert()
        .code(2)
        .stderr(
            "polarsdesc: error: --labels 5000: there are only 1,326 labels of 2 letters; \
             --label-length 3 gives 22,100\n",
        );
    env.cmd()
        .args(["generate", "--label-length", "8"])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(
            "polarsdesc: error: --label-length 8 makes 752,538,150 files, more than 1,000,000 \
             in one go: add --labels N to make the first N\n",
        );
    assert!(!env.join("data").exists(), "nothing written");
    // A few labels of 8 letters are fine.
    env.cmd()
        .args([
            "-q",
            "generate",
            "--label-length",
            "8",
            "-n",
            "3",
            "--start",
            "2020-01-01",
        ])
        .args(["--end", "2020-01-03"])
        .assert()
        .success();
    assert_eq!(
        env.files_in("data"),
        ["abcdefgh.csv", "abcdefgi.csv", "abcdefgj.csv"]
    );
}

#[test]
fn a_label_name_taken_by_a_link_is_not_replaced() {
    let env = TestEnv::new();
    env.write("mine.csv", "precious");
    std::fs::create_dir(env.join("data")).unwrap();
    std::os::unix::fs::symlink("../mine.csv", env.join("data/ac.csv")).unwrap();
    env.cmd()
        .args(["generate", "-n", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "data/ac.csv exists and is not a regular file",
        ));
    assert_eq!(
        std::fs::read_to_string(env.join("mine.csv")).unwrap(),
        "precious"
    );
    assert_eq!(env.files_in("data"), ["ac.csv"], "nothing written");
}
