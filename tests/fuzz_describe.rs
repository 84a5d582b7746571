//! Fuzzing the per-file path with arbitrary bytes: it never panics; every outcome is statistics or a named error.
//!
//! `cargo fuzz` needs a nightly toolchain, which this project's machines do
//! not have, so this is a proptest over arbitrary bytes, CSV-shaped text and
//! mutated real files. CI runs a modest number of cases; a long run is
//!
//!     PROPTEST_CASES=200000 cargo test --release --test fuzz_describe
//!
//! (docs/reliability.md records what such runs found).

use std::panic::{catch_unwind, AssertUnwindSafe};

use polarsdesc::describe::{describe_bytes, FileError, Options, Percentiles};
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

/// Describes `bytes`, failing the property on a panic, and checks the outcome's shape.
fn check(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let options = Options {
        percentiles: Percentiles::new(&[0.1, 0.9]).unwrap(),
        ..Options::default()
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| describe_bytes(bytes, &options)));
    let outcome = outcome.map_err(|_| TestCaseError::fail("describe panicked"))?;
    match outcome {
        Ok((columns, _warnings)) => {
            for column in columns {
                prop_assert_eq!(column.percentiles.len(), 3);
                prop_assert!(column.count > 0 || column.mean.is_none());
            }
        }
        Err(error) => {
            prop_assert!(!matches!(error, FileError::Panic(_)));
            prop_assert!(!error.reason().is_empty());
        }
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
}
