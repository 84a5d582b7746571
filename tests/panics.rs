//! A panic while describing one file costs only that file: reported as its error, in one line, and the run goes on.
//!
//! The release binary carries no hook to make it panic, so this test runs the
//! library's `run_with` in a child process (this very test binary, started
//! again) with a describer that panics on one file, and checks what that
//! process printed and wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

use polarsdesc::config::{OutputFormat, OutputTarget, RunConfig};
use polarsdesc::describe::{FileSummary, Options};
use polarsdesc::parallel::SpareCores;
use polarsdesc::progress::Console;
use polarsdesc::read::{describe_origin, FileError, Origin};

/// Set in the child: the folder to run in.
const CHILD_FOLDER: &str = "POLARSDESC_PANIC_TEST_FOLDER";

fn panics_on_boom(
    origin: Origin,
    options: &Options,
    spare: &SpareCores,
) -> Result<FileSummary, FileError> {
    let path = origin.path();
    if path.ends_with("boom.csv") {
        panic!("test panic on {}", path.display());
    }
    describe_origin(origin, options, spare)
}

/// The child's work: the real run with a panicking describer, as `main` sets it up.
fn child(folder: &Path) {
    polarsdesc::parallel::quiet_worker_panics();
    let mut config = RunConfig::measured(
        vec![folder.join("in")],
        Options::default(),
        folder.join("out.csv"),
        2,
    );
    config.format = OutputFormat::Csv;
    config.output = OutputTarget::File(folder.join("out.csv"));
    let report = polarsdesc::summary::run_with(&config, &Console::stderr(true), &panics_on_boom)
        .expect("the run goes on");
    assert_eq!((report.files, report.summarized), (3, 2));
}

#[test]
fn a_panic_is_that_files_error_and_the_run_goes_on() {
    if let Some(folder) = std::env::var_os(CHILD_FOLDER) {
        child(&PathBuf::from(folder));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("a.csv", "x\n1\n"),
        ("boom.csv", "x\n2\n"),
        ("c.csv", "x\n3\n"),
    ] {
        std::fs::create_dir_all(dir.path().join("in")).unwrap();
        std::fs::write(dir.path().join("in").join(name), text).unwrap();
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "a_panic_is_that_files_error_and_the_run_goes_on"])
        .args(["--nocapture", "--test-threads", "1"])
        .env(CHILD_FOLDER, dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    let boom = dir.path().join("in/boom.csv");
    assert_eq!(
        stderr,
        format!(
            "polarsdesc: error: {}: internal error (panic) while reading: test panic on {}\n",
            boom.display(),
            boom.display()
        ),
        "one line for the file, no backtrace"
    );
    let written = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    let labels: Vec<&str> = written
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert_eq!(labels, ["a", "c"]);
}
