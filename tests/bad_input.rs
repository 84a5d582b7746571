//! Bad input, file by file: what the user sees (stderr, exit code, output), and that the other files are kept.
//!
//! The corpus is `tests/fixtures/bad/`; the numbers were checked against
//! pandas 3.1.1, which also refuses the files that fail here.

mod common;

use common::{fixture, TestEnv};
use predicates::prelude::*;

const HEADER: &str = "label,path,column,count,mean,std,min,25%,50%,75%,max\n";

/// Runs `polarsdesc -q run <corpus file> -o -` in a fresh folder where the
/// corpus is at `bad/`; returns (exit code, stdout, stderr).
fn run_on(name: &str) -> (i32, String, String) {
    let env = TestEnv::new();
    std::os::unix::fs::symlink(fixture("bad"), env.join("bad")).unwrap();
    let output = env
        .cmd()
        .args(["-q", "run", &format!("bad/{name}"), "-o", "-"])
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn rows(lines: &[&str]) -> String {
    let mut text = HEADER.to_string();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text
}

#[test]
fn zero_byte_file() {
    let (code, stdout, stderr) = run_on("empty.csv");
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "polarsdesc: error: bad/empty.csv: the file is empty (no header line)\n"
    );
}

/// The header of a table with text rows: pandas' `unique`, `top`, `freq` too.
const TEXT_HEADER: &str = "label,path,column,count,unique,top,freq,mean,std,min,25%,50%,75%,max\n";

#[test]
fn header_only() {
    // pandas reads every column as text without values, and describe()
    // falls back to them: count 0, unique 0 (checked with pandas 3.1.1).
    let (code, stdout, stderr) = run_on("header_only.csv");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        format!(
            "{TEXT_HEADER}header_only,bad/header_only.csv,Unnamed: 0,0,0,,,,,,,,,\n\
             header_only,bad/header_only.csv,data,0,0,,,,,,,,,\n"
        )
    );
}

#[test]
fn header_only_with_numbers_asked_for() {
    let env = TestEnv::new();
    std::os::unix::fs::symlink(fixture("bad"), env.join("bad")).unwrap();
    env.cmd()
        .args(["-q", "run", "bad/header_only.csv", "-o", "-", "--include", "number"])
        .assert()
        .success()
        .stdout(HEADER)
        .stderr(
            "polarsdesc: warning: bad/header_only.csv: no data rows (only a header): nothing to describe\n",
        );
}

#[test]
fn too_many_fields_fails_the_file_with_its_line() {
    let (code, _, stderr) = run_on("too_many_fields.csv");
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "polarsdesc: error: bad/too_many_fields.csv: line 3: 3 fields, but the header has 2\n"
    );
}

#[test]
fn too_few_fields_are_missing_values() {
    let (code, stdout, stderr) = run_on("too_few_fields.csv");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        rows(&[
            "too_few_fields,bad/too_few_fields.csv,a,3,3.6666666666666665,2.5166114784235836,1.0,2.5,4.0,5.0,6.0",
            "too_few_fields,bad/too_few_fields.csv,b,2,3.5,2.1213203435596424,2.0,2.75,3.5,4.25,5.0",
            "too_few_fields,bad/too_few_fields.csv,c,1,3.0,,3.0,3.0,3.0,3.0,3.0",
        ])
    );
}

#[test]
fn text_in_a_numeric_looking_column() {
    let (code, stdout, stderr) = run_on("text_in_numbers.csv");
    assert_eq!(code, 0);
    assert_eq!(
        stderr,
        "polarsdesc: warning: bad/text_in_numbers.csv: line 3: column 'price' holds the text \"n/a?\" \
         among numbers; pandas reads it as text, so it is left out\n"
    );
    assert_eq!(
        stdout,
        rows(&["text_in_numbers,bad/text_in_numbers.csv,qty,3,4.0,1.0,3.0,3.5,4.0,4.5,5.0"])
    );
}

#[test]
fn text_after_the_sampled_rows() {
    let (code, stdout, stderr) = run_on("text_after_sample.csv");
    assert_eq!(code, 0);
    assert_eq!(
        stderr,
        "polarsdesc: warning: bad/text_after_sample.csv: line 152: column 'v' holds the text \"oops\" \
         among numbers; pandas reads it as text, so it is left out\n"
    );
    let row = "text_after_sample,bad/text_after_sample.csv,w,152,73.6184210526315";
    assert!(stdout.starts_with(&format!("{HEADER}{row}")), "{stdout}");
}

#[test]
fn nan_inf_and_empty_fields_as_pandas_counts_them() {
    let (code, stdout, stderr) = run_on("nan_inf_empty.csv");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        rows(&["nan_inf_empty,bad/nan_inf_empty.csv,v,4,NaN,NaN,-inf,-inf,2.0,inf,inf"])
    );
}

