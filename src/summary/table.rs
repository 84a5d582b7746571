//! The combined result: one tidy Polars frame, one row per (file, numeric column), in a fixed order.

use polars::prelude::*;

use crate::describe::{FileSummary, Percentiles};

/// The fixed leading columns of the result.
pub const KEY_COLUMNS: [&str; 3] = ["label", "path", "column"];

/// Builds the result frame from `summaries`: columns `label`, `path`,
/// `column`, `count`, `mean`, `std`, `min`, one per percentile, `max`; rows
/// sorted by label, then column, then path, whatever order the files finished in.
///
/// # Errors
/// Never for well-formed summaries; Polars errors are passed on.
pub fn build(summaries: &[FileSummary], percentiles: &Percentiles) -> PolarsResult<DataFrame> {
    let mut rows: Vec<(&FileSummary, usize)> = summaries
        .iter()
        .flat_map(|summary| (0..summary.columns.len()).map(move |i| (summary, i)))
        .collect();
    rows.sort_by(|(a, i), (b, j)| {
        (&a.label, &a.columns[*i].column, &a.path).cmp(&(&b.label, &b.columns[*j].column, &b.path))
    });

    let text = |name: &str, value: &dyn Fn(&FileSummary, usize) -> String| {
        let values: Vec<String> = rows.iter().map(|(s, i)| value(s, *i)).collect();
        Column::new(name.into(), values)
    };
    let float = |name: &str, value: &dyn Fn(&FileSummary, usize) -> Option<f64>| {
        let values: Vec<Option<f64>> = rows.iter().map(|(s, i)| value(s, *i)).collect();
        Column::new(name.into(), values)
    };

    let mut columns = vec![
        text("label", &|s, _| s.label.clone()),
        text("path", &|s, _| s.path.display().to_string()),
        text("column", &|s, i| s.columns[i].column.clone()),
        Column::new(
            "count".into(),
            rows.iter()
                .map(|(s, i)| s.columns[*i].count)
                .collect::<Vec<u64>>(),
        ),
        float("mean", &|s, i| s.columns[i].mean),
        float("std", &|s, i| s.columns[i].std),
        float("min", &|s, i| s.columns[i].min),
    ];
    for (p, name) in percentiles.names().iter().enumerate() {
        columns.push(float(name, &|s, i| s.columns[i].percentiles[p]));
    }
    columns.push(float("max", &|s, i| s.columns[i].max));
    DataFrame::new(rows.len(), columns)
}
