//! The disagreements with pandas once found on real-world files, each as its minimal reproduction, against pandas itself.

mod common;

use common::pandas::{differences, rows_by_path, Pandas, Verdict};
use common::{read_parquet, TestEnv};
use predicates::prelude::*;

/// Each reproduction of the real-world issue, by name.
const REPRODUCTIONS: [(&str, &[u8]); 13] = [
    ("implicit_index", b"a,b\n1,2,3\n4,5,6\n"),
    ("implicit_index_later_short_row", b"a,b\n1,2,3\n4,5\n"),
    ("old_mac_line_ends", b"a,b\r1,2\r3,4\r"),
    ("trailing_spaces", b"a,b\n1 ,2\n3  ,4\n"),
    ("repeated_names", b"a,a,a.1\n1,2,3\n4,5,6\n"),
    ("overflow", b"a\n1.7e308\n1.7e308\n"),
    ("overflow_opposite_signs", b"a\n1.7e308\n-1.7e308\n"),
    ("column_order", b"z,b,a\n1,2,3\n4,5,6\n"),
    ("pattern_names", b"*,^zz$\n1,2\n3,4\n"),
    ("whitespace_only_line", b"a,b\n1,2\n   \n3,4\n"),
    (
        "integer_wider_than_64_bits",
        b"a,b\n18446744073709551616,1\n1,2\n",
    ),
    ("quoted_numbers", b"a,b\n\"1.5\",2\n\"2.5\",3\n"),
    ("preamble", b"#one:line one\n#two:line two\na,b\n1,2\n"),
];

#[test]
fn every_reproduction_equals_pandas() {
    let Some(pandas) = Pandas::find("every_reproduction_equals_pandas") else {
        return;
    };
    let env = TestEnv::new();
    let files: Vec<_> = REPRODUCTIONS
        .iter()
        .map(|(name, bytes)| env.write(&format!("in/{name}.csv"), bytes))
        .collect();
    env.cmd()
        .args(["-q", "run", "in", "-o", "out.parquet"])
        .assert()
        .code(1); // the preamble file fails, as it does in pandas
    let ours = rows_by_path(&read_parquet(&env.join("out.parquet")));
    let verdicts = pandas.describe(&files, None, None);
    let mut found = Vec::new();
    for ((name, _), verdict) in REPRODUCTIONS.iter().zip(&verdicts) {
        let path = format!("in/{name}.csv");
        found.extend(differences(&path, verdict, ours.get(&path)));
    }
    assert_eq!(found, Vec::<String>::new());
    // What pandas says, spelled out for the first case: the extra leading
    // field is the index; a = {2, 5}, b = {3, 6}.
    let Verdict::Described(columns) = &verdicts[0] else {
        panic!("pandas reads the implicit index file")
    };
    assert_eq!((columns[0].0.as_str(), columns[0].1["mean"]), ("a", 3.5));
    assert_eq!((columns[1].0.as_str(), columns[1].1["mean"]), ("b", 4.5));
}

#[test]
fn a_preamble_is_reported_as_pandas_reports_it() {
    // pandas: "Expected 1 fields in line 3, saw 2".
    let env = TestEnv::new();
    env.write("in/p.csv", "#one:line one\n#two:line two\na,b\n1,2\n");
    env.cmd()
        .args(["-q", "run", "in/p.csv", "-o", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "polarsdesc: error: in/p.csv: line 3: 2 fields, but the header has 1\n",
        ));
}
