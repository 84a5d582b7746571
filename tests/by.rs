//! `--by`: one long table described per group of key columns, as pandas' `df.groupby(keys).describe()`; and Parquet inputs, as pandas' `read_parquet` reads them.
//!
//! pandas judges: `scripts/by_differential.py` writes random long tables
//! (CSV: keys of every kind pandas reads, missing keys, one-row groups,
//! several keys, a file past one block; Parquet: every column type) and
//! compares pandas' groups, their order and their numbers with polarsdesc's.

mod common;

use common::pandas::Pandas;
use common::{counts, floats, merged_shards_equal_a_single_run, read_parquet, strings, TestEnv};
use polars::prelude::DataType;
use predicates::prelude::*;

/// A long table: a text key (with a missing one, and `01` beside `1`), an
/// integer key, values with a missing one.
const LONG: &str = "ticker,store,value,n\n\
                    b,2,1.5,3\n\
                    a,1,2.5,4\n\
                    b,2,,5\n\
                    ,1,9,9\n\
                    a,01,0.5,1\n\
                    1,+1,7,2\n";

#[test]
fn by_gives_pandas_groups_in_order_with_the_keys_as_columns() {
    let env = TestEnv::new();
    env.write("long.csv", LONG);
    env.cmd()
        .args([
            "run", "long.csv", "--by", "ticker", "-o", "-", "--format", "csv",
        ])
        .assert()
        .success()
        .stdout(
            "label,ticker,path,column,count,mean,std,min,25%,50%,75%,max\n\
             long,1,long.csv,store,1,1.0,,1.0,1.0,1.0,1.0,1.0\n\
             long,1,long.csv,value,1,7.0,,7.0,7.0,7.0,7.0,7.0\n\
             long,1,long.csv,n,1,2.0,,2.0,2.0,2.0,2.0,2.0\n\
             long,a,long.csv,store,2,1.0,0.0,1.0,1.0,1.0,1.0,1.0\n\
             long,a,long.csv,value,2,1.5,1.4142135623730951,0.5,1.0,1.5,2.0,2.5\n\
             long,a,long.csv,n,2,2.5,2.1213203435596424,1.0,1.75,2.5,3.25,4.0\n\
             long,b,long.csv,store,2,2.0,0.0,2.0,2.0,2.0,2.0,2.0\n\
             long,b,long.csv,value,1,1.5,,1.5,1.5,1.5,1.5,1.5\n\
             long,b,long.csv,n,2,4.0,1.4142135623730951,3.0,3.5,4.0,4.5,5.0\n",
        )
        .stderr(predicate::str::contains(
            "long.csv: 1 row with a missing key left out, as pandas' groupby leaves them out",
        ));
}

#[test]
fn integer_keys_are_grouped_by_value_and_stay_integers() {
    let env = TestEnv::new();
    env.write("long.csv", LONG);
    env.cmd()
        .args(["-q", "run", "long.csv", "--by", "store,ticker"])
        .assert()
        .success();
    let frame = read_parquet(&env.join("summary.parquet"));
    let store = frame.column("store").unwrap();
    assert_eq!(store.dtype(), &DataType::Int64);
    let stores: Vec<i64> = store.i64().unwrap().into_no_null_iter().collect();
    // `1`, `01` and `+1` are one key; the row without a ticker is left out.
    assert_eq!(stores, [1, 1, 1, 1, 2, 2]);
    assert_eq!(strings(&frame, "ticker"), ["1", "1", "a", "a", "b", "b"]);
    assert_eq!(
        strings(&frame, "column"),
        ["value", "n", "value", "n", "value", "n"]
    );
    assert_eq!(counts(&frame), [1, 1, 2, 2, 1, 2]);
}

#[test]
fn keys_named_like_output_columns_are_renamed_and_typed() {
    let env = TestEnv::new();
    env.write(
        "t.csv",
        "label,count,x\nTrue,1.5,1\nfalse,1.5,2\nTRUE,2,3\n",
    );
    env.cmd()
        .args(["-q", "run", "t.csv", "--by", "label,count"])
        .assert()
        .success();
    let frame = read_parquet(&env.join("summary.parquet"));
    let names: Vec<&str> = frame
        .get_column_names()
        .iter()
        .map(|n| n.as_str())
        .collect();
    assert_eq!(&names[..4], ["label", "by_label", "by_count", "path"]);
    assert_eq!(
        frame.column("by_label").unwrap().dtype(),
        &DataType::Boolean
    );
    assert_eq!(
        frame.column("by_count").unwrap().dtype(),
        &DataType::Float64
    );
    assert_eq!(
        floats(&frame, "by_count"),
        [Some(1.5), Some(1.5), Some(2.0)]
    );
    assert_eq!(strings(&frame, "label"), ["t", "t", "t"]);
}

