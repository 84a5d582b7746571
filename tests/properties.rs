//! Property tests of the invariants: counts, order of the statistics, the calendar, seeds, float text.

use chrono::{Datelike, NaiveDate};
use polarsdesc::config::GenerateConfig;
use polarsdesc::describe::{Options, Percentiles};
use polarsdesc::generate::{calendar, values};
use polarsdesc::progress::Console;
use polarsdesc::pyfloat;
use polarsdesc::read::describe_bytes;
use proptest::prelude::*;

/// A cell of a numeric column: a value, or one of pandas' missing spellings.
fn cell() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        4 => (-1e6f64..1e6).prop_map(Some),
        1 => (-5i64..5).prop_map(|v| Some(v as f64)),
        1 => Just(None),
    ]
}

fn missing_spelling(row: usize) -> &'static str {
    ["", "NA", "nan", "NaN", "NULL", "N/A"][row % 6]
}

/// The CSV text of a date column and two numeric columns.
fn csv_text(a: &[Option<f64>], b: &[Option<f64>]) -> String {
    let mut text = String::from(",a,b\n");
    for (row, (x, y)) in a.iter().zip(b).enumerate() {
        let render = |v: &Option<f64>| {
            v.map_or_else(|| missing_spelling(row).to_string(), |v| format!("{v:?}"))
        };
        text.push_str(&format!("2020-01-01,{},{}\n", render(x), render(y)));
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn count_is_the_values_written_and_stats_are_ordered(
        rows in prop::collection::vec((cell(), cell()), 1..120),
        extra in prop::collection::vec(0.0f64..1.0, 0..3),
    ) {
        let (a, b): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
        let percentiles = Percentiles::new(&extra).unwrap_or_default();
        let bytes = csv_text(&a, &b).into_bytes();
        let options = Options { percentiles: percentiles.clone(), ..Options::default() };
        let (columns, warnings) = describe_bytes(bytes, &options).unwrap();
        prop_assert!(warnings.is_empty());
        for (stats, written) in columns.iter().zip([&a, &b]) {
            let values: Vec<f64> = written.iter().flatten().copied().collect();
            prop_assert_eq!(stats.count, values.len() as u64);
            if values.is_empty() {
                prop_assert_eq!(stats.mean, None);
                prop_assert_eq!(stats.min, None);
                continue;
            }
            let mut ordered = vec![stats.min.unwrap()];
            ordered.extend(stats.percentiles.iter().map(|p| p.unwrap()));
            ordered.push(stats.max.unwrap());
            prop_assert!(ordered.windows(2).all(|w| w[0] <= w[1]), "{:?}", ordered);
            let lowest = values.iter().copied().fold(f64::INFINITY, f64::min);
            let highest = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            prop_assert_eq!(stats.min, Some(lowest));
            prop_assert_eq!(stats.max, Some(highest));
            let mean = stats.mean.unwrap();
            let slack = 1e-9 * highest.abs().max(lowest.abs()).max(1.0);
            prop_assert!(lowest - slack <= mean && mean <= highest + slack);
            prop_assert_eq!(stats.std.is_some(), values.len() >= 2);
            prop_assert!(stats.std.is_none_or(|s| s >= 0.0));
        }
    }

    #[test]
    fn business_days_match_a_naive_calendar(start in 0i64..20_000, span in 0i64..800) {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(); // a Thursday
        let first = epoch + chrono::Duration::days(start);
        let last = first + chrono::Duration::days(span);
        let days = calendar::business_days(first, last);
        // Naive: day n after the epoch is a weekday when (n + 3) % 7 < 5 (Monday = 0).
        let naive = (start..=start + span).filter(|n| (n + 3).rem_euclid(7) < 5).count();
        prop_assert_eq!(days.len(), naive);
        prop_assert!(days.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(days.iter().all(|d| d.weekday().number_from_monday() <= 5));
        prop_assert!(days.iter().all(|d| first <= *d && *d <= last));
    }

    #[test]
    fn each_label_and_seed_has_its_own_stream_of_unit_values(
        seed in any::<u64>(),
        label in "[a-zA-Z]{1,3}",
        other in "[a-zA-Z]{1,3}",
    ) {
        let draw = |seed: u64, label: &str| {
            let mut rng = values::label_rng(seed, label);
            (0..8).map(|_| values::next_unit(&mut rng)).collect::<Vec<f64>>()
        };
        let values = draw(seed, &label);
        prop_assert!(values.iter().all(|v| (0.0..1.0).contains(v)), "{:?}", values);
        // Two labels (or two seeds) sharing a stream would give two files the same data.
        if other != label {
            prop_assert_ne!(&values, &draw(seed, &other));
        }
        prop_assert_ne!(&values, &draw(seed.wrapping_add(1), &label));
    }

    #[test]
    fn float_text_reads_back_exactly_in_python_form(bits in any::<u64>()) {
        let value = f64::from_bits(bits);
        prop_assume!(value.is_finite());
        let mut text = Vec::new();
        pyfloat::write_repr(value, &mut text);
        let text = String::from_utf8(text).unwrap();
        prop_assert_eq!(text.parse::<f64>().unwrap().to_bits(), value.to_bits());
        let magnitude = value.abs();
        let scientific = magnitude != 0.0 && !(1e-4..1e16).contains(&magnitude);
        prop_assert_eq!(text.contains('e'), scientific, "{}", text);
        if scientific {
            // Python: a sign and at least two exponent digits ("1e-05", "1e+16").
            let exponent = text.split('e').nth(1).unwrap();
            prop_assert!(exponent.starts_with(['+', '-']) && exponent.len() >= 3, "{}", text);
        } else {
            prop_assert!(text.contains('.'), "{}", text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn generated_files_do_not_depend_on_threads(seed in any::<u64>(), labels in 1usize..40) {
        let make = |jobs| {
            let dir = tempfile::tempdir().unwrap();
            let config = GenerateConfig {
                dir: dir.path().to_path_buf(),
                label_length: 2,
                label_limit: Some(labels),
                start: NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
                end: NaiveDate::from_ymd_opt(2021, 2, 28).unwrap(),
                seed: Some(seed),
                jobs,
            };
            polarsdesc::generate(&config, &Console::silent()).unwrap();
            let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
                })
                .collect();
            files.sort();
            files
        };
        let sequential = make(1);
        prop_assert_eq!(sequential.len(), labels);
        prop_assert_eq!(sequential, make(4));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A large file's sums, taken piece by piece as blocks arrive, are
    /// numpy's pairwise sums to the bit, however the pieces fall.
    #[test]
    fn streamed_pairwise_sums_equal_the_whole_ones(
        values in prop::collection::vec(prop_oneof![-1e12f64..1e12, -1.0f64..1.0, Just(0.1)], 0..3000),
        cuts in prop::collection::vec(1usize..400, 1..20),
    ) {
        use polarsdesc::describe::stats::{pairwise_sum, PairwiseSum};
        let mut streamed = PairwiseSum::new(values.len());
        let mut rest = values.as_slice();
        for cut in cuts.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (piece, after) = rest.split_at((*cut).min(rest.len()));
            streamed.add(piece);
            rest = after;
        }
        prop_assert_eq!(streamed.finish().to_bits(), pairwise_sum(&values, |v| v).to_bits());
    }
}
