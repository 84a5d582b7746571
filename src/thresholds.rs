//! Threshold checks: is a statistic of each file's column above the threshold of the file's label?
//!
//! The article passes a threshold to every file (`functools.partial`) or one
//! per label (`starmap` with "0.3 if 'a' or 'z' is in the label, else 0.4").
//! Here a threshold is one number (`--threshold`), or a CSV of `label,threshold`
//! lines whose labels may be glob patterns, the first matching line winning
//! (`--thresholds`); `--threshold` is then the fallback.

use std::fmt;
use std::path::{Path, PathBuf};

use glob::Pattern;
use polars::prelude::*;

use crate::describe::{Include, Percentiles};
use crate::error::{Error, Result};

/// The column compared when `--stat` is not given.
pub const DEFAULT_STAT: &str = "mean";

/// Which statistic is compared with which threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// The result column compared (`mean`, `max`, `25%`, ...).
    stat: String,
    /// Per-label rules, in file order (empty for a single `--threshold`).
    rules: Vec<Rule>,
    /// For labels no rule matches.
    fallback: Option<f64>,
    /// The `--thresholds` file the rules came from.
    file: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
struct Rule {
    pattern: Pattern,
    threshold: f64,
}

impl Thresholds {
    /// The same `threshold` for every label.
    ///
    /// # Errors
    /// When `threshold` is NaN, or `stat` is not a column of the result.
    pub fn fixed(threshold: f64, stat: &str, columns: &StatColumns) -> Result<Self> {
        Self::build(stat, Vec::new(), Some(threshold), columns)
    }

    /// Per-label thresholds read from the CSV at `path` (header
    /// `label,threshold`; a label may be a glob pattern such as `*a*`; the first
    /// matching line wins), with `fallback` for labels no line matches.
    ///
    /// # Errors
    /// When the file cannot be read or is malformed (no header, a bad header,
    /// a line without two fields, a threshold that is not a number, a bad
    /// pattern, no lines at all), naming the file and the line; or when `stat`
    /// is not a column of the result.
    pub fn from_file(
        path: &Path,
        fallback: Option<f64>,
        stat: &str,
        columns: &StatColumns,
    ) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|cause| Error::Input {
            path: path.to_path_buf(),
            cause,
        })?;
        let rules = parse_rules(&text).map_err(|problem| {
            Error::InvalidConfig(format!("thresholds file {}: {problem}", path.display()))
        })?;
        let mut thresholds = Self::build(stat, rules, fallback, columns)?;
        thresholds.file = Some(path.to_path_buf());
        Ok(thresholds)
    }

    /// The `--thresholds` file, if the rules came from one.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    fn build(
        stat: &str,
        rules: Vec<Rule>,
        fallback: Option<f64>,
        columns: &StatColumns,
    ) -> Result<Self> {
        if fallback.is_some_and(f64::is_nan) {
            return Err(Error::InvalidConfig("--threshold cannot be NaN".into()));
        }
        let stats = columns.names();
        if !stats.iter().any(|s| s == stat) {
            return Err(Error::InvalidConfig(format!(
                "--stat '{stat}' is not a statistic of the result; choose one of {}",
                stats.join(", ")
            )));
        }
        Ok(Thresholds {
            stat: stat.to_string(),
            rules,
            fallback,
            file: None,
        })
    }

    /// The statistic compared.
    pub fn stat(&self) -> &str {
        &self.stat
    }

    /// The threshold of `label`: the first matching rule's, else the fallback.
    pub fn for_label(&self, label: &str) -> Option<f64> {
        self.rules
            .iter()
            .find(|rule| rule.pattern.matches(label))
            .map(|rule| rule.threshold)
            .or(self.fallback)
    }

    /// Checks, before any data is read, that every label has a threshold.
    ///
    /// # Errors
    /// Naming the first label (in the order given) without one.
    pub fn check_labels<'a>(&self, labels: impl IntoIterator<Item = &'a str>) -> Result<()> {
        match labels
            .into_iter()
            .find(|label| self.for_label(label).is_none())
        {
            Some(label) => Err(Error::InvalidConfig(format!(
                "label '{label}' matches no line of the thresholds file, and no --threshold \
                 is given for such labels"
            ))),
            None => Ok(()),
        }
    }

    /// `frame` with two more columns: `threshold` (of each row's label) and
    /// `above_threshold` (the statistic is greater; false for NaN, null when
    /// the statistic is undefined).
    ///
    /// # Errors
    /// When a label has no threshold (see [`Self::check_labels`]) or Polars
    /// fails.
    ///
    /// With `--by` (`keys`: the key columns of `frame`), a row's threshold is
    /// its group key's: the keys' values as Python writes them (`5`, `2.5`,
    /// `True`, `AB`), joined by `/` when there are several, matched against
    /// the patterns; a key no pattern matches, without `--threshold`, has
    /// no threshold (null), since keys are only known once files are read.
    pub fn apply(&self, frame: DataFrame, keys: &[String]) -> PolarsResult<DataFrame> {
        let thresholds: Vec<Option<f64>> = if keys.is_empty() {
            let labels = frame.column("label")?.str()?;
            (0..labels.len())
                .map(|row| {
                    let label = labels.get(row).unwrap_or_default();
                    (self.for_label(label).map(Some)).ok_or_else(
                        || polars_err!(ComputeError: "label '{label}' has no threshold"),
                    )
                })
                .collect::<PolarsResult<Vec<Option<f64>>>>()?
        } else {
            (key_texts(&frame, keys)?.iter())
                .map(|key| self.for_label(key))
                .collect()
        };
        let value = col(self.stat.as_str()).cast(DataType::Float64);
        frame
            .lazy()
            .with_column(
                lit(
                    Float64Chunked::from_iter_options("threshold".into(), thresholds.into_iter())
                        .into_series(),
                )
                .alias("threshold"),
            )
            .with_column(
                value
                    .clone()
                    .gt(col("threshold"))
                    .and(value.is_not_nan())
                    .alias("above_threshold"),
            )
            .collect()
    }
}

