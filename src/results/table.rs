//! The combined result: every file's rows read back from the log in the output's order (label, then path; each file's rows as made), as tidy Polars frames of a bounded number of rows.

use std::io;
use std::path::PathBuf;

use polars::prelude::*;

use super::log::{Location, Log};
use crate::describe::groups::{KeyColumn, KeyType, KeyValue, TimeUnit};
use crate::describe::row::{self, Row};
use crate::describe::{Include, Percentiles};
use crate::error::{Error, Result};

/// The most rows per frame handed on (the row groups of a Parquet output).
pub const BATCH_ROWS: usize = 1 << 17;

/// The bytes a row of a frame takes, about, while it is built and encoded.
const ROW_BYTES: usize = 256;

/// The name of the column that says what each `top` is to pandas (see
/// [`crate::describe::categorical::Values`]), taken out of each batch.
const TOP_VALUES: &str = "top values";

/// One file's result, on record in the log.
#[derive(Debug, Clone)]
pub struct Logged {
    pub path: PathBuf,
    pub label: String,
    /// With `--by`: the key columns and their types in this file.
    pub keys: Option<Vec<KeyColumn>>,
    /// Whether a row describes a column that is not numeric.
    pub categorical: bool,
    pub location: Location,
}

/// Some consecutive rows of the result: the frame, and for each row what
/// its `top` is to pandas (text, a boolean, a Python integer:
/// [`crate::describe::categorical::Values::name`]) when text or bool
/// columns are included.
pub struct Batch {
    pub frame: DataFrame,
    pub top_values: Option<Vec<Option<String>>>,
}

/// The files on record, as they finish.
pub struct Collector {
    files: Vec<Logged>,
    stat_names: Vec<String>,
    categorical: bool,
    /// With `--by`: each key column's output name, and the types files gave it.
    keys: Vec<(String, Vec<KeyType>)>,
    rows: u64,
    batch_rows: usize,
}

impl Collector {
    /// No files yet, for a result with `percentiles`, pandas' `unique`, `top`
    /// and `freq` if `include` selects columns that are not numeric, and
    /// the key columns `by`; its frames take about `memory` bytes.
    pub fn new(percentiles: &Percentiles, include: Include, by: &[String], memory: usize) -> Self {
        let mut stat_names: Vec<String> = ["mean", "std", "min"].map(String::from).to_vec();
        stat_names.extend(percentiles.names().iter().cloned());
        stat_names.push("max".into());
        let keys = key_output_names(by, &stat_names)
            .into_iter()
            .map(|name| (name, Vec::new()))
            .collect();
        Collector {
            files: Vec::new(),
            stat_names,
            categorical: include.categorical(),
            keys,
            rows: 0,
            batch_rows: (memory / ROW_BYTES).clamp(1 << 12, BATCH_ROWS),
        }
    }

    /// Adds a file's result.
    pub fn add(&mut self, logged: Logged) {
        for ((_, types), column) in self.keys.iter_mut().zip(logged.keys.iter().flatten()) {
            if !types.contains(&column.key_type) {
                types.push(column.key_type);
            }
        }
        self.rows += logged.location.rows;
        // pandas' default describes a file without numbers by its text:
        // the table gains `unique`, `top` and `freq` then.
        self.categorical |= logged.categorical;
        self.files.push(logged);
    }

    /// The rows of the result.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Whether the result has pandas' `unique`, `top` and `freq` (text or
    /// bool columns included, or a file described by its text).
    pub fn categorical(&self) -> bool {
        self.categorical
    }

    /// The names of the `--by` key columns in the result.
    pub fn key_columns(&self) -> Vec<String> {
        self.keys.iter().map(|(name, _)| name.clone()).collect()
    }

    /// The result without rows: its columns, of their types.
    ///
    /// # Errors
    /// Never for a well-formed collector; Polars errors are passed on.
    pub fn empty(&self) -> PolarsResult<Batch> {
        self.builder().finish()
    }

    /// Calls `visit` with the result, up to [`BATCH_ROWS`] rows at a time (at
    /// least one batch, maybe empty): columns `label`, (one per `--by`
    /// key), `path`, `column`, `count`, (`unique`, `top`, `freq` when text
    /// or bool columns are included), `mean`, `std`, `min`, one per
    /// percentile, `max`; rows sorted by label, then path, then as each
    /// file made them (pandas' order of groups and columns), whatever order
    /// the files finished in. The rows are read back from `log`.
    ///
    /// # Errors
    /// When the log cannot be read back, or `visit` fails.
    pub fn for_each_batch(
        mut self,
        log: &Log,
        visit: &mut dyn FnMut(Batch) -> Result<()>,
    ) -> Result<()> {
        for file in &mut self.files {
            file.path = PathBuf::from(crate::sources::display_path(&file.path));
        }
        self.files
            .sort_by(|a, b| (&a.label, &a.path).cmp(&(&b.label, &b.path)));
        let mut builder = self.builder();
        let mut visited = false;
        for file in &self.files {
            let path = file.path.to_string_lossy();
            let key_types: Vec<KeyType> = (file.keys.iter().flatten())
                .map(|key| key.key_type)
                .collect();
            let mut reader = log.read(file.location).map_err(log_error)?;
            let mut bytes = Vec::with_capacity(256);
            while row::read_next(&mut reader, &mut bytes).map_err(log_error)? {
                let row = row::decode(&bytes, &key_types).map_err(log_error)?;
                builder.push(&file.label, &path, row, &key_types);
                if builder.rows == self.batch_rows {
                    crate::interrupt::check()?;
                    let full = std::mem::replace(&mut builder, self.builder());
                    visit(full.finish().map_err(combine_error)?)?;
                    visited = true;
                }
            }
        }
        if builder.rows > 0 || !visited {
            visit(builder.finish().map_err(combine_error)?)?;
        }
        Ok(())
    }

