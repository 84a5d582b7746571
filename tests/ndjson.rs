//! NDJSON inputs (`*.ndjson`, `*.jsonl`, compressed too), read as pandas' `read_json(lines=True)` reads them.
//!
//! pandas judges: `scripts/by_differential.py make-ndjson` writes random
//! files with every kind of column `read_json` types apart (ujson's
//! imprecise floats, numbers as text, whole floats, booleans with numbers,
//! nested values, date-named columns, missing fields) and compares pandas'
//! describe() and groupby().describe() with polarsdesc's.

mod common;

use std::io::Write;

use common::pandas::Pandas;
use common::TestEnv;
use predicates::prelude::*;

/// Integers, floats with a null and ujson's 15 fraction digits, text, text
/// that pandas reads as integers (`"1_0"`, `" 2 "`), a boolean key; a blank
/// line, a row missing fields, whitespace around a line.
const ONE: &str = "{\"a\": 1, \"b\": 0.1, \"s\": \"x\", \"t\": \"1_0\", \"k\": true}\n\
                   {\"a\": 2, \"b\": null, \"s\": \"y\", \"t\": \" 2 \", \"k\": false}\n\
                   \n \
                   {\"b\": 0.12345678901234567, \"a\": 3, \"t\": \"3\", \"k\": true}  \r\n";

#[test]
fn an_ndjson_file_gives_pandas_numbers() {
    let env = TestEnv::new();
    env.write("one.ndjson", ONE);
    // pandas 3.1.1: pd.read_json("one.ndjson", lines=True).describe()
    // (b's max is ujson's 0.12345678901234501, not the nearest double).
    env.cmd()
        .args(["run", "one.ndjson", "-o", "-", "--format", "csv"])
        .assert()
        .success()
        .stdout(
            "label,path,column,count,mean,std,min,25%,50%,75%,max\n\
             one,one.ndjson,a,3,2.0,1.0,1.0,1.5,2.0,2.5,3.0\n\
             one,one.ndjson,b,2,0.1117283945061725,0.016586454575491252,0.1,0.10586419725308625,\
             0.1117283945061725,0.11759259175925876,0.12345678901234501\n\
             one,one.ndjson,t,3,5.0,4.358898943540674,2.0,2.5,3.0,6.5,10.0\n",
        );
}

