//! Large files in bounded memory: every statistic still pandas', however many passes the percentiles take, and a run stays under its memory ceiling whatever the size of a file (or of a decompression bomb).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::pandas::{differences, rows_by_path, Pandas, Verdict};
use common::{read_parquet, run_measuring_peak, TestEnv};
use predicates::prelude::*;

/// The files of `folder`, sorted.
fn files_of(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Every difference between pandas' verdicts on the files of `folder`
/// (linked into `env` as `in`) and the table `out`.
fn against_pandas(pandas: &Pandas, env: &TestEnv, folder: &Path, out: &str) -> Vec<String> {
    let ours = rows_by_path(&read_parquet(&env.join(out)));
    let files = files_of(folder);
    let verdicts = pandas.describe(&files, Some(&[0.1, 0.5, 0.9]), None);
    let mut found = Vec::new();
    for (file, verdict) in files.iter().zip(&verdicts) {
        assert!(
            matches!(verdict, Verdict::Described(columns) if !columns.is_empty()),
            "{}: {verdict:?}",
            file.display()
        );
        let name = format!("in/{}", file.file_name().unwrap().to_string_lossy());
        found.extend(differences(&name, verdict, ours.get(&name)));
    }
    found
}

/// Files larger than a block whose percentiles are hard (ties, sorted data,
/// one value only, NaN and infinities, integers past 2^53 and 2^62, values
/// at the edges of the selection's buckets, text beside numbers), read with
/// their values spilled and the percentiles selected among at most 64
/// values at a time, so through many histogram passes: pandas' numbers.
#[test]
fn hard_percentiles_through_many_passes_equal_pandas() {
    let Some(pandas) = Pandas::find("hard_percentiles_through_many_passes_equal_pandas") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/hard_percentiles.py");
    let status = pandas
        .python_command()
        .arg(script)
        .arg(data.path())
        .status()
        .unwrap();
    assert!(status.success());
    let env = TestEnv::new();
    std::os::unix::fs::symlink(data.path(), env.join("in")).unwrap();
    for (out, settings) in [
        (
            "many_passes.parquet",
            &["--max-memory", "64M", "-j", "2"][..],
        ),
        ("default.parquet", &[][..]),
    ] {
        let mut command = env.cmd();
        command
            .args(["-q", "run", "in", "-o", out, "--no-cache", "-p", "0.1,0.9"])
            .args(settings);
        if out == "many_passes.parquet" {
            command.env("POLARSDESC_SELECTION_LIMIT", "64");
        }
        command.assert().success();
        let found = against_pandas(&pandas, &env, data.path(), out);
        assert!(found.is_empty(), "{out}:\n{}", found.join("\n"));
    }
}

/// pandas types a column per block of rows: in a large file read on every
/// core, an integer past 64 bits at a block's end or the next block's start
/// makes the difference between a float column and one pandas leaves out.
/// The file is read again in order, its rows counted, to tell. (Compressed,
/// so that pandas reads it with its serial reader, which polarsdesc follows;
/// see docs/pandas-compatibility.md on its parallel one.)
#[test]
fn wide_integers_deep_in_a_large_file_follow_pandas_blocks_of_rows() {
    let Some(pandas) = Pandas::find("wide_integers_deep_in_a_large_file") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let header: Vec<String> = (0..16).map(|i| format!("c{i}")).collect();
    // 2^15 rows per block of rows at 16 fields; past 8 MiB from row 262,144.
    for (name, wide_row) in [
        ("last.csv.gz", 9 * 32_768 - 1),
        ("first.csv.gz", 9 * 32_768),
    ] {
        let mut text = header.join(",") + "\n";
        for row in 0..320_000 {
            let first = if row == wide_row {
                "18446744073709551616".to_string()
            } else {
                format!("{}.5", row % 1000)
            };
            text.push_str(&first);
            text.push_str(&",1".repeat(15));
            text.push('\n');
        }
        assert!(text.len() > 9 * 1024 * 1024);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text.as_bytes()).unwrap();
        std::fs::write(data.path().join(name), gz.finish().unwrap()).unwrap();
    }
    let env = TestEnv::new();
    std::os::unix::fs::symlink(data.path(), env.join("in")).unwrap();
    env.cmd()
        .args([
            "-q",
            "run",
            "in",
            "-o",
            "out.parquet",
            "-p",
            "0.1,0.9",
            "-j",
            "2",
        ])
        .assert()
        .success();
    let files = files_of(data.path());
    let ours = rows_by_path(&read_parquet(&env.join("out.parquet")));
    let verdicts = pandas.describe(&files, Some(&[0.1, 0.5, 0.9]), None);
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
    assert!(!described(&verdicts[0]) && described(&verdicts[1]));
}

