//! polarsdesc against pandas itself, file for file: a corpus of awkward files, and thousands generated at random.
//!
//! pandas (`scripts/pandas_describe.py`, run in the pinned test environment) says
//! which columns it describes and with what numbers, or that it fails the
//! file; polarsdesc must say the same: the same columns in the same order,
//! numbers within 1e-12 relative (or 1e-9 of the column's magnitude where
//! sums cancel), and a failure where pandas fails. Every generated file that
//! ever disagreed is kept in `tests/fixtures/pandas_corpus/`.

mod common;

use std::path::{Path, PathBuf};

use common::pandas::{differences, rows_by_path, Pandas, Verdict};
use common::{fixture, read_parquet, TestEnv};

/// The files of `folder` (sorted), as polarsdesc names them when run on `name`.
fn files_of(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

/// What pandas said about the files compared: described with numbers,
/// described with no numeric column, failed.
#[derive(Debug, Default)]
struct Tally {
    numeric: usize,
    no_numeric: usize,
    failed: usize,
}

/// Runs polarsdesc on `folder` (linked into a temporary folder as `in`) and
/// pandas on each of its files; returns every difference, and what pandas said.
fn compare(pandas: &Pandas, folder: &Path, sep: Option<&str>) -> (Vec<String>, Tally) {
    let env = TestEnv::new();
    std::os::unix::fs::symlink(folder, env.join("in")).unwrap();
    let mut command = env.cmd();
    command.args([
        "-q",
        "run",
        "in",
        "-o",
        "out.parquet",
        "--errors",
        "failed.csv",
    ]);
    command.args(["--no-cache", "-p", "0.1,0.9"]);
    if let Some(sep) = sep {
        command.args(["--sep", sep]);
    }
    let output = command.output().unwrap();
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ours = if env.join("out.parquet").exists() {
        rows_by_path(&read_parquet(&env.join("out.parquet")))
    } else {
        Default::default()
    };
    let files = files_of(folder);
    let verdicts = pandas.describe(&files, Some(&[0.1, 0.5, 0.9]), sep);
    let mut found = Vec::new();
    let mut tally = Tally::default();
    for (file, verdict) in files.iter().zip(&verdicts) {
        match verdict {
            Verdict::Described(columns) if columns.is_empty() => tally.no_numeric += 1,
            Verdict::Described(_) => tally.numeric += 1,
            Verdict::Failed(_) => tally.failed += 1,
        }
        let name = format!("in/{}", file.file_name().unwrap().to_string_lossy());
        let differences = differences(&name, verdict, ours.get(&name));
        if !differences.is_empty() {
            let bytes = std::fs::read(file).unwrap();
            let shown: String = String::from_utf8_lossy(&bytes).chars().take(300).collect();
            found.extend(differences);
            found.push(format!("    file {}: {shown:?}", file.display()));
        }
    }
    (found, tally)
}

fn assert_agree(found: Vec<String>) {
    assert!(
        found.is_empty(),
        "{} differences from pandas:\n{}",
        found
            .iter()
            .filter(|line| !line.starts_with("    "))
            .count(),
        found.join("\n")
    );
}

#[test]
fn the_corpus_of_awkward_files_equals_pandas() {
    let Some(pandas) = Pandas::find("the_corpus_of_awkward_files_equals_pandas") else {
        return;
    };
    let (found, tally) = compare(&pandas, &fixture("pandas_corpus"), None);
    assert_agree(found);
    // The comparison covers every kind of verdict.
    assert!(
        tally.numeric > 150 && tally.no_numeric > 30 && tally.failed > 15,
        "{tally:?}"
    );
}

/// `count` generated files of seed `seed`, compared with pandas.
fn generated(test: &str, count: usize, seed: u64, sep: Option<&str>) {
    let Some(pandas) = Pandas::find(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/awkward_csv.py");
    let mut command = pandas.python_command();
    command.arg(script).arg(dir.path()).args([
        "--count",
        &count.to_string(),
        "--seed",
        &seed.to_string(),
    ]);
    if let Some(sep) = sep {
        command.args(["--sep", sep]);
    }
    let status = command.status().unwrap();
    assert!(status.success());
    let (found, tally) = compare(&pandas, dir.path(), sep);
    assert_agree(found);
    // Most files have numbers to compare; some fail, some have none.
    assert!(
        tally.numeric * 2 > count && tally.failed * 50 > count && tally.no_numeric * 50 > count,
        "{tally:?}"
    );
}

/// A number from the environment, or `default`.
fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// 2,000 files of seed 1 in CI; a long run is, for example,
///
///     POLARSDESC_DIFF_COUNT=100000 POLARSDESC_DIFF_SEED=7 cargo test --release \
///         --test pandas_differential thousands
#[test]
fn thousands_of_generated_files_equal_pandas() {
    let count = setting("POLARSDESC_DIFF_COUNT", 2000) as usize;
    let seed = setting("POLARSDESC_DIFF_SEED", 1);
    generated(
        "thousands_of_generated_files_equal_pandas",
        count,
        seed,
        None,
    );
}

#[test]
fn semicolon_and_tab_separated_files_equal_pandas() {
    generated(
        "semicolon_and_tab_separated_files_equal_pandas",
        300,
        2,
        Some(";"),
    );
    generated(
        "semicolon_and_tab_separated_files_equal_pandas",
        300,
        3,
        Some("\t"),
    );
}

/// Python's zipfile writes these methods and pandas reads them all.
const ZIP_MEMBERS: &str = r#"
import sys, zipfile, random
random.seed(5)
rows = ["x,y,name"] + [f"{random.random()!r},{random.randint(-9, 9)},n{i % 7}" for i in range(60000)]
text = "\n".join(rows) + "\n"
for name, method in [("stored", zipfile.ZIP_STORED), ("deflated", zipfile.ZIP_DEFLATED),
                     ("bzip2", zipfile.ZIP_BZIP2), ("lzma", zipfile.ZIP_LZMA)]:
    with zipfile.ZipFile(f"{sys.argv[1]}/{name}.csv.zip", "w", compression=method) as archive:
        archive.writestr(f"{name}.csv", text)
"#;

#[test]
fn zip_members_of_every_method_pandas_reads_equal_pandas() {
    let Some(pandas) = Pandas::find("zip_members_of_every_method_pandas_reads_equal_pandas") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let status = pandas
        .python_command()
        .args(["-c", ZIP_MEMBERS])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let (found, tally) = compare(&pandas, dir.path(), None);
    assert_agree(found);
    assert_eq!((tally.numeric, tally.failed), (4, 0), "{tally:?}");
}