#[test]
fn a_key_typed_differently_by_two_files_is_written_as_python_text() {
    let env = TestEnv::new();
    env.write("data/a.csv", "k,x\n1,1\n2,2\n");
    env.write("data/b.csv", "k,x\n1.5,1\nz,2\n");
    env.write("data/c.csv", "k,x\n2.5,1\nNA,2\n");
    env.cmd()
        .args(["-q", "run", "data", "--by", "k", "-o", "out.parquet"])
        .assert()
        .success();
    let frame = read_parquet(&env.join("out.parquet"));
    assert_eq!(strings(&frame, "k"), ["1", "2", "1.5", "z", "2.5"]);
}

#[test]
fn a_file_without_the_key_fails_naming_it_and_the_others_are_kept() {
    let env = TestEnv::new();
    env.write("data/a.csv", "k,x\n1,1\n");
    env.write("data/b.csv", "key,x\n1,1\n");
    env.cmd()
        .args(["run", "data", "--by", "k", "-o", "out.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "data/b.csv: no column named \"k\" to group by (--by); its columns are \"key\", \"x\"",
        ));
    let out = std::fs::read_to_string(env.join("out.csv")).unwrap();
    assert_eq!(out, "label,k,path,column,count,mean,std,min,25%,50%,75%,max\na,1,data/a.csv,x,1,1.0,,1.0,1.0,1.0,1.0,1.0\n");
}

#[test]
fn by_with_text_columns_is_pandas_groupby_describe_include_all_and_a_repeated_key_is_refused() {
    let env = TestEnv::new();
    env.write(
        "a.csv",
        "k,s,b,x\n1,a,True,1.5\n2,b,false,2\n1,b,TRUE,\n1,a,True,3\n2,,True,4\n3,c,False,5\n",
    );
    // pandas 3.1.1: pd.read_csv("a.csv").groupby("k").describe(include="all")
    // (b is a bool column: each group's spellings are one value).
    env.cmd()
        .args(["run", "a.csv", "--by", "k", "--include", "all", "-o", "-", "--format", "csv"])
        .assert()
        .success()
        .stdout(
            "label,k,path,column,count,unique,top,freq,mean,std,min,25%,50%,75%,max\n\
             a,1,a.csv,s,3,2,a,2,,,,,,,\n\
             a,1,a.csv,b,3,1,True,3,,,,,,,\n\
             a,1,a.csv,x,2,,,,2.25,1.0606601717798212,1.5,1.875,2.25,2.625,3.0\n\
             a,2,a.csv,s,1,1,b,1,,,,,,,\n\
             a,2,a.csv,b,2,2,False,1,,,,,,,\n\
             a,2,a.csv,x,2,,,,3.0,1.4142135623730951,2.0,2.5,3.0,3.5,4.0\n\
             a,3,a.csv,s,1,1,c,1,,,,,,,\n\
             a,3,a.csv,b,1,1,False,1,,,,,,,\n\
             a,3,a.csv,x,1,,,,5.0,,5.0,5.0,5.0,5.0,5.0\n",
        );
    env.cmd()
        .args(["run", "a.csv", "--by", "k,k"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the key column \"k\" is given twice",
        ));
}

#[test]
fn thresholds_match_the_group_keys() {
    let env = TestEnv::new();
    env.write("long.csv", LONG);
    env.write("th.csv", "label,threshold\na,1\n1,5\n");
    env.cmd()
        .args([
            "run",
            "long.csv",
            "--by",
            "ticker",
            "--thresholds",
            "th.csv",
        ])
        .args(["-o", "-", "--format", "csv"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "long,1,long.csv,value,1,7.0,,7.0,7.0,7.0,7.0,7.0,5.0,true\n",
        ))
        .stdout(predicate::str::contains(
            "long,a,long.csv,n,2,2.5,2.1213203435596424,1.0,1.75,2.5,3.25,4.0,1.0,true\n",
        ))
        // No line for b, and no --threshold: no threshold.
        .stdout(predicate::str::contains(
            "long,b,long.csv,value,1,1.5,,1.5,1.5,1.5,1.5,1.5,,\n",
        ));
}