    fn builder(&self) -> Builder {
        Builder {
            label: StringChunkedBuilder::new("label".into(), 0),
            keys: (self.keys.iter())
                .map(|(name, types)| (name.clone(), types.clone(), Vec::new()))
                .collect(),
            path: StringChunkedBuilder::new("path".into(), 0),
            column: StringChunkedBuilder::new("column".into(), 0),
            count: Vec::new(),
            categorical: self.categorical.then(CategoricalColumns::default),
            stats: vec![Vec::new(); self.stat_names.len()],
            stat_names: self.stat_names.clone(),
            rows: 0,
        }
    }
}

fn log_error(cause: io::Error) -> Error {
    match crate::temporary::in_io(&cause) {
        Some(no_room) => Error::TemporaryFolder {
            reason: no_room.to_string(),
            resumable: false,
        },
        None => Error::Polars {
            context: "cannot read the results back".into(),
            cause: PolarsError::IO {
                error: std::sync::Arc::new(cause),
                msg: None,
            },
        },
    }
}

/// The error of a table that cannot be built (a bug).
pub fn combine_error(cause: PolarsError) -> Error {
    Error::Polars {
        context: "cannot combine the results".into(),
        cause,
    }
}

/// A key column of a batch: its output name, the types files gave it, and
/// each row's value with its file's type.
type KeyBuilder = (String, Vec<KeyType>, Vec<Option<(KeyValue, KeyType)>>);

/// The columns of one batch, filled row by row.
struct Builder {
    label: StringChunkedBuilder,
    keys: Vec<KeyBuilder>,
    path: StringChunkedBuilder,
    column: StringChunkedBuilder,
    count: Vec<u64>,
    categorical: Option<CategoricalColumns>,
    /// mean, std, min, one per percentile, max; each a column of values.
    stats: Vec<Vec<Option<f64>>>,
    stat_names: Vec<String>,
    rows: usize,
}

/// pandas' statistics of columns that are not numeric, one entry per row.
#[derive(Default)]
struct CategoricalColumns {
    unique: Vec<Option<u64>>,
    top: Vec<Option<String>>,
    freq: Vec<Option<u64>>,
    top_values: Vec<Option<&'static str>>,
}

impl Builder {
    fn push(&mut self, label: &str, path: &str, row: Row, key_types: &[KeyType]) {
        let Row { stats, keys } = row;
        let mut keys = keys.into_iter().zip(key_types.iter().copied());
        for (_, _, values) in &mut self.keys {
            values.push(keys.next());
        }
        self.label.append_value(label);
        self.path.append_value(path);
        self.column.append_value(&stats.column);
        self.count.push(stats.count);
        if let Some(categorical) = &mut self.categorical {
            let described = stats.categorical.as_ref();
            categorical.unique.push(described.map(|s| s.unique));
            categorical.freq.push(described.and_then(|s| s.freq));
            (categorical.top_values).push(
                described
                    .filter(|s| s.top.is_some())
                    .map(|s| s.values.name()),
            );
            categorical.top.push(stats.categorical.and_then(|s| s.top));
        }
        let values = [stats.mean, stats.std, stats.min]
            .into_iter()
            .chain(stats.percentiles)
            .chain([stats.max]);
        for (column, value) in self.stats.iter_mut().zip(values) {
            column.push(value);
        }
        self.rows += 1;
    }

    fn finish(self) -> PolarsResult<Batch> {
        let height = self.rows;
        let mut columns = vec![self.label.finish().into_column()];
        for (name, types, values) in self.keys {
            columns.push(key_column(&name, &types, values));
        }
        columns.extend([
            self.path.finish().into_column(),
            self.column.finish().into_column(),
            UInt64Chunked::from_vec("count".into(), self.count).into_column(),
        ]);
        let mut top_values = None;
        if let Some(categorical) = self.categorical {
            columns.extend([
                UInt64Chunked::from_iter_options("unique".into(), categorical.unique.into_iter())
                    .into_column(),
                StringChunked::from_iter_options("top".into(), categorical.top.into_iter())
                    .into_column(),
                UInt64Chunked::from_iter_options("freq".into(), categorical.freq.into_iter())
                    .into_column(),
            ]);
            top_values = Some(
                (categorical.top_values.into_iter())
                    .map(|values| values.map(String::from))
                    .collect(),
            );
        }
        for (name, values) in self.stat_names.iter().zip(self.stats) {
            columns.push(
                Float64Chunked::from_iter_options(name.into(), values.into_iter()).into_column(),
            );
        }
        Ok(Batch {
            frame: DataFrame::new(height, columns)?,
            top_values,
        })
    }
}

