//! Fuzzing the per-file path with arbitrary bytes: it never panics; every outcome is statistics or an error pandas would also raise.
//!
//! `cargo fuzz` needs a nightly toolchain, which this project's machines do
//! not have, so this is a proptest over arbitrary bytes, CSV-shaped text and
//! mutated real files. CI runs a modest number of cases; a long run is
//!
//!     PROPTEST_CASES=200000 cargo test --release --test fuzz_describe
//!
//! (docs/reliability.md records what such runs found). Whether the numbers
//! equal pandas' is the job of `tests/pandas_differential.rs`, which runs
//! pandas itself on thousands of generated files; here every error must be
//! one pandas raises too (a malformed file), never an internal one.

use std::panic::{catch_unwind, AssertUnwindSafe};

use polarsdesc::describe::{memory::BLOCK_BYTES, Options, Percentiles};
use polarsdesc::parallel::SpareCores;
use polarsdesc::read::{describe_bytes, describe_file, FileError};
use proptest::prelude::*;

/// Pieces that stress a CSV reader: separators, quotes, line ends, BOMs,
/// pandas' missing-value strings, number spellings, and invalid UTF-8.
fn token() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b",".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\"\"".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"NA".to_vec()),
        Just(b"nan".to_vec()),
        Just(b"-inf".to_vec()),
        Just(b"1e308".to_vec()),
        Just(b"-0.0".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"\x00".to_vec()),
        (-1e6f64..1e6).prop_map(|v| format!("{v}").into_bytes()),
        "[a-zA-Z0-9 .+-]{0,6}".prop_map(String::into_bytes),
    ]
}

fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(token(), 0..200).prop_map(|tokens| tokens.concat())
}

/// A small well-formed file with a few bytes overwritten.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let base = b",data,n\n2010-01-01,0.5,1\n2010-01-04,0.25,2\n2010-01-05,,3\n2010-01-06,1e-05,4\n"
        .to_vec();
    let len = base.len();
    prop::collection::vec((0..len, any::<u8>()), 1..6).prop_map(move |edits| {
        let mut bytes = base.clone();
        for (at, byte) in edits {
            bytes[at] = byte;
        }
        bytes
    })
}

/// Rows of CSV-shaped lines, more than the 100 rows the layout samples.
fn many_rows() -> impl Strategy<Value = Vec<u8>> {
    let row = prop::collection::vec(
        prop_oneof![
            4 => (-1e6f64..1e6).prop_map(|v| format!("{v}")),
            1 => Just("NA".to_string()),
            1 => Just(" 7 ".to_string()),
            1 => Just("\"2\"".to_string()),
            1 => "[a-z ]{0,3}",
        ],
        1..5,
    )
    .prop_map(|fields| fields.join(","));
    (
        prop::collection::vec(row, 90..400),
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
    )
        .prop_map(|(rows, end)| {
            let mut text = format!("a,b,c{end}");
            for row in rows {
                text.push_str(&row);
                text.push_str(end);
            }
            text.into_bytes()
        })
}

fn options() -> Options {
    Options {
        percentiles: Percentiles::new(&[0.1, 0.9]).unwrap(),
        ..Options::default()
    }
}

/// Describes `bytes`, failing the property on a panic, and checks the outcome's shape.
fn check(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let outcome = catch_unwind(AssertUnwindSafe(|| describe_bytes(bytes, &options())));
    let outcome = outcome.map_err(|_| TestCaseError::fail("describe panicked"))?;
    check_outcome(outcome.map(|(columns, _)| columns))
}

fn check_outcome(
    outcome: Result<Vec<polarsdesc::describe::ColumnStats>, FileError>,
) -> Result<(), TestCaseError> {
    match outcome {
        Ok(columns) => {
            for column in columns {
                prop_assert_eq!(column.percentiles.len(), 3);
                prop_assert!(column.count > 0 || column.mean.is_none());
            }
        }
        // Only what pandas also fails on: empty, not UTF-8, a row too wide,
        // a quote never closed; never an internal error.
        Err(error) => prop_assert!(
            matches!(error, FileError::Malformed(_)),
            "an error pandas would not raise: {error:?}"
        ),
    }
    Ok(())
}

/// Found by this fuzzer: a lone quote at the end made Polars' CSV builder
/// panic (slicing the quotes off a one-byte field). pandas rejects the file
/// ("EOF inside string"); so does polarsdesc now, before Polars sees it.
#[test]
fn a_lone_quote_at_the_end() {
    check(b"NA\n\"".to_vec()).unwrap();
    let error = describe_bytes(b"NA\n\"".to_vec(), &Options::default()).unwrap_err();
    assert_eq!(error.line(), Some(2));
}

/// Found by this fuzzer too: a quote after a byte-order mark in the middle of
/// the file is an ordinary character (pandas and Polars read quotes only at
/// the start of a field), which left a lone quote as the next field.
#[test]
fn a_quote_that_is_not_at_the_start_of_a_field() {
    check(b",\n\xEF\xBB\xBF\",\"".to_vec()).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(300)
    ))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check(bytes)?;
    }

    #[test]
    fn csv_shaped_text(bytes in csv_like()) {
        check(bytes)?;
    }

    #[test]
    fn mutated_files(bytes in mutated()) {
        check(bytes)?;
    }

    #[test]
    fn files_longer_than_the_sample(bytes in many_rows()) {
        check(bytes)?;
    }
}

proptest! {
    // Each case writes a file of more than one block (8 MiB): few cases.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).map_or(3, |n: u32| n / 100 + 3)
    ))]

    #[test]
    fn files_larger_than_a_block(chunk in many_rows(), tail in csv_like()) {
        let mut bytes = chunk.clone();
        while bytes.len() <= BLOCK_BYTES {
            // The same rows again (without their header line).
            let body = chunk.iter().position(|&b| b == b'\n' || b == b'\r').unwrap() + 1;
            bytes.extend_from_slice(&chunk[body..]);
        }
        bytes.extend_from_slice(&tail);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("large.csv");
        std::fs::write(&path, &bytes).unwrap();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            describe_file(&path, &options(), &SpareCores::none())
        }))
        .map_err(|_| TestCaseError::fail("describe panicked"))?;
        let columns = outcome.map(|summary| {
            let rows = summary.decoded().expect("rows held in memory");
            rows.into_iter().map(|row| row.stats).collect()
        });
        check_outcome(columns)?;
    }
}
