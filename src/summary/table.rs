//! The combined result: one tidy Polars frame, one row per (file, numeric column), in a fixed order.

use polars::prelude::*;

use crate::describe::groups::{KeyType, KeyValue};
use crate::describe::{FileSummary, Include, Percentiles};

/// The names of the sort key columns, dropped before the frame is returned
/// (names no key column can have: they start with a NUL).
const POSITION: &str = "\0position";
const GROUP: &str = "\0group";
/// The name of the column that says what each `top` is to pandas (see
/// [`crate::describe::categorical::Values`]), taken out of the frame by [`Collector::finish`].
const TOP_VALUES: &str = "top values";

/// The collected rows in order: the tidy frame, and for each row what its
/// `top` is to pandas (text, a boolean, a Python integer:
/// [`crate::describe::categorical::Values::name`]),
/// when text or bool columns are included.
pub struct Table {
    pub frame: DataFrame,
    /// The names of the `--by` key columns in `frame`.
    pub key_columns: Vec<String>,
    pub top_values: Option<Vec<Option<String>>>,
}

/// The result's columns, filled one file at a time as results arrive.
///
/// Rows go straight into column builders (about a hundred bytes per row), so
/// memory grows by little more than the output itself, however many files.
pub struct Collector {
    label: StringChunkedBuilder,
    path: StringChunkedBuilder,
    column: StringChunkedBuilder,
    /// Each row's column position in its file (for the order; not written).
    position: Vec<u32>,
    count: Vec<u64>,
    /// unique, top and freq, when text or bool columns are included.
    categorical: Option<CategoricalColumns>,
    /// mean, std, min, one per percentile, max; each a column of values.
    stats: Vec<Vec<Option<f64>>>,
    /// Their column names, in the same order.
    stat_names: Vec<String>,
    /// With `--by`: each key column's values, one per row, and each row's
    /// group in its file (for the order).
    keys: Vec<KeyValues>,
    group: Vec<u32>,
}

/// One `--by` key column of the result.
struct KeyValues {
    /// Its name in the output (see [`key_output_names`]).
    name: String,
    values: Vec<Option<KeyValue>>,
    /// The types the files gave it.
    types: Vec<KeyType>,
}

/// pandas' statistics of columns that are not numeric, one entry per row.
#[derive(Default)]
struct CategoricalColumns {
    unique: Vec<Option<u64>>,
    top: Vec<Option<String>>,
    freq: Vec<Option<u64>>,
    top_values: Vec<Option<&'static str>>,
}

impl Collector {
    /// An empty result with the columns for `percentiles`, and pandas'
    /// `unique`, `top` and `freq` if `include` selects columns that are not
    /// numeric.
    pub fn new(percentiles: &Percentiles, include: Include, by: &[String]) -> Self {
        let mut stat_names: Vec<String> = ["mean", "std", "min"].map(String::from).to_vec();
        stat_names.extend(percentiles.names().iter().cloned());
        stat_names.push("max".into());
        let keys = key_output_names(by, &stat_names)
            .into_iter()
            .map(|name| KeyValues {
                name,
                values: Vec::new(),
                types: Vec::new(),
            })
            .collect();
        Collector {
            keys,
            group: Vec::new(),
            label: StringChunkedBuilder::new("label".into(), 0),
            path: StringChunkedBuilder::new("path".into(), 0),
            column: StringChunkedBuilder::new("column".into(), 0),
            position: Vec::new(),
            count: Vec::new(),
            categorical: include.categorical().then(CategoricalColumns::default),
            stats: vec![Vec::new(); stat_names.len()],
            stat_names,
        }
    }

    /// Appends one row per numeric column of `summary`.
    pub fn add(&mut self, summary: &FileSummary) {
        let path = crate::sources::display_path(&summary.path);
        if let Some(groups) = &summary.groups {
            for (key, column) in self.keys.iter_mut().zip(&groups.keys) {
                if !key.types.contains(&column.key_type) {
                    key.types.push(column.key_type);
                }
            }
        }
        for (entry, column) in summary.columns.iter().enumerate() {
            let group = (summary.groups.as_ref()).map(|groups| groups.of_entry[entry]);
            for (index, key) in self.keys.iter_mut().enumerate() {
                let value = group.and_then(|group| {
                    let groups = summary.groups.as_ref()?;
                    groups.values[group as usize].get(index).cloned()
                });
                key.values.push(value);
            }
            self.group.push(group.unwrap_or(0));
            // The column's position in its file: entries repeat the
            // columns group after group.
            let position = match &summary.groups {
                Some(groups) => entry - first_entry_of(&groups.of_entry, entry),
                None => entry,
            };
            self.label.append_value(&summary.label);
            self.path.append_value(&path);
            self.column.append_value(&column.column);
            self.position
                .push(u32::try_from(position).unwrap_or(u32::MAX));
            self.count.push(column.count);
            if let Some(categorical) = &mut self.categorical {
                let stats = column.categorical.as_ref();
                categorical.unique.push(stats.map(|s| s.unique));
                categorical.top.push(stats.and_then(|s| s.top.clone()));
                categorical.freq.push(stats.and_then(|s| s.freq));
                (categorical.top_values)
                    .push(stats.filter(|s| s.top.is_some()).map(|s| s.values.name()));
            }
            let values = [column.mean, column.std, column.min]
                .into_iter()
                .chain(column.percentiles.iter().copied())
                .chain([column.max]);
            for (stat, value) in self.stats.iter_mut().zip(values) {
                stat.push(value);
            }
        }
    }

