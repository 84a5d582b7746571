//! The describe maths: pandas' `describe()` statistics of one numeric column, as Polars expressions.
//!
//! Polars computes, per column: the non-missing count, the mean, the sample
//! standard deviation (ddof = 1), the number of NaN values, and the sorted
//! non-missing values (one sort per column, whatever the number of
//! percentiles). From the sorted values we take min, max and the percentiles
//! with numpy's linear method, step for step as `np.quantile` does it, so the
//! results equal pandas' bit for bit, infinities included.

use polars::prelude::*;

use super::Percentiles;

/// The describe statistics of one column. `None` where pandas shows NaN because
/// the statistic is undefined (no values; std of a single value).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnStats {
    /// Column name, as pandas names it.
    pub column: String,
    /// Values that are not missing.
    pub count: u64,
    pub mean: Option<f64>,
    /// Sample standard deviation (ddof = 1).
    pub std: Option<f64>,
    pub min: Option<f64>,
    /// One value per requested percentile, in [`Percentiles::fractions`] order.
    pub percentiles: Vec<Option<f64>>,
    pub max: Option<f64>,
}

/// The aggregations for the column at `slot` named `name`: count, mean, std,
/// NaN count and sorted values, aliased `{slot}.count` and so on.
pub fn column_exprs(slot: usize, name: &str) -> [Expr; 5] {
    let values = col(name);
    [
        values.clone().count().alias(alias(slot, "count")),
        values.clone().mean().alias(alias(slot, "mean")),
        values.clone().std(1).alias(alias(slot, "std")),
        values.clone().is_nan().sum().alias(alias(slot, "nan")),
        values
            .drop_nulls()
            .sort(SortOptions::default())
            .implode(true)
            .alias(alias(slot, "sorted")),
    ]
}

/// The statistics of the column at `slot` from the one-row frame that the
/// [`column_exprs`] produced, or `Ok(None)` when the column holds NaN values:
/// pandas reads a spelling of NaN that is not one of its missing-value
/// strings ("NAN", say) as text, and leaves such a column out.
///
/// # Errors
/// When the frame lacks the expected columns (a bug, not bad input).
pub fn extract(
    frame: &DataFrame,
    slot: usize,
    name: &str,
    percentiles: &Percentiles,
) -> PolarsResult<Option<ColumnStats>> {
    let scalar =
        |stat: &str| -> PolarsResult<AnyValue<'_>> { frame.column(&alias(slot, stat))?.get(0) };
    let count = u64::try_from(scalar("count")?.extract::<i64>().unwrap_or(0)).unwrap_or(0);
    let nan_count = scalar("nan")?.extract::<i64>().unwrap_or(0);
    if nan_count > 0 {
        return Ok(None);
    }
    let sorted_column = frame.column(&alias(slot, "sorted"))?;
    let sorted_list = sorted_column.list()?.get_as_series(0).unwrap_or_default();
    let sorted = sorted_list.f64()?.rechunk();
    let sorted = sorted.cont_slice()?;
    let defined = |value: Option<f64>, min_count: u64| value.filter(|_| count >= min_count);
    Ok(Some(ColumnStats {
        column: name.to_string(),
        count,
        mean: defined(scalar("mean")?.extract::<f64>(), 1),
        std: defined(scalar("std")?.extract::<f64>(), 2),
        min: sorted.first().copied(),
        percentiles: percentiles
            .fractions()
            .iter()
            .map(|&q| numpy_linear_quantile(sorted, q))
            .collect(),
        max: sorted.last().copied(),
    }))
}

fn alias(slot: usize, stat: &str) -> String {
    format!("{slot}.{stat}")
}

/// `np.quantile(sorted, q, method="linear")` for ascending `sorted`, `None` when empty.
///
/// numpy takes the virtual index `(n - 1) * q`; at or past the last index it
/// uses index -1 for both neighbours (and computes the weight from that -1),
/// otherwise the floor and the next index; then it interpolates with
/// [`numpy_lerp`].
pub fn numpy_linear_quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let virtual_index = last as f64 * q;
    let (previous, next, previous_as_float) = if virtual_index >= last as f64 {
        (last, last, -1.0)
    } else {
        let floor = virtual_index.floor();
        (floor as usize, floor as usize + 1, floor)
    };
    let gamma = virtual_index - previous_as_float;
    Some(numpy_lerp(sorted[previous], sorted[next], gamma))
}

/// numpy's `_lerp`: `a + (b - a) * t`, computed from `b`'s side when `t >= 0.5`.
fn numpy_lerp(a: f64, b: f64, t: f64) -> f64 {
    let difference = b - a;
    if t >= 0.5 {
        b - difference * (1.0 - t)
    } else {
        a + difference * t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(values: &[f64], q: f64) -> f64 {
        numpy_linear_quantile(values, q).unwrap()
    }

    #[test]
    fn interpolates_linearly() {
        let values = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(q(&values, 0.0), 1.0);
        assert_eq!(q(&values, 0.25), 1.75);
        assert_eq!(q(&values, 0.5), 2.5);
        assert_eq!(q(&values, 0.75), 3.25);
        assert_eq!(q(&values, 1.0), 4.0);
        assert_eq!(numpy_linear_quantile(&[], 0.5), None);
        assert_eq!(q(&[7.0], 0.3), 7.0);
    }

    #[test]
    fn infinities_follow_numpy() {
        // np.quantile([-inf, 1.5, inf, inf], [.25, .5, .75]) == [-inf, nan, nan]
        let values = [f64::NEG_INFINITY, 1.5, f64::INFINITY, f64::INFINITY];
        assert_eq!(q(&values, 0.25), f64::NEG_INFINITY);
        assert!(q(&values, 0.5).is_nan());
        assert!(q(&values, 0.75).is_nan());
    }
}