/// Each row's group key, as `--thresholds` patterns match it: the values
/// of the `keys` columns as Python writes them, joined by `/`.
fn key_texts(frame: &DataFrame, keys: &[String]) -> PolarsResult<Vec<String>> {
    let columns = (keys.iter())
        .map(|key| frame.column(key))
        .collect::<PolarsResult<Vec<&Column>>>()?;
    (0..frame.height())
        .map(|row| {
            let parts = (columns.iter())
                .map(|column| Ok(python_text(column.get(row)?)))
                .collect::<PolarsResult<Vec<String>>>()?;
            Ok(parts.join("/"))
        })
        .collect()
}

/// A key value as Python's `str()` writes it.
fn python_text(value: AnyValue) -> String {
    use crate::describe::groups::{KeyType, KeyValue, TimeUnit};
    let (value, key_type) = match value {
        AnyValue::Int64(v) => (KeyValue::Int(v), KeyType::Int64),
        AnyValue::UInt64(v) => (KeyValue::UInt(v), KeyType::UInt64),
        AnyValue::Float64(v) => (KeyValue::Float(v), KeyType::Float64),
        AnyValue::Boolean(v) => (KeyValue::Bool(v), KeyType::Boolean),
        AnyValue::String(v) => (KeyValue::Text(v.to_string()), KeyType::String),
        AnyValue::StringOwned(v) => (KeyValue::Text(v.to_string()), KeyType::String),
        AnyValue::Date(days) => (KeyValue::Date(days), KeyType::Date),
        AnyValue::Datetime(count, unit, _) => {
            let unit = match unit {
                polars::prelude::TimeUnit::Nanoseconds => TimeUnit::Nanoseconds,
                polars::prelude::TimeUnit::Microseconds => TimeUnit::Microseconds,
                polars::prelude::TimeUnit::Milliseconds => TimeUnit::Milliseconds,
            };
            (KeyValue::Datetime(count), KeyType::Datetime(unit))
        }
        AnyValue::Decimal(units, _, scale) => {
            (KeyValue::Decimal(units), KeyType::Decimal(scale as u8))
        }
        _ => return String::new(),
    };
    value.to_python_string(key_type)
}

