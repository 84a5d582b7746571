//! Files larger than one block are read block by block: same numbers, right line numbers.

mod common;

use common::pandas::{differences, rows_by_path, Pandas, Verdict};
use common::{read_parquet, TestEnv};
use polarsdesc::describe::memory::BLOCK_BYTES;
use predicates::prelude::*;

/// A CSV of about `bytes` bytes: a date, a float and an int column.
fn large_csv(bytes: usize) -> String {
    let mut text = String::from(",value,count\n");
    let mut row = 0u64;
    while text.len() < bytes {
        let value = ((row * 7919) % 100_003) as f64 / 997.0;
        text.push_str(&format!("2020-01-01,{value:?},{}\n", row % 17));
        row += 1;
    }
    text
}

#[test]
fn block_by_block_equals_pandas() {
    let Some(pandas) = Pandas::find("block_by_block_equals_pandas") else {
        return;
    };
    let env = TestEnv::new();
    // Three blocks, a quoted field in the last one, and a short last line.
    let mut text = large_csv(2 * BLOCK_BYTES + 12_345);
    text.push_str("\"2020-01-02\",\"7.25\",3\n2020-01-03,1e-3\n");
    let path = env.write("large.csv", &text);
    env.cmd()
        .args([
            "-q",
            "run",
            "large.csv",
            "-o",
            "out.parquet",
            "-p",
            "0.1,0.9",
        ])
        .assert()
        .success();
    let ours = rows_by_path(&read_parquet(&env.join("out.parquet")));
    let verdict = &pandas.describe(&[path], Some(&[0.1, 0.5, 0.9]), None)[0];
    assert_eq!(
        differences("large.csv", verdict, ours.get("large.csv")),
        Vec::<String>::new()
    );
    assert!(matches!(verdict, Verdict::Described(columns) if columns.len() == 2));
}

#[test]
fn problems_past_the_first_block_name_their_line() {
    let mut text = large_csv(BLOCK_BYTES + 5_000);
    let bad_line = text.lines().count() + 1;
    text.push_str("2020-01-02,n/a?,3\n2020-01-03,1.5,4,extra\n");
    let env = TestEnv::new();
    env.write("in/large.csv", &text);
    env.cmd()
        .args(["run", "in", "-q", "-o", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "polarsdesc: error: in/large.csv: line {}: 4 fields, but the header has 3",
            bad_line + 1
        )));
    // Without the long row, the text value drops its column, with its line.
    let text = text.replace(",extra", "");
    env.write("in/large.csv", &text);
    env.cmd()
        .args(["run", "in", "-o", "-"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "polarsdesc: warning: in/large.csv: line {bad_line}: column 'value' holds the text \"n/a?\" \
             among numbers; pandas reads it as text, so it is left out"
        )));
}

#[test]
fn lending_cores_to_a_large_file_changes_nothing_in_the_output() {
    let env = TestEnv::new();
    env.write("in/large.csv", large_csv(3 * BLOCK_BYTES + 777));
    env.write("in/small.csv", "x\n1\n2\n3\n");
    let output = |jobs: &str| {
        let output = env
            .cmd()
            .args(["-q", "run", "in", "-o", "-", "-j", jobs])
            .output()
            .unwrap();
        assert!(output.status.success());
        output.stdout
    };
    let sequential = output("1");
    assert_eq!(
        String::from_utf8_lossy(&sequential).lines().count(),
        1 + 2 + 1
    );
    assert_eq!(sequential, output("2"));
    assert_eq!(sequential, output("4"));
}

#[test]
fn a_large_file_with_thousands_of_jobs_finishes() {
    // One file of three blocks and -j 2000: 1,999 cores are lent to it. The
    // helpers it starts are bounded by its blocks (this spun forever once).
    let env = TestEnv::new();
    env.write("in/large.csv", large_csv(3 * BLOCK_BYTES + 777));
    let output = |jobs: &str| {
        env.cmd()
            .args(["-q", "run", "in", "-o", "-", "-j", jobs])
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap()
    };
    let many = output("2000");
    assert!(many.status.success(), "{many:?}");
    assert_eq!(many.stdout, output("1").stdout);
}

