//! Nothing the user owns is overwritten: outputs that are inputs, links, FIFOs, devices, the embedded default, stale caches.

mod common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::process::Command;
use std::time::{Duration, SystemTime};

use common::{read_parquet, strings, TestEnv};
use predicates::prelude::*;

const SELF: &str = "a\n1\n2\n";

#[test]
fn an_output_that_is_a_named_input_is_refused_before_reading() {
    let env = TestEnv::new();
    env.write("self.csv", SELF);
    env.write("bad.csv", "");
    env.cmd()
        .args(["run", "bad.csv", "self.csv", "-o", "self.csv"])
        .assert()
        .code(2)
        .stdout("")
        // One line, and no error about bad.csv: nothing was read.
        .stderr(
            "polarsdesc: error: self.csv is an input and also the output (-o): \
             refusing to overwrite it; choose another name\n",
        );
    env.cmd()
        .args(["run", "self.csv", "-o", "out.csv", "--errors", "self.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "self.csv is an input and also the --errors file",
        ));
    assert_eq!(fs::read_to_string(env.join("self.csv")).unwrap(), SELF);
    assert_eq!(env.files_in("."), ["bad.csv", "self.csv"]);
}

#[test]
fn an_output_reached_through_a_link_or_a_hard_link_is_still_an_input() {
    let env = TestEnv::new();
    env.write("in/data.csv", SELF);
    std::os::unix::fs::symlink("in/data.csv", env.join("link.csv")).unwrap();
    fs::hard_link(env.join("in/data.csv"), env.join("hard.csv")).unwrap();
    for output in ["link.csv", "hard.csv"] {
        env.cmd()
            .args(["run", "in", "-o", output])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "in/data.csv is an input (found in a folder or by a pattern) and also the output (-o)",
            ));
    }
    assert_eq!(fs::read_to_string(env.join("in/data.csv")).unwrap(), SELF);
}

#[test]
fn someones_file_in_the_input_folder_is_not_overwritten() {
    let env = TestEnv::new();
    env.write("in/a.csv", SELF);
    env.write("in/summary.csv", "x,y\n1,2\n");
    env.cmd()
        .args(["-q", "run", "in", "-o", "in/summary.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite it"));
    assert_eq!(
        fs::read_to_string(env.join("in/summary.csv")).unwrap(),
        "x,y\n1,2\n"
    );
    // Nor by a glob that matches it.
    env.cmd()
        .args(["-q", "run", "in/*.csv", "-o", "in/summary.csv"])
        .assert()
        .code(2);
}

#[test]
fn an_output_inside_the_input_folder_is_not_read_back_on_reruns() {
    let env = TestEnv::new();
    env.write("in/a.csv", "x\n1\n3\n");
    let run = || {
        env.cmd()
            .args(["run", "in", "-o", "in/summary.csv", "--no-cache"])
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success());
    let first_result = fs::read_to_string(env.join("in/summary.csv")).unwrap();
    assert_eq!(
        first_result,
        "label,path,column,count,mean,std,min,25%,50%,75%,max\n\
         a,in/a.csv,x,2,2.0,1.4142135623730951,1.0,1.5,2.0,2.5,3.0\n"
    );
    let second = run();
    assert!(second.status.success());
    assert_eq!(
        fs::read_to_string(env.join("in/summary.csv")).unwrap(),
        first_result,
        "the rerun describes the same files"
    );
    let stderr = String::from_utf8(second.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "polarsdesc: note: not reading in/summary.csv: it is the output (-o), left by an earlier run\n"
        ),
        "{stderr}"
    );
    // The same for JSON and Parquet outputs, and for the --errors file.
    for (output, errors) in [("in/s.json", "in/e1.csv"), ("in/s.parquet", "in/e2.csv")] {
        for _ in 0..2 {
            env.cmd()
                .args(["-q", "run", "in", "-o", output, "--errors", errors])
                .assert()
                .success();
        }
    }
}

#[test]
fn the_runs_hidden_files_are_not_inputs() {
    let env = TestEnv::new();
    env.write("in/a.csv", SELF);
    env.cmd()
        .args(["-q", "run", "in", "-o", "in/s.csv"])
        .assert()
        .success();
    // The cache is a hidden file beside the output; named on purpose, it is
    // still not read (it is the run's own).
    env.cmd()
        .args(["run", "in/a.csv", "in/.s.csv.cache", "-o", "in/s.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "polarsdesc: note: not reading in/.s.csv.cache: it is this run's cache",
        ));
}

#[test]
fn a_symlinked_output_replaces_its_target_and_stays_a_link() {
    let env = TestEnv::new();
    env.write("in/a.csv", SELF);
    env.write("target/old.csv", "old");
    std::os::unix::fs::symlink("target/old.csv", env.join("out.csv")).unwrap();
    env.cmd()
        .args(["-q", "run", "in", "-o", "out.csv"])
        .assert()
        .success();
    assert!(fs::symlink_metadata(env.join("out.csv"))
        .unwrap()
        .file_type()
        .is_symlink());
    let written = fs::read_to_string(env.join("target/old.csv")).unwrap();
    assert!(written.starts_with("label,path,column,count,"), "{written}");
    // The journal and cache live beside the real file.
    assert_eq!(env.files_in("target"), [".old.csv.cache", "old.csv"]);
    // A link to a file that does not exist yet: the file is created, as a shell would.
    std::os::unix::fs::symlink("target/new.csv", env.join("new.csv")).unwrap();
    env.cmd()
        .args(["-q", "run", "in", "-o", "new.csv"])
        .assert()
        .success();
    assert!(env.join("target/new.csv").is_file());
}