impl fmt::Display for Thresholds {
    /// "mean > 0.2", or "mean > threshold of the label" for per-label rules.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.rules.is_empty(), self.fallback) {
            (true, Some(threshold)) => write!(f, "{} > {threshold}", self.stat),
            _ => write!(f, "{} > its label's threshold", self.stat),
        }
    }
}

/// What decides the statistic columns of a result: its percentiles, and
/// whether it has pandas' `unique` and `freq` (`--include` text or bool).
#[derive(Debug, Clone, Copy)]
pub struct StatColumns<'a> {
    pub percentiles: &'a Percentiles,
    pub include: Include,
}

impl StatColumns<'_> {
    /// The numeric statistic columns of the result, in order.
    pub fn names(&self) -> Vec<String> {
        let mut stats: Vec<String> = vec!["count".into()];
        if self.include.categorical() {
            stats.extend(["unique", "freq"].map(String::from));
        }
        stats.extend(["mean", "std", "min"].map(String::from));
        stats.extend(self.percentiles.names().iter().cloned());
        stats.push("max".into());
        stats
    }
}

/// The rules of a thresholds file, or what is wrong with it (naming the line).
///
/// The file is CSV as the `csv` crate reads it (a label with a comma is
/// quoted, blanks around fields are trimmed, blank lines skipped, a leading
/// byte-order mark dropped); thresholds are numbers by pandas' rule.
fn parse_rules(text: &str) -> std::result::Result<Vec<Rule>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut records = reader.records().map(|record| {
        let record = record.map_err(|err| err.to_string())?;
        let line = record.position().map_or(0, |p| p.line());
        Ok::<_, String>((line, record))
    });
    let Some(header) = records.next() else {
        return Err("it is empty; expected the header 'label,threshold'".into());
    };
    let (number, header) = header?;
    if header.iter().collect::<Vec<_>>() != ["label", "threshold"] {
        let found: Vec<&str> = header.iter().collect();
        return Err(format!(
            "line {number}: expected the header 'label,threshold', found '{}'",
            found.join(",")
        ));
    }
    let rules = records
        .map(|record| {
            let (number, record) = record?;
            parse_rule(&record).map_err(|problem| format!("line {number}: {problem}"))
        })
        .collect::<std::result::Result<Vec<Rule>, String>>()?;
    if rules.is_empty() {
        return Err("it has a header but no thresholds".into());
    }
    Ok(rules)
}