#[test]
fn cached_groups_are_reused_exactly_and_not_across_keys() {
    let env = TestEnv::new();
    env.write("data/long.csv", LONG);
    env.cmd()
        .args(["-q", "run", "--by", "ticker"])
        .assert()
        .success();
    let first = read_parquet(&env.join("summary.parquet"));
    env.cmd()
        .args(["run", "--by", "ticker"])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 unchanged, reused"));
    assert_eq!(read_parquet(&env.join("summary.parquet")), first);
    env.cmd()
        .args(["run", "--by", "store"])
        .assert()
        .success()
        .stderr(predicate::str::contains("reused").not());
    let by_store = read_parquet(&env.join("summary.parquet"));
    assert_eq!(by_store.column("store").unwrap().dtype(), &DataType::Int64);
}

#[test]
fn shards_with_by_merge_into_the_single_runs_table() {
    let env = TestEnv::new();
    env.write("data/a.csv", LONG);
    env.write("data/b.csv", "ticker,value\nx,1\nx,2\ny,3\n");
    env.write("data/c.csv", "ticker,value\nz,1\n");
    let merged = merged_shards_equal_a_single_run(&env, &["--by", "ticker"]);
    assert!(merged.contains("b,y,data/b.csv,value,1,3.0,"), "{merged}");
}

/// An earlier `--by` output inside the input folder (its key columns come
/// between `label` and `path`) is an earlier result too: a rerun with the
/// same `-o` replaces it, another `-o` leaves it out with a note; neither
/// reads it as data.
#[test]
fn an_earlier_by_output_in_the_input_folder_is_not_data() {
    let env = TestEnv::new();
    env.write("data/long.csv", LONG);
    let by = ["--by", "ticker,store"];
    for _ in 0..2 {
        env.cmd()
            .args(["-q", "run", "data", "-o", "data/summary.parquet"])
            .args(by)
            .assert()
            .success();
    }
    env.cmd()
        .args(["-q", "run", "data", "-o", "data/summary.csv"])
        .args(by)
        .assert()
        .success();
    env.cmd()
        .args(["run", "data", "-o", "other.parquet"])
        .args(by)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "not reading data/summary.parquet: it is a polarsdesc result table, left by an earlier run",
        ))
        .stderr(predicate::str::contains(
            "warning: data/summary.csv: a polarsdesc result table (an earlier run's output), not \
             data: left out",
        ));
    let frame = read_parquet(&env.join("other.parquet"));
    assert!(strings(&frame, "path")
        .iter()
        .all(|path| path == "data/long.csv"));
    assert_eq!(
        read_parquet(&env.join("data/summary.parquet")).height(),
        frame.height()
    );
}

/// `--include text` on a Parquet file says what is not done (its text
/// columns), not that it has no numeric column.
#[test]
fn include_text_on_parquet_describes_its_text_and_warns_of_nothing() {
    use polars::prelude::*;
    use polars_io::prelude::ParquetWriter;
    let env = TestEnv::new();
    let mut frame = df!("x" => [1.0, 2.0], "name" => ["a", "b"]).unwrap();
    let file = std::fs::File::create(env.join("t.parquet")).unwrap();
    ParquetWriter::new(file).finish(&mut frame).unwrap();
    env.cmd()
        .args(["-q", "run", "t.parquet", "--include", "text", "-o", "-"])
        .assert()
        .success()
        .stdout(
            "label,path,column,count,unique,top,freq,mean,std,min,25%,50%,75%,max\n\
             t,t.parquet,name,2,2,a,1,,,,,,,\n",
        )
        .stderr("");
}