    /// The frame: columns `label`, (one per `--by` key), `path`, `column`, `count`, (`unique`,
    /// `top`, `freq` when text or bool columns are included), `mean`, `std`,
    /// `min`, one per percentile, `max`; rows sorted by label, then path, then
    /// the column's position in its file (pandas' order), whatever order the
    /// files finished in.
    ///
    /// # Errors
    /// Never for well-formed rows; Polars errors are passed on.
    pub fn finish(self) -> PolarsResult<Table> {
        let height = self.count.len();
        let mut columns = vec![self.label.finish().into_column()];
        let key_columns: Vec<String> = self.keys.iter().map(|key| key.name.clone()).collect();
        for key in self.keys {
            columns.push(key_column(key)?);
        }
        columns.extend([
            self.path.finish().into_column(),
            self.column.finish().into_column(),
            UInt32Chunked::from_vec(GROUP.into(), self.group).into_column(),
            UInt32Chunked::from_vec(POSITION.into(), self.position).into_column(),
            UInt64Chunked::from_vec("count".into(), self.count).into_column(),
        ]);
        if let Some(categorical) = self.categorical {
            columns.extend([
                UInt64Chunked::from_iter_options("unique".into(), categorical.unique.into_iter())
                    .into_column(),
                StringChunked::from_iter_options("top".into(), categorical.top.into_iter())
                    .into_column(),
                UInt64Chunked::from_iter_options("freq".into(), categorical.freq.into_iter())
                    .into_column(),
                StringChunked::from_iter_options(
                    TOP_VALUES.into(),
                    categorical.top_values.into_iter(),
                )
                .into_column(),
            ]);
        }
        for (name, values) in self.stat_names.iter().zip(self.stats) {
            columns.push(
                Float64Chunked::from_iter_options(name.into(), values.into_iter()).into_column(),
            );
        }
        let mut frame = DataFrame::new(height, columns)?.sort(
            ["label", "path", GROUP, POSITION],
            SortMultipleOptions::default(),
        )?;
        frame.drop_in_place(POSITION)?;
        frame.drop_in_place(GROUP)?;
        let top_values = match frame.drop_in_place(TOP_VALUES) {
            Ok(column) => Some(column.str()?.iter().map(|v| v.map(String::from)).collect()),
            Err(_) => None,
        };
        Ok(Table {
            frame,
            key_columns,
            top_values,
        })
    }
}

/// The index of the first entry of `entry`'s group (entries of a group are
/// consecutive).
fn first_entry_of(of_entry: &[u32], entry: usize) -> usize {
    let group = of_entry[entry];
    of_entry[..entry]
        .iter()
        .rposition(|&g| g != group)
        .map_or(0, |before| before + 1)
}

/// The output names of the `--by` keys: a key's own name, with `by_` put
/// before it while it is taken by a column of the output (`label`, `path`,
/// `column`, `count`, `unique`, `top`, `freq`, the statistics) or by an
/// earlier key: `--by label` gives the column `by_label`.
pub fn key_output_names(by: &[String], stat_names: &[String]) -> Vec<String> {
    let fixed = ["label", "path", "column", "count", "unique", "top", "freq"];
    let mut taken: Vec<String> = fixed.iter().map(|name| name.to_string()).collect();
    taken.extend(stat_names.iter().cloned());
    taken.extend(["threshold", "above_threshold"].map(String::from));
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
fn key_column(key: KeyValues) -> PolarsResult<Column> {
    let name: PlSmallStr = key.name.as_str().into();
    let values = key.values.into_iter();
    let column = match key.types[..] {
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
        _ => {
            StringChunked::from_iter_options(name, values.map(|v| v.map(|v| v.to_python_string())))
                .into_column()
        }
    };
    Ok(column)
}
