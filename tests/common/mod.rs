//! Test harness: a temporary folder to run the real `polarsdesc` binary in, and readers for its outputs.
#![allow(dead_code)] // each test file uses a different part of the harness

pub mod docs;
pub mod pandas;
pub mod python;
pub mod s3;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use polars::prelude::*;
use polars_io::prelude::{ParquetReader, SerReader};

/// Says that a test is skipped, and why, where the person running the tests
/// sees it: written to stderr directly, as the test harness captures (and
/// hides, for a test that passes) what `eprintln!` writes.
pub fn say_skipped(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {message}");
}

/// A temporary working folder; dropped (and deleted) at the end of the test.
pub struct TestEnv {
    dir: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> Self {
        TestEnv {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The real binary, run in this folder, without colours or a terminal.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("polarsdesc").expect("binary built");
        cmd.current_dir(self.path()).env("NO_COLOR", "1");
        cmd
    }

    /// The real binary as a plain `std::process::Command`, set up as [`Self::cmd`].
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("polarsdesc"));
        cmd.current_dir(self.path()).env("NO_COLOR", "1");
        cmd
    }

    /// Writes `contents` to `name` (creating folders) and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folder");
        }
        fs::write(&path, contents).expect("write file");
        path
    }

    /// `generate` a small seeded data set into `dir`: `labels` files, Q1 2020 (65 business days).
    pub fn generate_small(&self, dir: &str, labels: usize, seed: u64) {
        self.cmd()
            .args(["-q", "generate", "--dir", dir, "--seed", &seed.to_string()])
            .args(["--labels", &labels.to_string()])
            .args(["--start", "2020-01-01", "--end", "2020-03-31"])
            .assert()
            .success();
    }

    /// The names of the files in this folder (or a subfolder), sorted.
    pub fn files_in(&self, dir: &str) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.join(dir))
            .expect("list folder")
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// Business days in Q1 2020 (January 23, February 20, March 22).
pub const Q1_2020_BUSINESS_DAYS: u64 = 65;

/// Runs `run data ARGS` as two shards into `parts/` and merges them, and
/// once more as a single run; asserts that both give the same CSV, and
/// returns it.
pub fn merged_shards_equal_a_single_run(env: &TestEnv, args: &[&str]) -> String {
    for shard in ["0/2", "1/2"] {
        env.cmd()
            .args(["-q", "run", "data", "--shard", shard, "-o", "parts"])
            .args(args)
            .assert()
            .success();
    }
    env.cmd()
        .args(["-q", "merge", "parts", "-o", "merged.csv"])
        .assert()
        .success();
    env.cmd()
        .args(["-q", "run", "data", "-o", "single.csv"])
        .args(args)
        .assert()
        .success();
    let merged = fs::read_to_string(env.join("merged.csv")).unwrap();
    assert_eq!(merged, fs::read_to_string(env.join("single.csv")).unwrap());
    merged
}

/// Reads a Parquet file written by `polarsdesc run`.
pub fn read_parquet(path: &Path) -> DataFrame {
    let file = fs::File::open(path).expect("open parquet");
    ParquetReader::new(file).finish().expect("read parquet")
}

/// The strings of a text column.
pub fn strings(frame: &DataFrame, column: &str) -> Vec<String> {
    let values = frame.column(column).unwrap().str().unwrap().clone();
    (0..values.len())
        .map(|i| values.get(i).unwrap_or_default().to_string())
        .collect()
}

/// The values of a float column (`None` for null).
pub fn floats(frame: &DataFrame, column: &str) -> Vec<Option<f64>> {
    let values = frame.column(column).unwrap().f64().unwrap().clone();
    (0..values.len()).map(|i| values.get(i)).collect()
}

/// The values of the `count` column.
pub fn counts(frame: &DataFrame) -> Vec<u64> {
    frame
        .column("count")
        .unwrap()
        .u64()
        .unwrap()
        .into_no_null_iter()
        .collect()
}

/// The fixture folder `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `command` to its end and returns its output with its peak memory
/// (the kernel's high-water mark of its resident set, `VmHWM`, read from
/// `/proc` while it runs), in bytes.
pub fn run_measuring_peak(command: &mut std::process::Command) -> (std::process::Output, u64) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the command");
    let status_path = format!("/proc/{}/status", child.id());
    let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stderr.read_to_end(&mut bytes).map(|_| bytes)
    });
    let mut peak_kb = 0;
    loop {
        // The high-water mark only grows: the last reading before the exit is the peak.
        if let Ok(status) = fs::read_to_string(&status_path) {
            if let Some(kb) = status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let status = child.wait().expect("wait");
    let output = std::process::Output {
        status,
        stdout: out_reader.join().unwrap().unwrap(),
        stderr: err_reader.join().unwrap().unwrap(),
    };
    (output, peak_kb * 1024)
}
