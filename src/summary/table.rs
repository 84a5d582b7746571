//! The combined result: one tidy Polars frame, one row per (file, numeric column), in a fixed order.

use polars::prelude::*;

use crate::describe::{FileSummary, Include, Percentiles};

/// The name of the sort key column, dropped before the frame is returned.
const POSITION: &str = "position";
/// The name of the column that says what each `top` is to pandas (see
/// [`crate::describe::categorical::Values`]), taken out of the frame by [`Collector::finish`].
const TOP_VALUES: &str = "top values";

/// The collected rows in order: the tidy frame, and for each row what its
/// `top` is to pandas (text, a boolean, a Python integer:
/// [`crate::describe::categorical::Values::name`]),
/// when text or bool columns are included.
pub struct Table {
    pub frame: DataFrame,
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
    pub fn new(percentiles: &Percentiles, include: Include) -> Self {
        let mut stat_names: Vec<String> = ["mean", "std", "min"].map(String::from).to_vec();
        stat_names.extend(percentiles.names().iter().cloned());
        stat_names.push("max".into());
        Collector {
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
        for (position, column) in summary.columns.iter().enumerate() {
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

    /// The frame: columns `label`, `path`, `column`, `count`, (`unique`,
    /// `top`, `freq` when text or bool columns are included), `mean`, `std`,
    /// `min`, one per percentile, `max`; rows sorted by label, then path, then
    /// the column's position in its file (pandas' order), whatever order the
    /// files finished in.
    ///
    /// # Errors
    /// Never for well-formed rows; Polars errors are passed on.
    pub fn finish(self) -> PolarsResult<Table> {
        let height = self.count.len();
        let mut columns = vec![
            self.label.finish().into_column(),
            self.path.finish().into_column(),
            self.column.finish().into_column(),
            UInt32Chunked::from_vec(POSITION.into(), self.position).into_column(),
            UInt64Chunked::from_vec("count".into(), self.count).into_column(),
        ];
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
        let mut frame = DataFrame::new(height, columns)?
            .sort(["label", "path", POSITION], SortMultipleOptions::default())?;
        frame.drop_in_place(POSITION)?;
        let top_values = match frame.drop_in_place(TOP_VALUES) {
            Ok(column) => Some(column.str()?.iter().map(|v| v.map(String::from)).collect()),
            Err(_) => None,
        };
        Ok(Table { frame, top_values })
    }
}