/// A first data record longer than a block (8 MiB) leaves the header alone
/// in the first block: the file is still read from that record on, its
/// width (an implicit index column here) fixed by it, as pandas reads it;
/// plain, compressed, and with the long record a quoted text.
#[test]
fn a_first_record_longer_than_a_block_is_a_row_like_any_other() {
    let Some(pandas) = Pandas::find("a_first_record_longer_than_a_block") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let long_zeros = "0".repeat(9 << 20);
    let mut indexed = format!("a,b\nr0,{long_zeros}5,-1\n");
    for row in 1..1000 {
        indexed.push_str(&format!("r{row},{row}.5,{}\n", row % 7));
    }
    std::fs::write(data.path().join("indexed.csv"), &indexed).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(indexed.as_bytes()).unwrap();
    std::fs::write(data.path().join("indexed.csv.gz"), gz.finish().unwrap()).unwrap();
    let mut quoted = format!("x,y\n\"{}\",1\n", "z\n".repeat(5 << 20));
    for row in 0..100 {
        quoted.push_str(&format!("t,{row}\n"));
    }
    std::fs::write(data.path().join("quoted.csv"), quoted).unwrap();

    let env = TestEnv::new();
    std::os::unix::fs::symlink(data.path(), env.join("in")).unwrap();
    env.cmd()
        .args(["-q", "run", "in", "-o", "out.parquet", "-p", "0.1,0.9"])
        .assert()
        .success();
    let found = against_pandas(&pandas, &env, data.path(), "out.parquet");
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// A CSV of `rows` rows: a time stamp and three numeric columns.
fn numbers_csv(rows: usize) -> Vec<u8> {
    let mut text = Vec::with_capacity(rows * 56);
    text.extend_from_slice(b"time,price,volume,trades\n");
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for row in 0..rows {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        let price = 50.0 + (state >> 11) as f64 / (1u64 << 53) as f64 * 100.0;
        writeln!(
            text,
            "2024-01-01 {:02}:{:02},{price:?},{},{}",
            row / 60 % 24,
            row % 60,
            (state >> 40) % 100_000,
            row % 977
        )
        .unwrap();
    }
    text
}

/// 64 MiB, the least ceiling a run may have.
const CEILING: u64 = 64 << 20;

/// A file four times the memory ceiling is described within it, with the
/// same numbers as when it is held in memory.
#[test]
fn a_file_four_times_the_ceiling_is_described_within_it() {
    let env = TestEnv::new();
    let text = numbers_csv(6_000_000);
    assert!(text.len() as u64 > 4 * CEILING, "{}", text.len());
    env.write("big.csv", &text);
    drop(text);
    let (output, peak) = run_measuring_peak(
        env.std_cmd()
            .args(["-q", "run", "big.csv", "-o", "bounded.csv", "--no-cache"])
            .args(["--max-memory", "64M", "-j", "1"]),
    );
    assert!(output.status.success(), "{output:?}");
    assert!(
        peak <= CEILING,
        "peak {} MiB over the 64 MiB ceiling",
        peak >> 20
    );
    env.cmd()
        .args(["-q", "run", "big.csv", "-o", "roomy.csv", "--no-cache"])
        .args(["--max-memory", "8G"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(env.join("bounded.csv")).unwrap(),
        std::fs::read_to_string(env.join("roomy.csv")).unwrap()
    );
}

/// A gzip that decompresses to an endless line (256 MiB of zeros in 3 MiB)
/// fails alone, with a message saying why, within the memory ceiling; the
/// other file is described.
#[test]
fn a_decompression_bomb_fails_alone_within_the_ceiling() {
    let env = TestEnv::new();
    env.write("in/good.csv", "x\n1\n2\n");
    let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..256 {
        bomb.write_all(&zeros).unwrap();
    }
    let bomb = bomb.finish().unwrap();
    assert!(bomb.len() < 4 << 20, "{}", bomb.len());
    env.write("in/bomb.csv.gz", bomb);
    let (output, peak) = run_measuring_peak(env.std_cmd().args([
        "run",
        "in",
        "-o",
        "out.csv",
        "--max-memory",
        "64M",
        "-j",
        "2",
    ]));
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "polarsdesc: error: in/bomb.csv.gz: cannot read: a record (a line) longer than 8 MiB, \
             the most one file may hold under --max-memory"
        ),
        "{stderr}"
    );
    assert!(peak <= CEILING, "peak {} MiB", peak >> 20);
    let table = std::fs::read_to_string(env.join("out.csv")).unwrap();
    assert!(table.contains("good,in/good.csv,x,2,1.5"), "{table}");
}