#[test]
fn a_nan_spelling_pandas_does_not_know_is_text() {
    // `v` is text to pandas (1, NAN, 2): its only column, so describe()
    // describes it as text.
    let (code, stdout, stderr) = run_on("nan_spelled_as_text.csv");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        format!("{TEXT_HEADER}nan_spelled_as_text,bad/nan_spelled_as_text.csv,v,3,3,1,1,,,,,,,\n")
    );
    // Numbers alone asked for: nothing, and why.
    let env = TestEnv::new();
    std::os::unix::fs::symlink(fixture("bad"), env.join("bad")).unwrap();
    env.cmd()
        .args(["-q", "run", "bad/nan_spelled_as_text.csv", "-o", "-", "--include", "number"])
        .assert()
        .success()
        .stdout(HEADER)
        .stderr(
            "polarsdesc: warning: bad/nan_spelled_as_text.csv: line 3: column 'v' holds the text \"NAN\" \
             among numbers; pandas reads it as text, so it is left out\n\
             polarsdesc: warning: bad/nan_spelled_as_text.csv: no numeric column: nothing to describe\n",
        );
}

#[test]
fn crlf_line_endings() {
    let (code, stdout, _) = run_on("crlf.csv");
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        rows(&[
            "crlf,bad/crlf.csv,x,2,2.0,1.4142135623730951,1.0,1.5,2.0,2.5,3.0",
            "crlf,bad/crlf.csv,y,2,3.0,1.4142135623730951,2.0,2.5,3.0,3.5,4.0",
        ])
    );
}

#[test]
fn byte_order_mark() {
    let (code, stdout, _) = run_on("bom.csv");
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        rows(&[
            "bom,bad/bom.csv,x,2,2.0,1.4142135623730951,1.0,1.5,2.0,2.5,3.0",
            "bom,bad/bom.csv,y,2,3.5,2.1213203435596424,2.0,2.75,3.5,4.25,5.0",
        ])
    );
}

#[test]
fn quoted_fields_with_commas_and_newlines() {
    let (code, stdout, stderr) = run_on("quoted.csv");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        rows(&["quoted,bad/quoted.csv,v,3,2.0,1.0,1.0,1.5,2.0,2.5,3.0"])
    );
}

#[test]
fn a_quote_never_closed() {
    let (code, _, stderr) = run_on("unclosed_quote.csv");
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "polarsdesc: error: bad/unclosed_quote.csv: line 2: a quoted field opened in this row is never closed\n"
    );
}

#[test]
fn invalid_utf8() {
    let (code, _, stderr) = run_on("invalid_utf8.csv");
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "polarsdesc: error: bad/invalid_utf8.csv: line 2: not valid UTF-8 text (pandas reads CSV files as UTF-8)\n"
    );
}

#[test]
fn random_binary_bytes() {
    let (code, _, stderr) = run_on("binary.csv");
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "polarsdesc: error: bad/binary.csv: line 1: not valid UTF-8 text (pandas reads CSV files as UTF-8)\n"
    );
}

#[test]
fn duplicate_column_names_are_renamed_as_pandas_does() {
    // x,x,,x / 1,2,3,4 / 5,6,7,8: pandas 3.1.1 names them x, x.1, Unnamed: 2,
    // x.2 and describes them in that order; each name holds its own column.
    let (code, stdout, _) = run_on("duplicate_names.csv");
    assert_eq!(code, 0);
    let name_and_mean: Vec<(&str, &str)> = stdout
        .lines()
        .skip(1)
        .map(|l| {
            let fields: Vec<&str> = l.split(',').collect();
            (fields[2], fields[4])
        })
        .collect();
    assert_eq!(
        name_and_mean,
        [
            ("x", "3.0"),
            ("x.1", "4.0"),
            ("Unnamed: 2", "5.0"),
            ("x.2", "6.0")
        ]
    );
}

#[test]
fn a_50_mb_line_without_a_newline() {
    let env = TestEnv::new();
    let mut text = b"v\n1\n2\n".to_vec();
    text.resize(text.len() + 50_000_000, b'x');
    env.write("long.csv", &text);
    env.cmd()
        .args(["-q", "run", "long.csv", "-o", "-", "--include", "number"])
        .assert()
        .success()
        .stdout(HEADER)
        .stderr(
            "polarsdesc: warning: long.csv: line 4: column 'v' holds the text \
             \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"... (50000000 bytes) among numbers; \
             pandas reads it as text, so it is left out\n\
             polarsdesc: warning: long.csv: no numeric column: nothing to describe\n",
        );
}

#[test]
fn a_folder_named_like_a_csv_file() {
    let env = TestEnv::new();
    env.write("in/good.csv", "x\n1\n");
    std::fs::create_dir(env.join("in/folder.csv")).unwrap();
    // In a folder it is not a CSV file, so it is not taken.
    env.cmd()
        .args(["-q", "run", "in", "-o", "-"])
        .assert()
        .success()
        .stderr("");
    // Named on the command line it is a folder, and a folder means its CSV files.
    env.cmd()
        .args(["-q", "run", "in/folder.csv", "-o", "-"])
        .assert()
        .code(2)
        .stderr(
            "polarsdesc: error: no CSV, Parquet, Arrow or NDJSON files found in in/folder.csv\n",
        );
}