/// A column of times with a time zone: pandas 3's `describe()` leaves it
/// out unless `include="all"`, so polarsdesc says nothing by default and
/// warns with `--include all` (times are not described yet).
#[test]
fn zoned_times_are_warned_of_only_where_pandas_describes_them() {
    use polars::prelude::*;
    use polars_io::prelude::ParquetWriter;
    let env = TestEnv::new();
    let stamps = Int64Chunked::from_vec("at".into(), vec![0, 1_000_000])
        .into_datetime(TimeUnit::Microseconds, Some(TimeZone::UTC))
        .into_column();
    let mut frame = DataFrame::new(2, vec![Column::new("x".into(), [1.0, 2.0]), stamps]).unwrap();
    let file = std::fs::File::create(env.join("t.parquet")).unwrap();
    ParquetWriter::new(file).finish(&mut frame).unwrap();
    env.cmd()
        .args(["run", "t.parquet", "-o", "out.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());
    env.cmd()
        .args(["run", "t.parquet", "--include", "all", "-o", "all.csv"])
        .assert()
        .stderr(predicate::str::contains(
            "column 'at' is a column of times with a time zone, which pandas describes as times \
             with --include all",
        ));
}

#[test]
fn parquet_files_in_a_folder_are_described_and_earlier_results_left_out() {
    let env = TestEnv::new();
    env.write("data/a.csv", "x\n1\n2\n");
    // An earlier run's output in the input folder: not data.
    env.cmd()
        .args(["-q", "run", "data", "-o", "data/old.parquet"])
        .assert()
        .success();
    env.cmd()
        .args(["run", "data", "-o", "data/summary.parquet"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "not reading data/old.parquet: it is a polarsdesc result table, left by an earlier run",
        ));
    let frame = read_parquet(&env.join("data/summary.parquet"));
    assert_eq!(strings(&frame, "path"), ["data/a.csv"]);
}

#[test]
fn a_long_table_past_its_memory_share_is_grouped_in_batches_with_the_same_numbers() {
    // 1.2 million rows: past the million values (and rows' keys)
    // `--max-memory 64M -j 1` holds at once, so the keys of the rows are
    // spilled and each column's groups taken in two batches.
    let env = TestEnv::new();
    let mut table = String::from("key,k2,x,n\n");
    let mut pairs = std::collections::HashSet::new();
    for row in 0..1_200_000u64 {
        let key = (row * 7919) % 1000;
        pairs.insert((key, row % 3));
        table.push_str(&format!(
            "k{key:03},{},{}.5,{}\n",
            row % 3,
            row % 977,
            row % 13
        ));
    }
    env.write("long.csv", table);
    for (keys, rows) in [("key", 3 * 1000), ("key,k2", 2 * pairs.len())] {
        env.cmd()
            .args([
                "-q",
                "run",
                "long.csv",
                "--by",
                keys,
                "--no-cache",
                "-o",
                "whole.csv",
            ])
            .assert()
            .success();
        env.cmd()
            .args([
                "-q",
                "run",
                "long.csv",
                "--by",
                keys,
                "--no-cache",
                "-o",
                "batched.csv",
            ])
            .args(["--max-memory", "64M", "-j", "1"])
            .assert()
            .success();
        let whole = std::fs::read_to_string(env.join("whole.csv")).unwrap();
        assert_eq!(whole.lines().count(), 1 + rows, "{keys}");
        assert_eq!(
            whole,
            std::fs::read_to_string(env.join("batched.csv")).unwrap()
        );
    }
}

/// The differential script (`scripts/by_differential.py`) run by `pandas` in `env`.
fn script(pandas: &Pandas, env: &TestEnv) -> std::process::Command {
    let mut command = pandas.python_command();
    command
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/by_differential.py"))
        .current_dir(env.path());
    command
}

/// Runs polarsdesc on `folder` with `--by keys` (or none for `-`), and
/// asserts that pandas agrees on each of its `files` files.
fn pandas_agrees(pandas: &Pandas, env: &TestEnv, folder: &str, keys: &str, files: usize) {
    let mut run = env.cmd();
    run.args(["-q", "run", folder, "--no-cache", "-o", "out.parquet"]);
    if keys != "-" {
        run.args(["--by", keys]);
    }
    run.assert().code(predicate::in_iter([0, 1]));
    let compare = script(pandas, env)
        .args(["compare", folder, "out.parquet", keys])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&compare.stderr);
    assert!(
        compare.status.success(),
        "pandas disagrees:\n{}{said}",
        String::from_utf8_lossy(&compare.stdout)
    );
    assert!(
        said.contains(&format!("{files} files compared, 0 differences")),
        "{said}"
    );
}

/// Random long tables (and one past a block when `large`), grouped by each
/// of `keys`, compared with pandas.
fn differential(seed: u64, large: bool, keys: &[&str]) {
    let Some(pandas) = Pandas::find("by_differential") else {
        return;
    };
    let env = TestEnv::new();
    let mut make = script(&pandas, &env);
    make.args(["make", "files", &seed.to_string(), "150"]);
    if large {
        make.arg("--large");
    }
    let made = make.output().unwrap();
    assert!(made.status.success(), "{made:?}");
    for keys in keys {
        pandas_agrees(&pandas, &env, "files", keys, 150 + usize::from(large));
    }
}

#[test]
fn by_equals_pandas_on_random_long_tables_and_a_large_one() {
    differential(1, true, &["k1", "k1,k2"]);
}

#[test]
fn by_two_keys_in_either_order_equals_pandas_on_random_long_tables() {
    differential(2, false, &["k2,k1", "k2"]);
}

#[test]
fn parquet_files_equal_pandas_read_parquet_whole_and_by_keys() {
    let Some(pandas) = Pandas::find("by_differential_parquet") else {
        return;
    };
    let env = TestEnv::new();
    let made = script(&pandas, &env)
        .args(["make-parquet", "files", "3", "100"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    for keys in ["-", "k1", "k1,k2"] {
        pandas_agrees(&pandas, &env, "files", keys, 100);
    }
}

#[test]
fn infinite_float_keys_of_a_csv_file_are_groups_as_in_pandas() {
    let env = TestEnv::new();
    env.write("inf.csv", "k,v\ninf,1\n1,2\n-inf,3\n1,4\n");
    // pandas 3.1.1: pd.read_csv("inf.csv").groupby("k").describe()
    env.cmd()
        .args(["run", "inf.csv", "--by", "k", "-o", "-", "--format", "csv"])
        .assert()
        .success()
        .stdout(
            "label,k,path,column,count,mean,std,min,25%,50%,75%,max\n\
             inf,-inf,inf.csv,v,1,3.0,,3.0,3.0,3.0,3.0,3.0\n\
             inf,1.0,inf.csv,v,2,3.0,1.4142135623730951,2.0,2.5,3.0,3.5,4.0\n\
             inf,inf,inf.csv,v,1,1.0,,1.0,1.0,1.0,1.0,1.0\n",
        );
}

/// A Parquet file of many row groups, read a batch of them at a time
/// within a small memory share (the values spilled): integer columns whose
/// only null is in a later batch (float64 to pandas, as keys too, where
/// 2^53 and 2^53 + 1 become one key), a float32 column with nulls (pandas
/// computes in float32), compared with pandas.
#[test]
fn a_parquet_file_read_by_row_groups_in_little_memory_equals_pandas() {
    use polars::prelude::*;
    use polars_io::prelude::ParquetWriter;
    let Some(pandas) = Pandas::find("by_parquet_row_groups") else {
        return;
    };
    let env = TestEnv::new();
    let rows = 1_500_000usize;
    let late_null = |i: usize, at: usize, value: i64| (i != at).then_some(value);
    let keys: Vec<Option<i64>> = (0..rows)
        .map(|i| match i % 1000 {
            0 => late_null(i, 1_400_000, 1 << 53),
            1 => Some((1 << 53) + 1),
            _ => Some((i % 37) as i64),
        })
        .collect();
    let mut frame = df!(
        "k" => keys,
        "x" => (0..rows).map(|i| ((i * 7919) % 100_003) as f64 / 7.0).collect::<Vec<_>>(),
        "n" => (0..rows).map(|i| late_null(i, 1_300_000, (i % 101) as i64)).collect::<Vec<_>>(),
        "m" => (0..rows).map(|i| (i % 200) as i32 - 100).collect::<Vec<_>>(),
        "f32" => (0..rows)
            .map(|i| (i % 3 != 0).then_some(((i * 104_729) % 1_000_003) as f32 / 3.0))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    std::fs::create_dir_all(env.join("files")).unwrap();
    let file = std::fs::File::create(env.join("files/t.parquet")).unwrap();
    ParquetWriter::new(file)
        .with_row_group_size(Some(100_000))
        .finish(&mut frame)
        .unwrap();
    for keys in ["-", "k"] {
        let mut run = env.cmd();
        run.args(["-q", "run", "files", "--no-cache", "-o", "out.parquet"])
            .args(["--max-memory", "64M", "-j", "1"]);
        if keys != "-" {
            run.args(["--by", keys]);
        }
        run.assert().success();
        let compare = script(&pandas, &env)
            .args(["compare", "files", "out.parquet", keys])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&compare.stderr);
        assert!(
            compare.status.success() && said.contains("1 files compared, 0 differences"),
            "pandas disagrees ({keys}):\n{}{said}",
            String::from_utf8_lossy(&compare.stdout)
        );
    }
    let table = read_parquet(&env.join("out.parquet"));
    assert_eq!(table.column("k").unwrap().dtype(), &DataType::Float64);
    // 37 small keys and 2^53 (with 2^53 + 1).
    assert_eq!(table.height(), 38 * 4);
}

/// Random float16 columns (pandas computes their std and percentiles
/// partly in float16): sizes around numpy's 8,192-value buffers and past
/// float16's largest count (65,504), with and without missing values, one
/// past the memory share (spilled), whole and per group.
const FLOAT16_FILES: &str = r#"
import sys, json, numpy as np, pandas as pd
rng = np.random.default_rng(11)
expected = {}
for i, n in enumerate([1, 2, 3, 17, 1000, 9000, 70000, 2_500_000]):
    for missing in (False, True):
        v = rng.normal(0, [1.0, 100.0, 1000.0][i % 3], n).astype(np.float16)
        if missing:
            v[rng.random(n) < 0.1] = np.nan
        name = f"f{i}{'m' if missing else ''}"
        frame = pd.DataFrame({"x": v, "g": rng.integers(0, 3, n)})
        frame.to_parquet(f"{sys.argv[1]}/{name}.parquet")
        with np.errstate(all="ignore"):
            whole = frame[["x"]].describe()["x"]
            groups = frame.groupby("g")["x"].describe()
        expected[name] = [repr(float(v)) for v in whole]
        for g, row in groups.iterrows():
            expected[f"{name}/{g}"] = [repr(float(v)) for v in row]
json.dump(expected, open(sys.argv[2], "w"))
"#;

#[test]
fn float16_columns_equal_pandas_to_the_bit_whole_and_by_group() {
    let Some(pandas) = Pandas::find("float16 columns") else {
        return;
    };
    let env = TestEnv::new();
    std::fs::create_dir(env.join("in")).unwrap();
    let status = pandas
        .python_command()
        .args(["-c", FLOAT16_FILES])
        .arg(env.join("in"))
        .arg(env.join("expected.json"))
        .status()
        .unwrap();
    assert!(status.success());
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.join("expected.json")).unwrap()).unwrap();
    let parse = |text: &str| match text {
        "" | "nan" => f64::NAN,
        "inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        _ => text.parse::<f64>().unwrap(),
    };
    let same = |ours: f64, theirs: f64| ours == theirs || (ours.is_nan() && theirs.is_nan());
    for (args, keyed) in [
        (&["--max-memory", "64M", "-j", "1"][..], false),
        (&["--by", "g"][..], true),
    ] {
        let output = env
            .cmd()
            .args(["-q", "run", "in", "-o", "-", "--no-cache"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let table = String::from_utf8(output.stdout).unwrap();
        let mut compared = 0;
        for line in table.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            // label[,g],path,column,count,mean,std,min,25%,50%,75%,max
            let (name, column, stats) = match keyed {
                true => (
                    format!("{}/{}", fields[0], fields[1]),
                    fields[3],
                    &fields[4..],
                ),
                false => (fields[0].to_string(), fields[2], &fields[3..]),
            };
            if column != "x" {
                continue; // the integer key column, described as numbers without --by
            }
            let theirs = expected[&name]
                .as_array()
                .unwrap_or_else(|| panic!("{name}"));
            for (stat, (ours, theirs)) in stats.iter().zip(theirs).enumerate() {
                let theirs = parse(theirs.as_str().unwrap());
                assert!(
                    same(parse(ours), theirs),
                    "{name} stat {stat}: ours {ours}, pandas {theirs:?}"
                );
            }
            compared += 1;
        }
        let cases = expected.as_object().unwrap().keys();
        let expected_rows = cases.filter(|name| name.contains('/') == keyed).count();
        assert_eq!(compared, expected_rows, "{table}");
    }
}
