//! `--include`/`--exclude`: text and bool columns described as pandas' `describe(include=...)` describes them.
//!
//! pandas judges: `scripts/include_differential.py` writes random files
//! (text, booleans in every spelling, booleans with missing values, numbers
//! among text, empty columns, ties for `top`, a file past one block) and
//! compares each file's `describe(include=...)` with polarsdesc's rows.

mod common;

use common::pandas::Pandas;
use common::{counts, merged_shards_equal_a_single_run, read_parquet, strings, TestEnv};
use predicates::prelude::*;

/// A file with a column of each kind pandas distinguishes.
const MIXED: &str = "flag,name,n,maybe,code,empty\n\
                     True,x,1,true,1.50,\n\
                     false,y,2,,x,\n\
                     TRUE,x,3,False,2,\n\
                     False,\"a,b\",4,true,1.50,\n";

#[test]
fn include_all_gives_pandas_rows_for_every_kind_of_column() {
    let env = TestEnv::new();
    env.write("m.csv", MIXED);
    env.cmd()
        .args([
            "run",
            "m.csv",
            "--include",
            "all",
            "-o",
            "-",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stdout(
            "label,path,column,count,unique,top,freq,mean,std,min,25%,50%,75%,max\n\
             m,m.csv,flag,4,2,True,2,,,,,,,\n\
             m,m.csv,name,4,3,x,2,,,,,,,\n\
             m,m.csv,n,4,,,,2.5,1.2909944487358056,1.0,1.75,2.5,3.25,4.0\n\
             m,m.csv,maybe,3,2,True,2,,,,,,,\n\
             m,m.csv,code,4,3,1.50,2,,,,,,,\n\
             m,m.csv,empty,0,,,,,,,,,,\n",
        );
}

#[test]
fn include_and_exclude_choose_kinds_as_pandas_does() {
    let env = TestEnv::new();
    env.write("m.csv", MIXED);
    let columns = |args: &[&str]| {
        let output = env
            .cmd()
            .args(["-q", "run", "m.csv", "-o", "out.parquet", "--no-cache"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        strings(&read_parquet(&env.join("out.parquet")), "column")
    };
    // `maybe` holds booleans and a missing value: pandas' object, so text.
    assert_eq!(columns(&["--include", "bool"]), ["flag"]);
    assert_eq!(columns(&["--include", "text"]), ["name", "maybe", "code"]);
    assert_eq!(columns(&["--include", "object"]), ["name", "maybe", "code"]);
    // pandas 3: "str" selects its str columns alone, not the object one.
    assert_eq!(columns(&["--include", "str"]), ["name", "code"]);
    assert_eq!(columns(&["--exclude", "str,number"]), ["flag", "maybe"]);
    assert_eq!(
        columns(&["--exclude", "number"]),
        ["flag", "name", "maybe", "code"]
    );
    assert_eq!(
        columns(&["--include", "number,bool"]),
        ["flag", "n", "empty"]
    );
    assert_eq!(columns(&[]), ["n", "empty"]);
    // Today's schema unless text or bool columns are asked for.
    let frame = read_parquet(&env.join("out.parquet"));
    assert!(frame.column("top").is_err());
}

#[test]
fn include_and_exclude_that_contradict_are_refused() {
    let env = TestEnv::new();
    env.write("m.csv", MIXED);
    for (args, message) in [
        (
            &["--include", "all", "--exclude", "text"][..],
            "--exclude cannot be combined with --include all",
        ),
        (
            &["--include", "text", "--exclude", "text"][..],
            "'text' is both included and excluded",
        ),
        (
            &["--exclude", "number,text,bool,category"][..],
            "--exclude leaves no kind of column to describe",
        ),
        (
            &["--threshold", "1", "--stat", "freq"][..],
            "--stat 'freq' is not a statistic of the result",
        ),
    ] {
        env.cmd()
            .args(["run", "m.csv"])
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn thresholds_compare_freq_and_unique_like_any_statistic() {
    let env = TestEnv::new();
    env.write("m.csv", MIXED);
    env.cmd()
        .args(["run", "m.csv", "--include", "text", "--threshold", "2"])
        .args(["--stat", "unique", "-o", "-", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with(
            "m,m.csv,name,4,3,x,2,,,,,,,,2.0,true\n\
             m,m.csv,maybe,3,2,True,2,,,,,,,,2.0,false\n\
             m,m.csv,code,4,3,1.50,2,,,,,,,,2.0,true\n",
        ));
}

#[test]
fn a_cached_result_is_not_reused_for_other_kinds_of_column() {
    let env = TestEnv::new();
    env.write("data/m.csv", MIXED);
    env.cmd().args(["-q", "run"]).assert().success();
    assert_eq!(counts(&read_parquet(&env.join("summary.parquet"))), [4, 0]);
    env.cmd()
        .args(["-q", "run", "--include", "all"])
        .assert()
        .success();
    let frame = read_parquet(&env.join("summary.parquet"));
    assert_eq!(
        strings(&frame, "top"),
        ["True", "x", "", "True", "1.50", ""]
    );
    // And a rerun with the same kinds reuses its own results.
    env.cmd()
        .args(["run", "--include", "all"])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 unchanged, reused"));
}

#[test]
fn more_distinct_values_than_memory_holds_are_spilled_and_counted_exactly() {
    let Some(pandas) = Pandas::find("include spill") else {
        return;
    };
    let env = TestEnv::new();
    // 1.3 million distinct keys (about 45 MB to count; -j 1 with 64M keeps
    // 32 MiB), two of them tied for top, seen late and early.
    let mut big = String::from("key,n\n");
    for row in 0..1_300_000 {
        big.push_str(&format!("k{row:07},{}\n", row % 7));
    }
    for _ in 0..3 {
        big.push_str("k0654321,1\nk0000005,2\n");
    }
    env.write("data/big.csv", big);
    env.write("data/m.csv", MIXED);
    let output = env
        .std_cmd()
        .args([
            "run",
            "data",
            "--include",
            "all",
            "-j",
            "1",
            "--max-memory",
            "64M",
        ])
        .args(["--no-cache", "-o", "out.parquet"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let frame = read_parquet(&env.join("out.parquet"));
    assert_eq!(strings(&frame, "top")[0], "k0000005");
    pandas_agrees(&pandas, &env, "data", "all", 2);
}

/// The differential script (`scripts/include_differential.py`) run by `pandas` in `env`.
fn script(pandas: &Pandas, env: &TestEnv) -> std::process::Command {
    let mut command = pandas.python_command();
    command
        .arg(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("scripts/include_differential.py"),
        )
        .current_dir(env.path());
    command
}

/// Asserts that pandas' `describe(include=...)` of each of the `files` files
/// of `folder` equals polarsdesc's rows in `out.parquet`; returns how many
/// files pandas described by their text alone (no `mean` row).
fn pandas_agrees(
    pandas: &Pandas,
    env: &TestEnv,
    folder: &str,
    include: &str,
    files: usize,
) -> usize {
    let compare = script(pandas, env)
        .args(["compare", folder, "out.parquet", include])
        .output()
        .unwrap();
    assert!(
        compare.status.success(),
        "pandas disagrees:\n{}{}",
        String::from_utf8_lossy(&compare.stdout),
        String::from_utf8_lossy(&compare.stderr)
    );
    let said = String::from_utf8_lossy(&compare.stderr);
    let counted = format!("{files} files compared (");
    assert!(
        said.contains(&counted) && said.contains(" 0 differences"),
        "{said}"
    );
    let text_only = said.split(&counted).nth(1).unwrap();
    text_only.split(' ').next().unwrap().parse().unwrap()
}

/// Random files and a large one, described by polarsdesc with `include`
/// ("default": no `--include`), compared with pandas by the script; returns
/// how many files pandas described by their text alone.
fn differential(seed: u64, include: &str) -> usize {
    let Some(pandas) = Pandas::find("include_differential") else {
        return 0;
    };
    let env = TestEnv::new();
    let make = script(&pandas, &env)
        .args(["make", "files", &seed.to_string(), "200", "--large"])
        .output()
        .unwrap();
    assert!(make.status.success(), "{make:?}");
    let mut command = env.cmd();
    command.args(["-q", "run", "files", "--no-cache", "-o", "out.parquet"]);
    if include != "default" {
        command.args(["--include", include]);
    }
    command.assert().code(predicate::in_iter([0, 1]));
    pandas_agrees(&pandas, &env, "files", include, 202)
}

/// The random files (and the large ones) rewritten by pandas as `format`
/// files, described with each of `includes` and compared with pandas'
/// `read_parquet`/`read_feather`/`read_json(lines=True)` then
/// `describe(...)`: str, bool, bool with nulls, null-typed and numeric
/// columns, category columns (Parquet, Feather), pandas' index columns.
fn typed_differential(seed: u64, format: &str, includes: &[&str]) {
    let Some(pandas) = Pandas::find("include_differential typed") else {
        return;
    };
    let env = TestEnv::new();
    let make = script(&pandas, &env)
        .args(["make", "files", &seed.to_string(), "200", "--large"])
        .output()
        .unwrap();
    assert!(make.status.success(), "{make:?}");
    let typed = script(&pandas, &env)
        .args(["typed", "files", format])
        .output()
        .unwrap();
    assert!(typed.status.success(), "{typed:?}");
    let files = env.files_in("files");
    assert!(
        files
            .iter()
            .all(|name| name.ends_with(&format!(".{format}"))),
        "{files:?}"
    );
    for include in includes {
        let mut command = env.cmd();
        command.args(["-q", "run", "files", "--no-cache", "-o", "out.parquet"]);
        if *include != "default" {
            command.args(["--include", include]);
        }
        command.assert().success();
        let text_only = pandas_agrees(&pandas, &env, "files", include, files.len());
        assert!(text_only > 0, "{include}: no file described by text alone");
    }
}

#[test]
fn parquet_files_of_every_kind_of_column_equal_pandas_with_every_include() {
    typed_differential(
        6,
        "parquet",
        &[
            "all",
            "default",
            "str,number",
            "number,bool",
            "text",
            "category",
        ],
    );
}

#[test]
fn feather_files_of_every_kind_of_column_equal_pandas_with_every_include() {
    typed_differential(7, "feather", &["all", "default", "bool", "category,number"]);
}

#[test]
fn ndjson_files_of_every_kind_of_column_equal_pandas_with_every_include() {
    // pandas' read_json types the text (numbers in text become numbers).
    typed_differential(8, "ndjson", &["all", "default", "text", "str,number"]);
}

/// pandas' `describe()` of a file without a numeric column describes every
/// column (count, unique, top, freq): so does the default run, beside the
/// files with numbers, which keep their numeric rows alone.
#[test]
fn a_file_without_numbers_is_described_by_its_text_as_pandas_does_by_default() {
    let text_only = differential(5, "default");
    if Pandas::find("include_differential").is_some() {
        assert!(text_only >= 10, "only {text_only} text-only files compared");
    }
}

#[test]
fn include_all_equals_pandas_on_random_files() {
    differential(1, "all");
}

#[test]
fn include_text_equals_pandas_on_random_files() {
    differential(2, "text");
}

#[test]
fn include_bool_and_numbers_equal_pandas_on_random_files() {
    differential(3, "number,bool");
}

/// pandas 3's `str` columns alone: not its `object` ones (booleans with a
/// missing value, Python integers, empty columns).
#[test]
fn include_str_equals_pandas_on_random_files() {
    differential(4, "str,number");
}

#[test]
fn shards_with_include_all_merge_into_the_single_runs_table() {
    let env = TestEnv::new();
    env.write("data/m.csv", MIXED);
    env.write("data/n.csv", "word,x\nb,1\na,2\n");
    env.write("data/o.csv", "flag\nTrue\n");
    let merged = merged_shards_equal_a_single_run(&env, &["--include", "all"]);
    assert!(merged.contains("o,data/o.csv,flag,1,1,True,1,"), "{merged}");
}

#[test]
fn shards_where_one_part_has_a_text_only_file_merge_into_the_single_runs_table() {
    // By default: the part with the text-only file has unique, top and freq,
    // the other part does not; the merged table has them, as a single run.
    let env = TestEnv::new();
    for name in ["a", "b", "c", "d", "e", "f"] {
        env.write(&format!("data/{name}.csv"), "x\n1\n2\n");
    }
    env.write("data/names.csv", "name\nann\nbob\nann\n");
    let merged = merged_shards_equal_a_single_run(&env, &[]);
    assert!(
        merged.starts_with("label,path,column,count,unique,top,freq,mean,"),
        "{merged}"
    );
    assert!(
        merged.contains("names,data/names.csv,name,3,2,ann,2,,"),
        "{merged}"
    );
    let parts: Vec<String> = (env.files_in("parts").iter())
        .map(|part| {
            let frame = read_parquet(&env.join("parts").join(part));
            frame
                .get_column_names()
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    assert!(
        parts.iter().any(|names| !names.contains("unique")),
        "one part of numbers alone: {parts:?}"
    );
}

#[test]
fn a_text_only_file_described_by_default_is_reused_from_the_cache_with_its_text() {
    let env = TestEnv::new();
    env.write("data/names.csv", "name\nann\nbob\nann\n");
    env.write("data/x.csv", "x\n1\n");
    let run = |args: &[&str]| {
        let assert = env
            .cmd()
            .args(["run", "-o", "out.csv"])
            .args(args)
            .assert()
            .success();
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        (
            std::fs::read_to_string(env.join("out.csv")).unwrap(),
            stderr,
        )
    };
    let (first, _) = run(&[]);
    assert!(
        first.contains("names,data/names.csv,name,3,2,ann,2,"),
        "{first}"
    );
    let (again, said) = run(&[]);
    assert!(said.contains("2 unchanged, reused"), "{said}");
    assert_eq!(again, first);
    // Numbers alone asked for: not the default's results.
    let (numbers, said) = run(&["--include", "number"]);
    assert!(!said.contains("reused"), "{said}");
    assert_eq!(numbers, "label,path,column,count,mean,std,min,25%,50%,75%,max\nx,data/x.csv,x,1,1.0,,1.0,1.0,1.0,1.0,1.0\n");
}

#[test]
fn a_text_only_file_pandas_cannot_read_fails_naming_the_line() {
    // No numeric column reads these files first: the tallies check them.
    let env = TestEnv::new();
    env.write("data/wide.csv", "a,b\nx,y\nx,y,z\n");
    env.write("data/quote.csv", "a,b\nx,\"y\n");
    let mut large = String::from("a,b\n");
    for row in 0..900_000 {
        large.push_str(&format!("w{row},\"q\"\n"));
    }
    large.push_str("x,y,z\n");
    assert!(large.len() > 9 << 20, "past one block");
    env.write("data/large.csv", large);
    env.write("data/fine.csv", "a\nx\n");
    env.cmd()
        .args(["run", "--include", "all", "-o", "out.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "data/wide.csv: line 3: 3 fields, but the header has 2",
        ))
        .stderr(predicate::str::contains(
            "data/quote.csv: line 2: a quoted field opened in this row is never closed",
        ))
        .stderr(predicate::str::contains(
            "data/large.csv: line 900002: 3 fields, but the header has 2",
        ));
    let out = std::fs::read_to_string(env.join("out.csv")).unwrap();
    assert_eq!(
        out,
        "label,path,column,count,unique,top,freq,mean,std,min,25%,50%,75%,max\n\
         fine,data/fine.csv,a,1,1,x,1,,,,,,,\n"
    );
}

#[test]
fn the_corpus_of_awkward_files_equals_pandas_with_include_all() {
    // Every file that ever made polarsdesc and pandas disagree on numbers:
    // their text columns too.
    let Some(pandas) = Pandas::find("include corpus") else {
        return;
    };
    let env = TestEnv::new();
    let corpus = common::fixture("pandas_corpus");
    let files = std::fs::read_dir(&corpus).unwrap().count();
    env.cmd()
        .args(["-q", "run", corpus.to_str().unwrap(), "--include", "all"])
        .args(["--no-cache", "-o", "out.parquet"])
        .assert()
        .code(1); // the files pandas cannot read either fail
    pandas_agrees(&pandas, &env, corpus.to_str().unwrap(), "all", files);
}

#[test]
fn the_corpus_of_awkward_files_equals_pandas_by_default() {
    // The same files with no --include: those without a numeric column
    // are described by their text, as pandas' describe() falls back.
    let Some(pandas) = Pandas::find("include corpus by default") else {
        return;
    };
    let env = TestEnv::new();
    let corpus = common::fixture("pandas_corpus");
    let files = std::fs::read_dir(&corpus).unwrap().count();
    env.cmd()
        .args(["-q", "run", corpus.to_str().unwrap()])
        .args(["--no-cache", "-o", "out.parquet"])
        .assert()
        .code(1);
    let text_only = pandas_agrees(&pandas, &env, corpus.to_str().unwrap(), "default", files);
    assert!(text_only > 30, "{text_only}");
}

/// pandas writes a frame with a category column (categories out of order,
/// one never observed, a tie for `top`) as Parquet and Feather.
const CATEGORY_FILES: &str = r#"
import sys, pandas as pd
folder = sys.argv[1]
frame = pd.DataFrame({
    "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    "c": pd.Categorical(["a", "b", "a", "b", "c", None], categories=["c", "b", "a", "z"]),
})
frame.to_parquet(f"{folder}/with_null.parquet")
frame.to_feather(f"{folder}/with_null.feather")
whole = frame.iloc[:5]
whole.to_parquet(f"{folder}/whole.parquet")
whole.reset_index(drop=True).to_feather(f"{folder}/whole.feather")
pd.DataFrame({"c": whole["c"]}).to_parquet(f"{folder}/only.parquet")
"#;

/// A category column is described as pandas' `Categorical.value_counts()`
/// counts it: `unique` the categories observed, a tie for `top` to the
/// category listed first ('b', though 'a' is seen first), with
/// `--include category`, `all`, and by default in a file of categories
/// alone; not with `--include text` (pandas' `object`).
#[test]
fn category_columns_of_parquet_and_feather_files_are_described_as_pandas_does() {
    let Some(pandas) = Pandas::find("category columns") else {
        return;
    };
    let env = TestEnv::new();
    std::fs::create_dir(env.join("in")).unwrap();
    let status = (pandas.python_command())
        .args(["-c", CATEGORY_FILES])
        .arg(env.join("in"))
        .status()
        .unwrap();
    assert!(status.success());
    let table = |files: &[&str], args: &[&str]| {
        let output = (env.cmd())
            .args(["-q", "run"])
            .args(files)
            .args(["--no-cache", "-o", "-", "--format", "csv"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(
        table(
            &[
                "in/whole.parquet",
                "in/with_null.parquet",
                "in/whole.feather"
            ],
            &["--include", "category"]
        ),
        "label,path,column,count,unique,top,freq,mean,std,min,25%,50%,75%,max\n\
         whole,in/whole.feather,c,5,3,b,2,,,,,,,\n\
         whole,in/whole.parquet,c,5,3,b,2,,,,,,,\n\
         with_null,in/with_null.parquet,c,5,3,b,2,,,,,,,\n"
    );
    let all = table(&["in/whole.parquet"], &["--include", "all"]);
    assert!(
        all.ends_with("whole,in/whole.parquet,c,5,3,b,2,,,,,,,\n"),
        "{all}"
    );
    assert!(all.contains("whole,in/whole.parquet,x,5,,,,3.0,"), "{all}");
    // A file of categories alone: pandas' default describes them.
    assert_eq!(
        table(&["in/only.parquet"], &[]),
        "label,path,column,count,unique,top,freq,mean,std,min,25%,50%,75%,max\n\
         only,in/only.parquet,c,5,3,b,2,,,,,,,\n"
    );
    let text = (env.cmd())
        .args(["-q", "run", "in/whole.parquet", "--no-cache", "-o", "-"])
        .args(["--format", "csv", "--include", "text"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&text.stdout).contains(",c,"));
    // Polars' Arrow reader refuses pyarrow's key under a missing category:
    // the file fails, saying so, and the others are kept.
    env.cmd()
        .args(["-q", "run", "in/with_null.feather", "in/whole.feather"])
        .args(["--no-cache", "-o", "out.csv", "--include", "category"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "in/with_null.feather: not a readable Arrow IPC (Feather) file: a category \
             (dictionary) column has missing values",
        ));
    assert!(std::fs::read_to_string(env.join("out.csv"))
        .unwrap()
        .contains("whole,in/whole.feather,c,5,3,b,2"));
}