#[test]
fn an_interrupt_stops_a_large_file_with_thousands_of_jobs() {
    let env = TestEnv::new();
    env.write("in/large.csv", large_csv(6 * BLOCK_BYTES));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("polarsdesc"))
        .current_dir(env.path())
        .args(["-q", "run", "in", "-o", "out.csv", "-j", "2000"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let sent = std::time::Instant::now();
    send_signal(child.id(), "INT");
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            sent.elapsed() < std::time::Duration::from_secs(20),
            "no exit 20 s after SIGINT"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    // Interrupted (130), or already finished (0) on a fast machine.
    assert!(matches!(status.code(), Some(130) | Some(0)), "{status:?}");
    if status.code() == Some(130) {
        assert!(!env.join("out.csv").exists());
    }
}

/// `kill -SIG pid`, with the system's `kill`.
fn send_signal(pid: u32, signal: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// A large file that is not plain (blanks around numbers, lone `\r` line
/// ends, text past the first block in one column) read by pandas' rules,
/// block by block, plain and gzip-compressed: pandas' numbers.
#[test]
fn large_files_read_by_pandas_rules_equal_pandas() {
    let Some(pandas) = Pandas::find("large_files_read_by_pandas_rules_equal_pandas") else {
        return;
    };
    let env = TestEnv::new();
    let mut text = String::from("id,x,y,z\r");
    let mut row = 0u64;
    while text.len() < 2 * BLOCK_BYTES + 5_000 {
        let x = ((row * 7919) % 100_003) as f64 / 997.0;
        text.push_str(&format!("{row}, {x:?} ,{}\t,{}\r", row % 17, row % 5));
        row += 1;
    }
    text.push_str("9,1.5,2,late text\r");
    let plain = env.write("in/large.csv", &text);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, text.as_bytes()).unwrap();
    let compressed = env.write("in/large.csv.gz", gz.finish().unwrap());
    let output = env
        .cmd()
        .args(["run", "in", "-o", "out.parquet", "-p", "0.1,0.9"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    let late_line = row + 2;
    assert_eq!(
        stderr
            .matches(&format!(
                "line {late_line}: column 'z' holds the text \"late text\" among numbers"
            ))
            .count(),
        2,
        "{stderr}"
    );
    let ours = rows_by_path(&read_parquet(&env.join("out.parquet")));
    let verdicts = pandas.describe(&[plain, compressed], Some(&[0.1, 0.5, 0.9]), None);
    for (name, verdict) in ["in/large.csv", "in/large.csv.gz"].iter().zip(&verdicts) {
        assert_eq!(
            differences(name, verdict, ours.get(*name)),
            Vec::<String>::new()
        );
        assert!(matches!(verdict, Verdict::Described(columns) if columns.len() == 3));
    }
}

/// pandas converts rows in blocks (2^15 rows at 16 fields) and types each
/// block on its own: an integer past 64 bits in the first block's last row
/// makes a float column, in the next block's first row an object column.
#[test]
fn pandas_blocks_of_rows_decide_wide_integers() {
    let Some(pandas) = Pandas::find("pandas_blocks_of_rows_decide_wide_integers") else {
        return;
    };
    let env = TestEnv::new();
    let header: Vec<String> = (0..16).map(|i| format!("c{i}")).collect();
    let mut files = Vec::new();
    for (name, wide_row) in [
        ("last_of_first.csv", 32_767),
        ("first_of_second.csv", 32_768),
    ] {
        let mut text = header.join(",") + "\n";
        for row in 0..40_000 {
            let first = if row == wide_row {
                "18446744073709551616".to_string()
            } else {
                "1.5".to_string()
            };
            text.push_str(&first);
            text.push_str(&",1".repeat(15));
            text.push('\n');
        }
        files.push(env.write(&format!("in/{name}"), text));
    }
    env.cmd()
        .args(["-q", "run", "in", "-o", "out.parquet"])
        .assert()
        .success();
    let ours = rows_by_path(&read_parquet(&env.join("out.parquet")));
    let verdicts = pandas.describe(&files, None, None);
    for (file, verdict) in files.iter().zip(&verdicts) {
        let name = format!("in/{}", file.file_name().unwrap().to_string_lossy());
        assert_eq!(
            differences(&name, verdict, ours.get(&name)),
            Vec::<String>::new()
        );
    }
    // The premise: pandas describes c0 in one file and not in the other.
    let described = |verdict: &Verdict| match verdict {
        Verdict::Described(columns) => columns.iter().any(|(name, _)| name == "c0"),
        Verdict::Failed(_) => false,
    };
    assert!(described(&verdicts[0]) && !described(&verdicts[1]));
}