#[test]
fn an_ndjson_file_by_a_boolean_key_gives_pandas_groups() {
    let env = TestEnv::new();
    env.write("one.jsonl", ONE);
    // pandas 3.1.1: pd.read_json("one.jsonl", lines=True).groupby("k").describe()
    env.cmd()
        .args([
            "run",
            "one.jsonl",
            "--by",
            "k",
            "-o",
            "-",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stdout(
            "label,k,path,column,count,mean,std,min,25%,50%,75%,max\n\
             one,false,one.jsonl,a,1,2.0,,2.0,2.0,2.0,2.0,2.0\n\
             one,false,one.jsonl,b,0,,,,,,,\n\
             one,false,one.jsonl,t,1,2.0,,2.0,2.0,2.0,2.0,2.0\n\
             one,true,one.jsonl,a,2,2.0,1.4142135623730951,1.0,1.5,2.0,2.5,3.0\n\
             one,true,one.jsonl,b,2,0.1117283945061725,0.016586454575491252,0.1,\
             0.10586419725308625,0.1117283945061725,0.11759259175925876,0.12345678901234501\n\
             one,true,one.jsonl,t,2,6.5,4.949747468305833,3.0,4.75,6.5,8.25,10.0\n",
        );
}

#[test]
fn infinite_keys_are_written_as_python_writes_them_beside_text_keys() {
    let env = TestEnv::new();
    env.write(
        "mix/a.ndjson",
        "{\"k\": Infinity, \"v\": 1}\n{\"k\": 1.5, \"v\": 2}\n{\"k\": -Infinity, \"v\": 3}\n",
    );
    env.write("mix/b.ndjson", "{\"k\": \"x\", \"v\": 5}\n");
    // pandas 3.1.1 groups a's float keys -inf, 1.5, inf; with b's text keys
    // the key column is text, as Python writes the floats.
    env.cmd()
        .args(["run", "mix", "--by", "k", "-o", "-", "--format", "csv"])
        .assert()
        .success()
        .stdout(
            "label,k,path,column,count,mean,std,min,25%,50%,75%,max\n\
             a,-inf,mix/a.ndjson,v,1,3.0,,3.0,3.0,3.0,3.0,3.0\n\
             a,1.5,mix/a.ndjson,v,1,2.0,,2.0,2.0,2.0,2.0,2.0\n\
             a,inf,mix/a.ndjson,v,1,1.0,,1.0,1.0,1.0,1.0,1.0\n\
             b,x,mix/b.ndjson,v,1,5.0,,5.0,5.0,5.0,5.0,5.0\n",
        );
}

#[test]
fn a_bad_line_names_its_file_and_line_and_the_others_are_kept() {
    let env = TestEnv::new();
    env.write("data/good.ndjson", "{\"v\": 1}\n{\"v\": 3}\n");
    env.write("data/bad.jsonl", "{\"v\": 1}\n{\"v\": 2\n");
    env.write("data/not_utf8.ndjson", b"{\"v\": 1}\n{\"v\": \"\xff\"}\n");
    env.cmd()
        .args(["run", "data", "-o", "-", "--format", "csv"])
        .assert()
        .code(1)
        .stdout(
            "label,path,column,count,mean,std,min,25%,50%,75%,max\n\
             good,data/good.ndjson,v,2,2.0,1.4142135623730951,1.0,1.5,2.0,2.5,3.0\n",
        )
        .stderr(
            predicate::str::contains(
                "data/bad.jsonl: line 2: not JSON lines as pandas reads them: unexpected \
                 character in an object, at character 8",
            )
            .and(predicate::str::contains(
                "data/not_utf8.ndjson: line 2: not JSON lines as pandas reads them: not UTF-8",
            )),
        );
}

/// Files pandas cannot read either, each failing alone and saying what it
/// is: an NDJSON file with a byte-order mark, one nested deeper than
/// pandas' limit, an empty Feather file, an Arrow IPC stream named as a
/// Feather file.
#[test]
fn files_pandas_cannot_read_say_what_they_are() {
    let env = TestEnv::new();
    env.write("data/good.ndjson", "{\"v\": 1}\n{\"v\": 3}\n");
    env.write("data/bom.jsonl", "\u{feff}{\"v\": 1}\n");
    let deep = format!("{{\"v\": {}1{}}}\n", "[".repeat(1023), "]".repeat(1023));
    env.write("data/deep.jsonl", deep);
    env.write("data/empty.feather", "");
    env.write(
        "data/stream.feather",
        b"\xff\xff\xff\xff\x10\x00\x00\x00rest of a stream",
    );
    env.cmd()
        .args(["run", "data", "-o", "-", "--format", "csv"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("good,data/good.ndjson,v,2"))
        .stderr(
            predicate::str::contains(
                "data/bom.jsonl: line 1: not JSON lines as pandas reads them: a byte-order mark",
            )
            .and(predicate::str::contains(
                "data/deep.jsonl: line 1: not JSON lines as pandas reads them: nested deeper than \
                 pandas' limit",
            ))
            .and(predicate::str::contains(
                "data/empty.feather: not a readable Arrow IPC (Feather) file: the file is empty",
            ))
            .and(predicate::str::contains(
                "data/stream.feather: not a readable Arrow IPC (Feather) file: it is an Arrow IPC \
                 stream, not an Arrow IPC file",
            )),
        );
}

#[test]
fn compressed_ndjson_in_a_folder_is_found_and_labelled() {
    let env = TestEnv::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"{\"v\": 1.5}\n{\"v\": 2.5}\n").unwrap();
    env.write("data/sub/x.JSONL.gz", gz.finish().unwrap());
    env.write("data/notes.json", "{\"v\": 1}\n");
    env.cmd()
        .args(["run", "data", "-r", "-o", "-", "--format", "csv"])
        .assert()
        .success()
        .stdout(
            "label,path,column,count,mean,std,min,25%,50%,75%,max\n\
             x,data/sub/x.JSONL.gz,v,2,2.0,0.7071067811865476,1.5,1.75,2.0,2.25,2.5\n",
        );
}

#[test]
fn date_named_columns_are_left_out_with_a_warning_as_pandas_reads_them_as_dates() {
    let env = TestEnv::new();
    // pandas reads created_at as dates (past 1971 in seconds); "date" holds
    // small numbers, which pandas keeps as numbers.
    env.write(
        "t.ndjson",
        "{\"created_at\": 1700000000, \"date\": 3, \"v\": 1}\n\
         {\"created_at\": 1700000100, \"date\": 4, \"v\": 2}\n",
    );
    env.cmd()
        .args(["run", "t.ndjson", "-o", "-", "--format", "csv"])
        .assert()
        .success()
        .stdout(
            "label,path,column,count,mean,std,min,25%,50%,75%,max\n\
             t,t.ndjson,date,2,3.5,0.7071067811865476,3.0,3.25,3.5,3.75,4.0\n\
             t,t.ndjson,v,2,1.5,0.7071067811865476,1.0,1.25,1.5,1.75,2.0\n",
        )
        .stderr(predicate::str::contains(
            "t.ndjson: column 'created_at' is named like a date, and pandas reads it as dates",
        ));
}

#[test]
fn include_text_with_ndjson_describes_text_and_booleans_as_pandas() {
    // pandas 3.1.1: read_json(lines=True).describe(include="all") gives s:
    // count 2, unique 2, top x, freq 1; flag: 2, 2, True, 1; v: numbers.
    let env = TestEnv::new();
    env.write(
        "t.ndjson",
        "{\"s\": \"x\", \"v\": 1, \"flag\": true}\n{\"s\": \"NA\", \"v\": 3, \"flag\": false}\n",
    );
    env.cmd()
        .args(["-q", "run", "t.ndjson", "--include", "all", "-o", "-"])
        .assert()
        .success()
        .stdout(
            "label,path,column,count,unique,top,freq,mean,std,min,25%,50%,75%,max\n\
             t,t.ndjson,s,2,2,x,1,,,,,,,\n\
             t,t.ndjson,v,2,,,,2.0,1.4142135623730951,1.0,1.5,2.0,2.5,3.0\n\
             t,t.ndjson,flag,2,2,True,1,,,,,,,\n",
        )
        .stderr("");
}

#[test]
fn ndjson_files_equal_pandas_read_json_whole_and_by_keys() {
    let Some(pandas) = Pandas::find("ndjson_differential") else {
        return;
    };
    let env = TestEnv::new();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/by_differential.py");
    let made = pandas
        .python_command()
        .arg(&script)
        .args(["make-ndjson", "files", "4", "150"])
        .current_dir(env.path())
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    for keys in ["-", "k1", "k1,k2"] {
        let mut run = env.cmd();
        run.args(["-q", "run", "files", "--no-cache", "-o", "out.parquet"]);
        if keys != "-" {
            run.args(["--by", keys]);
        }
        run.assert().code(predicate::in_iter([0, 1]));
        let compare = pandas
            .python_command()
            .arg(&script)
            .args(["compare", "files", "out.parquet", keys])
            .current_dir(env.path())
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&compare.stderr);
        assert!(
            compare.status.success() && said.contains("150 files compared, 0 differences"),
            "pandas disagrees ({keys}):\n{}{said}",
            String::from_utf8_lossy(&compare.stdout)
        );
    }
}