fn parse_rule(record: &csv::StringRecord) -> std::result::Result<Rule, String> {
    let fields: Vec<&str> = record.iter().collect();
    let [label, threshold] = fields[..] else {
        return Err(format!(
            "expected 'label,threshold', found '{}'",
            fields.join(",")
        ));
    };
    let threshold = match crate::read::csv::numbers::classify(threshold.as_bytes()) {
        crate::read::csv::numbers::Token::Number(value, _) => value,
        _ => return Err(format!("the threshold '{threshold}' is not a number")),
    };
    let pattern =
        Pattern::new(label).map_err(|err| format!("'{label}' is not a valid pattern: {err}"))?;
    Ok(Rule { pattern, threshold })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::labels::labels;

    fn rules(text: &str, fallback: Option<f64>) -> std::result::Result<Thresholds, String> {
        let rules = parse_rules(text)?;
        let percentiles = Percentiles::default();
        let columns = StatColumns {
            percentiles: &percentiles,
            include: Include::NUMBERS,
        };
        Thresholds::build("mean", rules, fallback, &columns).map_err(|e| e.to_string())
    }

    #[test]
    fn the_articles_rule_as_a_file() {
        let example = include_str!("../docs/thresholds-example.csv");
        let thresholds = rules(example, None).unwrap();
        let all = labels(2, None);
        assert_eq!(all.len(), 1326);
        for label in &all {
            let expected = if label.contains('a') || label.contains('z') {
                0.3
            } else {
                0.4
            };
            assert_eq!(thresholds.for_label(label), Some(expected), "{label}");
        }
        assert!(thresholds
            .check_labels(all.iter().map(String::as_str))
            .is_ok());
    }

    #[test]
    fn first_match_wins_then_the_fallback() {
        let thresholds = rules("label,threshold\nab,0.1\na*,0.2\n", Some(0.9)).unwrap();
        assert_eq!(thresholds.for_label("ab"), Some(0.1));
        assert_eq!(thresholds.for_label("ac"), Some(0.2));
        assert_eq!(thresholds.for_label("bc"), Some(0.9));
        let strict = rules("label,threshold\na*,0.2\n", None).unwrap();
        assert_eq!(
            strict.check_labels(["ab", "bc", "cd"]).unwrap_err().to_string(),
            "label 'bc' matches no line of the thresholds file, and no --threshold is given for such labels"
        );
    }

    #[test]
    fn malformed_files_name_the_line() {
        let problem = |text| rules(text, None).unwrap_err();
        assert_eq!(
            problem(""),
            "it is empty; expected the header 'label,threshold'"
        );
        assert_eq!(
            problem("name,value\nab,1\n"),
            "line 1: expected the header 'label,threshold', found 'name,value'"
        );
        assert_eq!(
            problem("label,threshold\n"),
            "it has a header but no thresholds"
        );
        assert_eq!(
            problem("label,threshold\nab,high\n"),
            "line 2: the threshold 'high' is not a number"
        );
        assert_eq!(
            problem("label,threshold\nab,nan\n"),
            "line 2: the threshold 'nan' is not a number"
        );
        assert_eq!(
            problem("label,threshold\nab\n"),
            "line 2: expected 'label,threshold', found 'ab'"
        );
        assert!(
            problem("label,threshold\n[a,1\n").starts_with("line 2: '[a' is not a valid pattern")
        );
    }

    #[test]
    fn the_file_is_csv_quoted_and_blank_lines_skipped() {
        let thresholds = rules(
            "\u{feff}label, threshold\r\n\r\n\"a,b\", 0.5\r\n*, 1e-1 \r\n",
            None,
        )
        .unwrap();
        assert_eq!(thresholds.for_label("a,b"), Some(0.5));
        assert_eq!(thresholds.for_label("zz"), Some(0.1));
    }

    #[test]
    fn stat_must_be_a_result_column() {
        let p = Percentiles::new(&[0.1]).unwrap();
        let numbers = StatColumns {
            percentiles: &p,
            include: Include::NUMBERS,
        };
        assert!(Thresholds::fixed(0.5, "10%", &numbers).is_ok());
        assert!(Thresholds::fixed(0.5, "freq", &numbers).is_err());
        let all = StatColumns {
            percentiles: &p,
            include: Include::ALL,
        };
        assert!(Thresholds::fixed(0.5, "freq", &all).is_ok());
        assert!(Thresholds::fixed(0.5, "unique", &all).is_ok());
        let err = Thresholds::fixed(0.5, "median", &numbers)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "--stat 'median' is not a statistic of the result; choose one of count, mean, std, min, 10%, 50%, max"
        );
    }

    #[test]
    fn adds_threshold_columns() {
        let frame = df!(
            "label" => ["ab", "bc", "cd", "de"],
            "mean" => [Some(0.5), Some(0.1), Some(f64::NAN), None],
        )
        .unwrap();
        let thresholds = rules("label,threshold\nab,0.4\n*,0.2\n", None).unwrap();
        let out = thresholds.apply(frame, &[]).unwrap();
        let threshold = out.column("threshold").unwrap().f64().unwrap().clone();
        let threshold: Vec<Option<f64>> = (0..4).map(|i| threshold.get(i)).collect();
        assert_eq!(threshold, [Some(0.4), Some(0.2), Some(0.2), Some(0.2)]);
        let above = out
            .column("above_threshold")
            .unwrap()
            .bool()
            .unwrap()
            .clone();
        let above: Vec<Option<bool>> = (0..4).map(|i| above.get(i)).collect();
        assert_eq!(above, [Some(true), Some(false), Some(false), None]);
    }
}
