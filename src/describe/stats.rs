//! The describe maths: pandas' `describe()` statistics of one numeric column, as Polars expressions.
//!
//! Polars computes, per column: the non-missing count, the mean, the sample
//! standard deviation (ddof = 1), min, max and the number of NaN values. The percentiles follow numpy's linear method
//! step for step, as `np.quantile` does it, so they equal pandas' bit for bit,
//! infinities included. numpy sorts; the method only needs two order statistics
//! per percentile, so we select those (O(n) each, moving right) instead of
//! sorting the column (O(n log n)): a quarter of the time per file.

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
/// min, max and NaN count, aliased `{slot}.count` and so on.
pub fn column_exprs(slot: usize, name: &str) -> [Expr; 6] {
    let values = col(name);
    [
        values.clone().count().alias(alias(slot, "count")),
        values.clone().mean().alias(alias(slot, "mean")),
        values.clone().std(1).alias(alias(slot, "std")),
        values.clone().min().alias(alias(slot, "min")),
        values.clone().max().alias(alias(slot, "max")),
        values.is_nan().sum().alias(alias(slot, "nan")),
    ]
}

/// The statistics of the column at `slot` (named `name` in the frames,
/// `pandas_name` in the file), from the one-row `aggregates` that
/// the [`column_exprs`] produced and the `parsed` values, or `Ok(None)` when
/// the column holds NaN values:
/// pandas reads a spelling of NaN that is not one of its missing-value
/// strings ("NAN", say) as text, and leaves such a column out.
///
/// # Errors
/// When the frame lacks the expected columns (a bug, not bad input).
pub fn extract(
    aggregates: &DataFrame,
    parsed: &DataFrame,
    slot: usize,
    name: &str,
    pandas_name: &str,
    percentiles: &Percentiles,
) -> PolarsResult<Option<ColumnStats>> {
    let scalar = |stat: &str| -> PolarsResult<AnyValue<'_>> {
        aggregates.column(&alias(slot, stat))?.get(0)
    };
    let count = u64::try_from(scalar("count")?.extract::<i64>().unwrap_or(0)).unwrap_or(0);
    let nan_count = scalar("nan")?.extract::<i64>().unwrap_or(0);
    if nan_count > 0 {
        return Ok(None);
    }
    let mut values = non_missing_values(parsed.column(name)?)?;
    let defined = |value: Option<f64>, min_count: u64| value.filter(|_| count >= min_count);
    Ok(Some(ColumnStats {
        column: pandas_name.to_string(),
        count,
        mean: defined(scalar("mean")?.extract::<f64>(), 1),
        std: defined(scalar("std")?.extract::<f64>(), 2),
        min: defined(scalar("min")?.extract::<f64>(), 1),
        percentiles: numpy_linear_quantiles(&mut values, percentiles.fractions()),
        max: defined(scalar("max")?.extract::<f64>(), 1),
    }))
}

/// A column's non-missing values, copied into one buffer that selection can reorder.
fn non_missing_values(column: &Column) -> PolarsResult<Vec<f64>> {
    let values = column.as_materialized_series().f64()?;
    let mut copy = Vec::with_capacity(values.len() - values.null_count());
    for chunk in values.downcast_iter() {
        match chunk.validity() {
            None => copy.extend_from_slice(chunk.values()),
            Some(_) => copy.extend(chunk.iter().flatten().copied()),
        }
    }
    Ok(copy)
}

fn alias(slot: usize, stat: &str) -> String {
    format!("{slot}.{stat}")
}

/// `np.quantile(values, q, method="linear")` for each of the ascending `qs`,
/// `None` when there are no values. Reorders `values`.
///
/// numpy takes the virtual index `(n - 1) * q`; at or past the last index it
/// uses index -1 for both neighbours (and computes the weight from that -1),
/// otherwise the floor and the next index; then it interpolates with
/// [`numpy_lerp`] between those two order statistics.
pub fn numpy_linear_quantiles(values: &mut [f64], qs: &[f64]) -> Vec<Option<f64>> {
    let Some(last) = values.len().checked_sub(1) else {
        return vec![None; qs.len()];
    };
    let positions: Vec<(usize, usize, f64)> = qs
        .iter()
        .map(|&q| {
            let virtual_index = last as f64 * q;
            if virtual_index >= last as f64 {
                (last, last, virtual_index + 1.0)
            } else {
                let floor = virtual_index.floor();
                (floor as usize, floor as usize + 1, virtual_index - floor)
            }
        })
        .collect();
    let mut ranks: Vec<usize> = positions.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    ranks.sort_unstable();
    ranks.dedup();
    let order_statistics = select_ranks(values, &ranks);
    let at = |rank: usize| order_statistics[ranks.binary_search(&rank).expect("selected rank")];
    positions
        .iter()
        .map(|&(previous, next, gamma)| Some(numpy_lerp(at(previous), at(next), gamma)))
        .collect()
}

/// The values at ascending `ranks` of `values` in sorted order (by
/// `f64::total_cmp`), found by successive selection; reorders `values`.
fn select_ranks(values: &mut [f64], ranks: &[usize]) -> Vec<f64> {
    let mut start = 0;
    ranks
        .iter()
        .map(|&rank| {
            let (_, value, _) =
                values[start..].select_nth_unstable_by(rank - start, f64::total_cmp);
            let value = *value;
            start = rank + 1;
            value
        })
        .collect()
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
        numpy_linear_quantiles(&mut values.to_vec(), &[q])[0].unwrap()
    }

    #[test]
    fn interpolates_linearly() {
        let values = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(q(&values, 0.0), 1.0);
        assert_eq!(q(&values, 0.25), 1.75);
        assert_eq!(q(&values, 0.5), 2.5);
        assert_eq!(q(&values, 0.75), 3.25);
        assert_eq!(q(&values, 1.0), 4.0);
        assert_eq!(numpy_linear_quantiles(&mut [], &[0.5]), [None]);
        assert_eq!(q(&[7.0], 0.3), 7.0);
    }

    #[test]
    fn selection_equals_sorting() {
        // A scrambled column with repeats; every percentile against the sorted definition.
        let mut values: Vec<f64> = (0..997).map(|i| ((i * 7919) % 613) as f64 / 7.0).collect();
        let qs: Vec<f64> = (0..=40).map(|i| i as f64 / 40.0).collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let expected: Vec<Option<f64>> = qs
            .iter()
            .map(|&q| {
                let index = (sorted.len() - 1) as f64 * q;
                let (lo, hi) = (
                    index.floor() as usize,
                    (index.ceil() as usize).min(sorted.len() - 1),
                );
                Some(numpy_lerp(sorted[lo], sorted[hi], index - index.floor()))
            })
            .collect();
        assert_eq!(numpy_linear_quantiles(&mut values, &qs), expected);
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