#[test]
fn a_fifo_is_written_as_a_stream() {
    let env = TestEnv::new();
    env.write("in/a.csv", SELF);
    let fifo = env.join("pipe.csv");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    env.cmd()
        .args(["-q", "run", "in", "-o", "pipe.csv"])
        .assert()
        .success();
    assert_eq!(
        reader.join().unwrap(),
        "label,path,column,count,mean,std,min,25%,50%,75%,max\n\
         a,in/a.csv,a,2,1.5,0.7071067811865476,1.0,1.25,1.5,1.75,2.0\n"
    );
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(
        env.files_in("."),
        ["in", "pipe.csv"],
        "no journal or cache for a stream"
    );
}

#[test]
fn devices_are_streams_and_dev_stdout_is_stdout() {
    let env = TestEnv::new();
    env.write("in/a.csv", SELF);
    env.write("in/bad.csv", "");
    let null_before = fs::metadata("/dev/null").unwrap();
    env.cmd()
        .args([
            "-q",
            "run",
            "in",
            "-o",
            "/dev/null",
            "--errors",
            "/dev/null",
        ])
        .assert()
        .code(1);
    let null_after = fs::metadata("/dev/null").unwrap();
    assert!(null_after.file_type().is_char_device());
    assert_eq!(
        null_after.ino(),
        null_before.ino(),
        "/dev/null is not replaced"
    );
    env.cmd()
        .args(["-q", "run", "in/a.csv", "-o", "/dev/stdout"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("label,path,column,count,"));
}

#[test]
fn a_folder_output_is_refused_before_reading() {
    let env = TestEnv::new();
    env.write("in/bad.csv", "");
    fs::create_dir(env.join("out.csv")).unwrap();
    env.cmd()
        .args(["run", "in", "-o", "out.csv"])
        .assert()
        .code(2)
        .stderr("polarsdesc: error: cannot write out.csv: it is a folder\n");
    env.cmd()
        .args(["run", "in", "-o", "x.csv", "--errors", "missing/e.csv"])
        .assert()
        .code(2)
        .stderr(
            "polarsdesc: error: cannot write missing/e.csv: No such file or directory (os error 2)\n",
        );
    assert_eq!(env.files_in("."), ["in", "out.csv"]);
}

#[test]
fn the_embedded_default_never_writes_into_a_folder_that_holds_anything() {
    let env = TestEnv::new();
    env.write("data/notes.txt", "my notes");
    env.write("data/2024/jan.csv", SELF);
    env.cmd().arg("run").assert().code(2).stderr(
        "polarsdesc: note: data/ holds no CSV file but is not empty, so the demo data set \
             is not generated there (`polarsdesc generate` makes it anywhere)\n\
             polarsdesc: note: 1 subfolder was not searched (-r searches subfolders)\n\
             polarsdesc: error: no CSV, Parquet, Arrow or NDJSON files found in data\n",
    );
    assert_eq!(env.files_in("data"), ["2024", "notes.txt"]);
    // With -r the user's own file is found; still nothing is generated.
    env.cmd().args(["-q", "run", "-r"]).assert().success();
    assert_eq!(env.files_in("data"), ["2024", "notes.txt"]);
    assert_eq!(
        strings(&read_parquet(&env.join("summary.parquet")), "path"),
        ["data/2024/jan.csv"]
    );
}

/// Writes `text` to `path` and gives it the modification time `mtime`.
fn write_with_mtime(path: &std::path::Path, text: &str, mtime: SystemTime) {
    fs::write(path, text).unwrap();
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
}

#[test]
fn a_file_replaced_with_the_same_size_and_time_is_read_again() {
    let env = TestEnv::new();
    let path = env.join("in/a.csv");
    fs::create_dir_all(env.join("in")).unwrap();
    let mtime = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    write_with_mtime(&path, "x\n1\n2\n", mtime);
    env.cmd()
        .args(["-q", "run", "in", "-o", "s.csv"])
        .assert()
        .success();
    // `cp -p` / `rsync -t` / `tar x`: new bytes, same size, the old time stamp.
    let replacement = env.join("replacement.csv");
    write_with_mtime(&replacement, "x\n7\n9\n", mtime);
    fs::rename(&replacement, &path).unwrap();
    assert_eq!(fs::metadata(&path).unwrap().len(), 6);
    env.cmd()
        .args(["run", "in", "-o", "s.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "summarized 1 of 1 files (1 rows) in",
        ));
    assert!(fs::read_to_string(env.join("s.csv"))
        .unwrap()
        .contains("a,in/a.csv,x,2,8.0,"));
    // Even rewritten in place (same inode), the change time moves.
    write_with_mtime(&path, "x\n3\n5\n", mtime);
    env.cmd()
        .args(["-q", "run", "in", "-o", "s.csv"])
        .assert()
        .success();
    assert!(fs::read_to_string(env.join("s.csv"))
        .unwrap()
        .contains("a,in/a.csv,x,2,4.0,"));
}

#[test]
fn the_content_check_reuses_touched_files_and_catches_changed_ones() {
    let env = TestEnv::new();
    env.write("in/a.csv", "x\n1\n2\n");
    let run = || {
        env.cmd()
            .args(["run", "in", "-o", "s.csv", "--cache-check", "content"])
            .output()
            .unwrap()
    };
    assert!(run().status.success());
    // Touched: a new time stamp, the same bytes: reused.
    let path = env.join("in/a.csv");
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    let stderr = String::from_utf8(run().stderr).unwrap();
    assert!(stderr.contains("1 unchanged, reused"), "{stderr}");
    // Changed bytes: read again.
    fs::write(&path, "x\n5\n6\n").unwrap();
    let stderr = String::from_utf8(run().stderr).unwrap();
    assert!(!stderr.contains("reused"), "{stderr}");
    assert!(fs::read_to_string(env.join("s.csv"))
        .unwrap()
        .contains(",x,2,5.5,"));
}

#[test]
fn a_run_where_every_file_fails_keeps_the_cache() {
    let env = TestEnv::new();
    env.write("in/a.csv", SELF);
    env.cmd().args(["-q", "run", "in"]).assert().success();
    let cache = fs::read(env.join(".summary.parquet.cache")).unwrap();
    env.cmd()
        .args(["-q", "run", "missing.csv"])
        .assert()
        .code(2);
    assert_eq!(fs::read(env.join(".summary.parquet.cache")).unwrap(), cache);
    assert_eq!(
        env.files_in("."),
        [".summary.parquet.cache", "in", "summary.parquet"]
    );
    // And the cache still works.
    env.cmd()
        .args(["run", "in"])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 unchanged, reused"));
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_kept_exactly() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    fs::create_dir(env.join("in")).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.csv");
    fs::write(env.join("in").join(name), SELF).unwrap();
    for input in ["in", "in/*.csv"] {
        env.cmd()
            .args(["-q", "run", input, "-o", "-"])
            .assert()
            .success()
            .stdout(predicate::str::contains("caf\\xE9,in/caf\\xE9.csv,a,2,"));
    }
    // It has a cache entry like any file.
    env.cmd().args(["-q", "run", "in"]).assert().success();
    env.cmd()
        .args(["run", "in"])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 unchanged, reused"));
}

#[test]
fn write_errors_name_the_output_once_without_temporary_names() {
    let env = TestEnv::new();
    env.write("in/a.csv", SELF);
    let output = env
        .cmd()
        .args(["run", "in", "-o", "nowhere/out.csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "polarsdesc: error: cannot write nowhere/out.csv: No such file or directory (os error 2)\n"
    );
}

/// A temporary folder (`TMPDIR`) that is missing stops the run with a
/// message about it, not about the file being read, and the previous
/// output is kept (the files finished are on record for `--resume`);
/// once it is there, `--resume` finishes the run.
#[test]
fn a_missing_temporary_folder_stops_the_run_and_keeps_the_output() {
    let env = TestEnv::new();
    env.write("in/a.csv", "v\n1\n2\n");
    // Past one block (8 MiB), and 1.8 M values: past the 1 M a file holds
    // under a 64 MiB ceiling, so they are spilled.
    let mut big = String::from("x,y,z\n");
    for row in 0..600_000u32 {
        big.push_str(&format!("{row}.25,{},{}.125\n", row % 7, row % 13));
    }
    assert!(big.len() > 8 << 20);
    env.write("in/big.csv", big);
    env.write("out.csv", "previous output");
    let bounded = ["--max-memory", "64M", "-j", "1"];
    env.cmd()
        .args(["run", "in", "-o", "out.csv"])
        .args(bounded)
        .env("TMPDIR", env.join("no-such-folder"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "polarsdesc: error: the temporary folder {} cannot take temporary files",
            env.join("no-such-folder").display()
        )))
        .stderr(predicate::str::contains(
            "set TMPDIR to a folder with room (while reading in/big.csv); the run stopped and \
             wrote nothing (an earlier output is kept); the files finished so far are on \
             record: run again with --resume",
        ))
        .stderr(predicate::str::contains("cannot read").not());
    assert_eq!(fs::read(env.join("out.csv")).unwrap(), b"previous output");
    env.cmd()
        .args(["-q", "run", "in", "-o", "out.csv", "--resume"])
        .args(bounded)
        .assert()
        .success();
    let table = fs::read_to_string(env.join("out.csv")).unwrap();
    assert!(
        table.contains("a,in/a.csv,v,2,1.5") && table.contains("big,in/big.csv,z,600000"),
        "{table}"
    );
}