/// NDJSON files are read whole (as pandas reads them): a gzip of many
/// short lines and one of a single endless line, each inflating to 256 MiB,
/// fail alone within a 64 MiB ceiling, saying why; the other file is
/// described.
#[test]
fn ndjson_bombs_fail_alone_within_the_ceiling() {
    let env = TestEnv::new();
    env.write("in/good.jsonl", "{\"x\": 1}\n{\"x\": 2}\n");
    let bomb = |unit: &[u8], head: &[u8]| {
        let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        bomb.write_all(head).unwrap();
        let block = unit.repeat((1 << 20) / unit.len());
        for _ in 0..256 {
            bomb.write_all(&block).unwrap();
        }
        bomb.finish().unwrap()
    };
    env.write("in/lines.jsonl.gz", bomb(b"{\"x\": 1.5}\n", b""));
    env.write("in/line.jsonl.gz", bomb(b"0", b"{\"x\": 1"));
    let (output, peak) = run_measuring_peak(env.std_cmd().args([
        "run",
        "in",
        "-o",
        "out.csv",
        "--max-memory",
        "64M",
        "-j",
        "1",
    ]));
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for bomb in ["in/lines.jsonl.gz", "in/line.jsonl.gz"] {
        assert!(
            stderr.contains(&format!(
                "polarsdesc: error: {bomb}: NDJSON files are read whole, as pandas reads them"
            )),
            "{stderr}"
        );
    }
    assert!(stderr.contains("raise --max-memory"), "{stderr}");
    assert!(peak <= CEILING, "peak {} MiB", peak >> 20);
    let table = std::fs::read_to_string(env.join("out.csv")).unwrap();
    assert!(table.contains("good,in/good.jsonl,x,2,1.5"), "{table}");
}

/// An Arrow IPC (Feather) file is read a few record batches at a time, as
/// a Parquet file is read by row groups: a 150 MB file of 6 M rows takes
/// little more than the 64 MiB ceiling (read whole, it took three times
/// the file), with the numbers it gets with room to spare.
#[test]
fn a_feather_file_is_read_by_record_batches_within_the_ceiling() {
    use polars::prelude::*;
    use polars_io::ipc::IpcWriter;
    use polars_io::prelude::SerWriter;
    let env = TestEnv::new();
    let rows = 6_000_000usize;
    let mut frame = DataFrame::empty();
    for start in (0..rows).step_by(65_536) {
        let end = (start + 65_536).min(rows);
        let chunk = df!(
            "x" => (start..end).map(|i| ((i * 7919) % 100_003) as f64 / 7.0).collect::<Vec<_>>(),
            "n" => (start..end).map(|i| (i % 101) as i64).collect::<Vec<_>>(),
            "y" => (start..end).map(|i| (i as f64).sqrt()).collect::<Vec<_>>(),
        )
        .unwrap();
        frame.vstack_mut_owned(chunk).unwrap();
    }
    let file = std::fs::File::create(env.join("big.feather")).unwrap();
    IpcWriter::new(file).finish(&mut frame).unwrap();
    drop(frame);
    assert!(std::fs::metadata(env.join("big.feather")).unwrap().len() > 130 << 20);
    let (output, peak) = run_measuring_peak(
        env.std_cmd()
            .args([
                "-q",
                "run",
                "big.feather",
                "-o",
                "bounded.csv",
                "--no-cache",
            ])
            .args(["--max-memory", "64M", "-j", "1"]),
    );
    assert!(output.status.success(), "{output:?}");
    assert!(peak <= CEILING + (16 << 20), "peak {} MiB", peak >> 20);
    env.cmd()
        .args(["-q", "run", "big.feather", "-o", "roomy.csv", "--no-cache"])
        .args(["--max-memory", "8G"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(env.join("bounded.csv")).unwrap(),
        std::fs::read_to_string(env.join("roomy.csv")).unwrap()
    );
}

#[test]
fn a_ceiling_too_small_or_misspelt_is_refused_before_any_work() {
    let env = TestEnv::new();
    env.write("a.csv", "x\n1\n");
    for (ceiling, message) in [
        (
            "10M",
            "--max-memory 10M is below 64 MiB, the least a run needs",
        ),
        (
            "lots",
            "--max-memory must be a size such as 512M or 2G, got 'lots'",
        ),
    ] {
        env.cmd()
            .args(["run", "a.csv", "-o", "out.csv", "--max-memory", ceiling])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(message));
    }
    assert!(!env.join("out.csv").exists());
}