#[test]
fn a_broken_symlink_and_a_vanished_file() {
    let env = TestEnv::new();
    env.write("in/good.csv", "x\n1\n");
    std::os::unix::fs::symlink(env.join("in/gone.csv"), env.join("in/link.csv")).unwrap();
    // A file that disappears after the folder was listed fails the same way
    // (opening it is what fails); a broken link is such a file, every time.
    env.cmd()
        .args(["-q", "run", "in", "-o", "-"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("good,in/good.csv,x,1,"))
        .stderr(
            "polarsdesc: error: in/link.csv: cannot read: No such file or directory (os error 2)\n",
        );
}

#[test]
fn the_whole_corpus_in_one_run() {
    let env = TestEnv::new();
    std::os::unix::fs::symlink(fixture("bad"), env.join("bad")).unwrap();
    let output = env
        .cmd()
        .args(["run", "bad", "-o", "out.csv", "--errors", "errors.csv"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "some files failed, the others were written"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    // Warnings, then errors, each sorted by path; then the preview and the summary.
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("polarsdesc:"))
        .collect();
    assert_eq!(problems.len(), 2 + 5);
    assert!(problems[..2]
        .iter()
        .all(|l| l.starts_with("polarsdesc: warning: bad/")));
    let failed: Vec<&str> = problems[2..]
        .iter()
        .map(|l| l.split(':').nth(2).unwrap().trim())
        .collect();
    assert_eq!(
        failed,
        [
            "bad/binary.csv",
            "bad/empty.csv",
            "bad/invalid_utf8.csv",
            "bad/too_many_fields.csv",
            "bad/unclosed_quote.csv"
        ]
    );
    let summary = stderr.lines().last().unwrap();
    assert!(
        summary.starts_with("summarized 10 of 15 files (18 rows) in "),
        "{summary}"
    );
    assert!(summary.ends_with(" -> out.csv; 5 failed"), "{summary}");
    assert_eq!(
        std::fs::read_to_string(env.join("out.csv"))
            .unwrap()
            .lines()
            .count(),
        1 + 18
    );
    assert_eq!(
        std::fs::read_to_string(env.join("errors.csv")).unwrap(),
        "path,line,reason\n\
         bad/binary.csv,1,not valid UTF-8 text (pandas reads CSV files as UTF-8)\n\
         bad/empty.csv,,the file is empty (no header line)\n\
         bad/invalid_utf8.csv,2,not valid UTF-8 text (pandas reads CSV files as UTF-8)\n\
         bad/too_many_fields.csv,3,\"3 fields, but the header has 2\"\n\
         bad/unclosed_quote.csv,2,a quoted field opened in this row is never closed\n"
    );
}

#[test]
fn strict_stops_at_the_first_failure_and_changes_nothing() {
    let env = TestEnv::new();
    env.write("in/a.csv", "x\n1\n");
    env.write("in/c.csv", "x\n3\n");
    // A complete earlier run: its output and cache must survive the strict run.
    env.cmd().args(["-q", "run", "in"]).assert().success();
    let output_before = std::fs::read(env.join("summary.parquet")).unwrap();
    let cache_before = std::fs::read(env.join(".summary.parquet.cache")).unwrap();
    env.write("in/b.csv", "");
    env.cmd()
        .args([
            "-q",
            "run",
            "in",
            "-j",
            "1",
            "--strict",
            "--errors",
            "failed.csv",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "polarsdesc: error: in/b.csv: the file is empty (no header line)\n\
             polarsdesc: error: in/b.csv: the file is empty (no header line) \
             (--strict stops at the first failure)\n",
        );
    assert_eq!(
        std::fs::read(env.join("summary.parquet")).unwrap(),
        output_before
    );
    assert_eq!(
        std::fs::read(env.join(".summary.parquet.cache")).unwrap(),
        cache_before
    );
    assert_eq!(
        env.files_in("."),
        [
            ".summary.parquet.cache",
            "failed.csv",
            "in",
            "summary.parquet"
        ],
        "no journal is left"
    );
    assert_eq!(
        std::fs::read_to_string(env.join("failed.csv")).unwrap(),
        "path,line,reason\nin/b.csv,,the file is empty (no header line)\n"
    );
}

#[test]
fn column_names_that_look_like_patterns_are_plain_names() {
    // Polars reads `*` as "every column" and `^...$` as a regex; pandas reads
    // them as names. (A name like "0.count" once collided with our own labels.)
    let env = TestEnv::new();
    env.write("in/p.csv", "*,^zz$,0.count,.*\n1,2,3,4\n5,6,7,8\n");
    env.cmd()
        .args(["-q", "run", "in", "-o", "-"])
        .assert()
        .success()
        .stdout(rows(&[
            "p,in/p.csv,*,2,3.0,2.8284271247461903,1.0,2.0,3.0,4.0,5.0",
            "p,in/p.csv,^zz$,2,4.0,2.8284271247461903,2.0,3.0,4.0,5.0,6.0",
            "p,in/p.csv,0.count,2,5.0,2.8284271247461903,3.0,4.0,5.0,6.0,7.0",
            "p,in/p.csv,.*,2,6.0,2.8284271247461903,4.0,5.0,6.0,7.0,8.0",
        ]));
}