/// The output names of the `--by` keys: a key's own name, with `by_` put
/// before it while it is taken by a column of the output (`label`, `path`,
/// `column`, `count`, `unique`, `top`, `freq`, the statistics) or by an
/// earlier key: `--by label` gives the column `by_label`.
pub fn key_output_names(by: &[String], stat_names: &[String]) -> Vec<String> {
    let fixed = ["label", "path", "column", "count", "unique", "top", "freq"];
    let mut taken: Vec<String> = fixed.iter().map(|name| name.to_string()).collect();
    taken.extend(stat_names.iter().cloned());
    taken.extend(["threshold", "above_threshold", TOP_VALUES].map(String::from));
    let mut names = Vec::with_capacity(by.len());
    for key in by {
        let mut name = key.clone();
        while taken.contains(&name) {
            name = format!("by_{name}");
        }
        taken.push(name.clone());
        names.push(name);
    }
    names
}

/// A key column of the result: of the key's type when every file gave it
/// the same one, else the text of each value as Python writes it (`5`,
/// `5.0`, `True`), so that no value changes silently.
fn key_column(name: &str, types: &[KeyType], values: Vec<Option<(KeyValue, KeyType)>>) -> Column {
    let name: PlSmallStr = name.into();
    if types.len() != 1 {
        let texts = (values.into_iter())
            .map(|value| value.map(|(value, key_type)| value.to_python_string(key_type)));
        return StringChunked::from_iter_options(name, texts).into_column();
    }
    let values = values
        .into_iter()
        .map(|value| value.map(|(value, _)| value));
    match types {
        [KeyType::Int64] => Int64Chunked::from_iter_options(
            name,
            values.map(|v| match v {
                Some(KeyValue::Int(v)) => Some(v),
                _ => None,
            }),
        )
        .into_column(),
        [KeyType::UInt64] => UInt64Chunked::from_iter_options(
            name,
            values.map(|v| match v {
                Some(KeyValue::UInt(v)) => Some(v),
                _ => None,
            }),
        )
        .into_column(),
        [KeyType::Float64] => Float64Chunked::from_iter_options(
            name,
            values.map(|v| match v {
                Some(KeyValue::Float(v)) => Some(v),
                _ => None,
            }),
        )
        .into_column(),
        [KeyType::Boolean] => BooleanChunked::from_iter_options(
            name,
            values.map(|v| match v {
                Some(KeyValue::Bool(v)) => Some(v),
                _ => None,
            }),
        )
        .into_column(),
        [KeyType::Datetime(unit)] => Int64Chunked::from_iter_options(
            name,
            values.map(|v| match v {
                Some(KeyValue::Datetime(v)) => Some(v),
                _ => None,
            }),
        )
        .into_datetime(polars_unit(*unit), None)
        .into_column(),
        [KeyType::Date] => Int32Chunked::from_iter_options(
            name,
            values.map(|v| match v {
                Some(KeyValue::Date(v)) => Some(v),
                _ => None,
            }),
        )
        .into_date()
        .into_column(),
        [KeyType::Decimal(scale)] => Int128Chunked::from_iter_options(
            name,
            values.map(|v| match v {
                Some(KeyValue::Decimal(v)) => Some(v),
                _ => None,
            }),
        )
        .into_decimal_unchecked(38, usize::from(*scale))
        .into_column(),
        [KeyType::String] | [..] => StringChunked::from_iter_options(
            name,
            values.map(|v| match v {
                Some(KeyValue::Text(v)) => Some(v),
                _ => None,
            }),
        )
        .into_column(),
    }
}

fn polars_unit(unit: TimeUnit) -> polars::prelude::TimeUnit {
    match unit {
        TimeUnit::Nanoseconds => polars::prelude::TimeUnit::Nanoseconds,
        TimeUnit::Microseconds => polars::prelude::TimeUnit::Microseconds,
        TimeUnit::Milliseconds => polars::prelude::TimeUnit::Milliseconds,
    }
}

/// The columns of every result table after `label` and (with `--by`) the
/// key columns.
const RESULT_COLUMNS: [&str; 3] = ["path", "column", "count"];

/// Whether `names` are a result table's columns: `label`, any `--by` keys,
/// then `path`, `column`, `count` (how an earlier run's output found among
/// the inputs is told).
pub fn are_result_columns<S: AsRef<str>>(names: &[S]) -> bool {
    names.first().is_some_and(|first| first.as_ref() == "label")
        && names
            .windows(RESULT_COLUMNS.len())
            .any(|window| window.iter().map(AsRef::as_ref).eq(RESULT_COLUMNS))
}