/// A ceiling above the machine's memory holds nothing back: the run says so
/// (and goes on); one below it says nothing.
#[test]
fn a_ceiling_above_the_machine_is_warned_of() {
    let env = TestEnv::new();
    env.write("a.csv", "x\n1\n");
    env.cmd()
        .args(["run", "a.csv", "-o", "out.csv", "--max-memory", "1024T"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "polarsdesc: warning: --max-memory (1073741824 MiB) is more than this machine's memory",
        ));
    env.cmd()
        .args(["run", "a.csv", "-o", "out.csv", "--max-memory", "64M"])
        .assert()
        .success()
        .stderr(predicates::str::contains("warning").not());
}

/// A long table of 300,000 rows in about 130,000 groups: a CSV of a text
/// key and two numeric columns.
fn many_groups_csv() -> Vec<u8> {
    let mut text = Vec::with_capacity(300_000 * 24);
    text.extend_from_slice(b"key,price,volume\n");
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..300_000 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let key = (state >> 33) % 150_000;
        let price = (state >> 11) as f64 / (1u64 << 53) as f64 * 100.0;
        writeln!(text, "k{key},{price:?},{}", (state >> 20) % 1000).unwrap();
    }
    text
}

/// `--by` with many groups: the groups' rows are spilled and the result
/// written a batch at a time, so memory holds the ceiling's share and the
/// keys (about 100 bytes a group), not every group's statistics (which took
/// 700 MiB here, and a cached rerun as much); a cached rerun reads no file
/// and decodes nothing but the output's rows. The numbers are the same as
/// with room to spare.
#[test]
fn many_groups_are_described_within_the_ceiling_and_cached_cheaply() {
    let env = TestEnv::new();
    env.write("long.csv", many_groups_csv());
    let bounded = ["--max-memory", "64M", "-j", "1"];
    let run = |output: &str| {
        run_measuring_peak(
            env.std_cmd()
                .args(["-q", "run", "long.csv", "--by", "key", "-o", output])
                .args(bounded),
        )
    };
    let (first, peak) = run("bounded.parquet");
    assert!(first.status.success(), "{first:?}");
    // The ceiling, and the keys' room (130,000 of them: about 14 MiB).
    let allowed = CEILING + (24 << 20);
    assert!(peak <= allowed, "peak {} MiB", peak >> 20);
    let (cached, peak) = run("bounded.parquet");
    assert!(cached.status.success(), "{cached:?}");
    assert!(
        peak <= CEILING,
        "a cached rerun peaked at {} MiB",
        peak >> 20
    );
    env.cmd()
        .args([
            "-q",
            "run",
            "long.csv",
            "--by",
            "key",
            "-o",
            "roomy.parquet",
        ])
        .args(["--max-memory", "8G", "--no-cache"])
        .assert()
        .success();
    let roomy = read_parquet(&env.join("roomy.parquet"));
    assert!(roomy.height() > 2 * 120_000, "{}", roomy.height());
    assert!(read_parquet(&env.join("bounded.parquet")).equals_missing(&roomy));
}
