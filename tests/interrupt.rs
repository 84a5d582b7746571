//! Interruptions and reruns: Ctrl-C, SIGTERM and kill -9 lose nothing, --resume finishes the job, the cache is exact.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{read_parquet, TestEnv};
use polars::prelude::*;

/// The article's data set, generated once for all the tests here (read only).
fn data() -> &'static Path {
    static DATA: OnceLock<tempfile::TempDir> = OnceLock::new();
    DATA.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new(assert_cmd::cargo::cargo_bin("polarsdesc"))
            .args(["-q", "generate", "--seed", "5", "--dir"])
            .arg(dir.path())
            .args(["--start", "2010-01-01", "--end", "2026-11-20"])
            .status()
            .unwrap();
        assert!(status.success());
        dir
    })
    .path()
}

/// `polarsdesc -q run <data> -j 1 <args>` started in `dir`, stderr captured.
fn start_run(dir: &Path, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("polarsdesc"))
        .current_dir(dir)
        .args(["-q", "run"])
        .arg(data())
        .args(["-j", "1"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn journal(dir: &Path) -> PathBuf {
    dir.join(".summary.parquet.journal")
}

/// Waits until the run's journal holds `records` finished files (or the run
/// has completed: its journal became the cache).
fn wait_for_records(dir: &Path, records: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match std::fs::read(journal(dir)) {
            // Each record's first line names the hash of its rows.
            Ok(bytes) if bytes.windows(7).filter(|w| w == b"\"xxh3\":").count() >= records => {
                return
            }
            Err(_) if dir.join(".summary.parquet.cache").exists() => return,
            _ => {}
        }
        assert!(Instant::now() < deadline, "the run never got going");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn finish(child: Child) -> (i32, String) {
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The uninterrupted result, for comparison.
fn reference() -> &'static DataFrame {
    static REFERENCE: OnceLock<DataFrame> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let env = TestEnv::new();
        let (code, _) = finish(start_run(env.path(), &["--no-cache"]));
        assert_eq!(code, 0);
        read_parquet(&env.join("summary.parquet"))
    })
}

/// The files in `dir` other than the output, the journal and the cache.
fn stray_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            !matches!(
                n.as_str(),
                "summary.parquet" | ".summary.parquet.journal" | ".summary.parquet.cache"
            )
        })
        .collect()
}

fn interrupted_then_resumed(signal_name: &str) {
    let env = TestEnv::new();
    env.write("summary.parquet", "previous output");
    let run = start_run(env.path(), &[]);
    wait_for_records(env.path(), 50);
    let signalled = Instant::now();
    signal(&run, signal_name);
    let (code, stderr) = finish(run);
    assert_eq!(code, 130, "{stderr}");
    assert!(
        signalled.elapsed() < Duration::from_secs(2),
        "stops promptly"
    );
    assert_eq!(
        stderr,
        "polarsdesc: error: interrupted; the files finished so far are on record: add --resume to continue\n"
    );
    assert_eq!(
        std::fs::read(env.join("summary.parquet")).unwrap(),
        b"previous output"
    );
    assert!(
        stray_files(env.path()).is_empty(),
        "{:?}",
        stray_files(env.path())
    );
    assert!(journal(env.path()).exists());

    let output = Command::new(assert_cmd::cargo::cargo_bin("polarsdesc"))
        .current_dir(env.path())
        .args(["run", "--resume"])
        .arg(data())
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let reused: usize = stderr
        .split("; ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no reuse in {stderr}"));
    assert!(
        reused >= 50,
        "the files finished before the interruption are not read again"
    );
    assert!(read_parquet(&env.join("summary.parquet")).equals_missing(reference()));
    assert!(
        !journal(env.path()).exists(),
        "the journal is gone once the run completes"
    );
}

#[test]
fn ctrl_c_stops_cleanly_and_resume_finishes() {
    interrupted_then_resumed("INT");
}

#[test]
fn sigterm_stops_cleanly_and_resume_finishes() {
    interrupted_then_resumed("TERM");
}

#[test]
fn kill_9_at_several_moments_then_resume_equals_an_uninterrupted_run() {
    let env = TestEnv::new();
    let files = std::fs::read_dir(data()).unwrap().count();
    // Kill at random moments (a seeded draw, so a failure can be replayed),
    // the last time at the very end, while the output may be being written.
    let mut rng = polarsdesc::generate::values::label_rng(2026, "kill -9");
    let mut moments: Vec<usize> = (0..4)
        .map(|_| 1 + (polarsdesc::generate::values::next_unit(&mut rng) * files as f64) as usize)
        .collect();
    moments.sort_unstable();
    moments.push(files);
    let mut previous: Option<Vec<u8>> = None;
    for records in moments {
        let run = start_run(env.path(), &["--resume"]);
        wait_for_records(env.path(), records);
        signal(&run, "KILL");
        finish(run);
        let output = std::fs::read(env.join("summary.parquet")).ok();
        if let (Some(before), Some(after)) = (&previous, &output) {
            if before != after {
                // Only a complete new output may have replaced the old one.
                assert!(read_parquet(&env.join("summary.parquet")).equals_missing(reference()));
            }
        }
        previous = output;
        // kill -9 gives no chance to clean up: at most the temporary of an
        // output being written may be left, and the next run removes it.
        let strays = stray_files(env.path());
        assert!(
            strays
                .iter()
                .all(|n| n.starts_with(".summary.parquet.") && n.ends_with(".tmp")),
            "{strays:?}"
        );
    }
    let (code, _) = finish(start_run(env.path(), &["--resume"]));
    assert_eq!(code, 0);
    assert!(read_parquet(&env.join("summary.parquet")).equals_missing(reference()));
    assert!(
        stray_files(env.path()).is_empty(),
        "{:?}",
        stray_files(env.path())
    );
}

#[test]
fn a_rerun_reads_only_the_changed_file_and_equals_a_fresh_run() {
    let env = TestEnv::new();
    let input = env.join("in");
    std::fs::create_dir(&input).unwrap();
    for entry in std::fs::read_dir(data()).unwrap().take(40) {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), input.join(entry.file_name())).unwrap();
    }
    let run = |args: &[&str]| {
        let output = env.cmd().args(["run", "in"]).args(args).output().unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stderr).unwrap()
    };
    assert!(!run(&[]).contains("reused"));
    assert!(run(&[]).contains("(40 rows; 40 unchanged, reused)"));

    let changed = std::fs::read_dir(&input)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push_str("2030-01-01,0.5\n");
    std::fs::write(&changed, text).unwrap();
    assert!(run(&[]).contains("(40 rows; 39 unchanged, reused)"));
    run(&["--no-cache", "-o", "fresh.parquet"]);
    let cached = read_parquet(&env.join("summary.parquet"));
    assert!(cached.equals_missing(&read_parquet(&env.join("fresh.parquet"))));
    // Other percentiles change the results: nothing is reused.
    assert!(!run(&["-p", "0.1"]).contains("reused"));
}

#[test]
fn an_interrupted_generate_leaves_only_whole_files() {
    let env = TestEnv::new();
    let run = Command::new(assert_cmd::cargo::cargo_bin("polarsdesc"))
        .current_dir(env.path())
        .args(["-q", "generate", "--seed", "5", "-j", "1", "--dir", "gen"])
        .args(["--start", "2010-01-01", "--end", "2026-11-20"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::read_dir(env.join("gen")).map_or(0, |d| d.count()) < 20 {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(2));
    }
    signal(&run, "INT");
    let (code, stderr) = finish(run);
    assert_eq!(
        (code, stderr.as_str()),
        (130, "polarsdesc: error: generating into gen: interrupted\n")
    );
    let written = env.files_in("gen");
    assert!(written.len() < 1326, "stopped early");
    for name in written {
        assert!(name.ends_with(".csv"), "no temporary file left: {name}");
        let ours = std::fs::read(env.join("gen").join(&name)).unwrap();
        assert_eq!(
            ours,
            std::fs::read(data().join(&name)).unwrap(),
            "{name} is whole"
        );
    }
}

#[test]
fn an_interrupted_bench_does_not_offer_to_resume() {
    let env = TestEnv::new();
    let bench = Command::new(assert_cmd::cargo::cargo_bin("polarsdesc"))
        .current_dir(env.path())
        .args(["-q", "bench"])
        .arg(data())
        .args(["--repeat", "50", "--jobs-list", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Past the one-file timing (7 runs of at least 0.2 s) and into the runs.
    std::thread::sleep(Duration::from_millis(2500));
    signal(&bench, "INT");
    let (code, stderr) = finish(bench);
    assert_eq!(
        (code, stderr.as_str()),
        (130, "polarsdesc: error: interrupted\n")
    );
}

/// Ctrl-C during one long table of many groups (`--by`): it acts within a
/// second whatever the run is doing (reading the keys, describing the
/// groups, writing the output), and the previous output stays.
#[test]
fn ctrl_c_during_a_long_table_of_many_groups_acts_at_once() {
    use std::io::Write;
    let env = TestEnv::new();
    let mut text = Vec::with_capacity(1_500_000 * 24);
    text.extend_from_slice(b"key,price,volume\n");
    let mut state = 7u64;
    for _ in 0..1_500_000 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let price = (state >> 11) as f64 / (1u64 << 53) as f64;
        writeln!(
            text,
            "k{},{price:?},{}",
            (state >> 33) % 600_000,
            state >> 54
        )
        .unwrap();
    }
    env.write("long.csv", &text);
    env.write("summary.parquet", "previous output");
    let mut interrupted = 0;
    for wait in [200, 700, 1200] {
        let run = Command::new(assert_cmd::cargo::cargo_bin("polarsdesc"))
            .current_dir(env.path())
            .args(["-q", "run", "long.csv", "--by", "key", "--no-cache"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait));
        let signalled = Instant::now();
        signal(&run, "INT");
        let (code, stderr) = finish(run);
        if code == 0 {
            continue; // finished before the signal: nothing to see
        }
        assert_eq!(code, 130, "{stderr}");
        interrupted += 1;
        assert!(
            signalled.elapsed() < Duration::from_secs(1),
            "took {:?} after {wait} ms",
            signalled.elapsed()
        );
        assert_eq!(
            std::fs::read(env.join("summary.parquet")).unwrap(),
            b"previous output"
        );
    }
    assert!(interrupted > 0, "every run finished before its signal");
}
