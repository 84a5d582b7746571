//! The describe maths: pandas' `describe()` statistics of one numeric column, computed as numpy computes them.
//!
//! pandas 3.1 (without bottleneck) takes the column as float64 with missing
//! values as NaN, and then:
//!
//! - count: the values that are not NaN;
//! - mean: numpy's pairwise sum of the column with NaN read as 0, over count;
//! - std (ddof = 1): the square root of the pairwise sum of squared
//!   deviations from that mean (0 for NaN), over count - 1; no rescaling, so
//!   it overflows to inf where pandas' does;
//! - min, max: ignoring NaN;
//! - percentiles: numpy's linear method on the sorted values, step for step.
//!
//! A float32 column (Parquet, Arrow) is computed partly in float32, as
//! pandas does (`Float32Rules`).
//!
//! So the numbers are pandas' to the bit for float columns (integer columns
//! of more than 8,192 rows can differ in the last bit of the mean: numpy sums
//! their float copies in blocks). numpy sorts for the percentiles; the method
//! only needs two order statistics per percentile, so we select those (O(n)
//! each, moving right) instead of sorting the column (O(n log n)).

use super::categorical::Categorical;
pub use super::pairwise::{pairwise_sum, PairwiseSum};
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
    /// unique, top and freq, for a column that is not numeric (whose
    /// numeric statistics are then all `None`).
    pub categorical: Option<Categorical>,
}

impl ColumnStats {
    /// The row of a column that is not numeric: `count` values, and
    /// `percentiles` statistics that do not apply.
    pub fn categorical(
        name: &str,
        count: u64,
        categorical: Categorical,
        percentiles: &Percentiles,
    ) -> Self {
        ColumnStats {
            column: name.to_string(),
            count,
            mean: None,
            std: None,
            min: None,
            percentiles: vec![None; percentiles.fractions().len()],
            max: None,
            categorical: Some(categorical),
        }
    }
}

/// The type of a column's values, where pandas' arithmetic depends on it.
#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    /// float64 (or not known to be an integer column).
    Float,
    /// float32 (from Parquet or Arrow), which pandas computes in part in
    /// float32 (see [`Float32Rules`]).
    Float32,
    /// uint64: numpy sums the float copies in blocks of 8,192.
    Unsigned,
    /// A signed integer type of `bits` bits (int64 from CSV; int8 to int64
    /// from Parquet), with the exact integers (no missing value): summed in
    /// blocks too, and the percentiles interpolate with differences in that
    /// type, which wrap around as numpy's do.
    Signed(&'a [i64], u32),
}

/// The statistics of the column `name` whose values, in row order, are
/// `values`, missing ones as NaN (a number is never NaN: pandas reads every
/// spelling of NaN as missing or as text), of pandas type `kind`.
pub fn describe_column(
    name: &str,
    values: &[f64],
    percentiles: &Percentiles,
    kind: Kind,
) -> ColumnStats {
    let mut present: Vec<f64> = Vec::with_capacity(values.len());
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for &value in values.iter().filter(|v| !v.is_nan()) {
        present.push(value);
        min = min.min(value);
        max = max.max(value);
    }
    let count = present.len();
    let defined = |value: f64, min_count: usize| (count >= min_count).then_some(value);
    let zero_missing = |v: f64| if v.is_nan() { 0.0 } else { v };
    let float32 = Float32Rules {
        count,
        has_missing: count < values.len(),
    };
    let is_float32 = matches!(kind, Kind::Float32);
    // numpy's mean of an integer column casts in buffers of 8,192; its std
    // takes the mean of a float copy, summed whole.
    let whole_mean = pairwise_sum(values, zero_missing) / float32.count(is_float32);
    let mean = match kind {
        Kind::Float => whole_mean,
        Kind::Float32 => float32.mean(pairwise_sum(values, zero_missing_f32)),
        Kind::Unsigned | Kind::Signed(..) => {
            values
                .chunks(8192)
                .fold(0.0, |sum, block| sum + pairwise_sum(block, zero_missing))
                / count as f64
        }
    };
    let squares = pairwise_sum(values, |v| {
        if v.is_nan() {
            0.0
        } else {
            (whole_mean - v) * (whole_mean - v)
        }
    });
    let std = float32.std(squares, is_float32);
    let percentiles = match kind {
        Kind::Signed(integers, bits) => int64_quantiles(integers, bits, percentiles.fractions()),
        Kind::Float | Kind::Unsigned => {
            numpy_linear_quantiles(&mut present, percentiles.fractions())
        }
        Kind::Float32 => match QuantileRanks::new(count, percentiles.fractions()) {
            None => vec![None; percentiles.fractions().len()],
            Some(needed) => {
                let order_statistics = select_ranks(&mut present, &needed.ranks);
                needed.float32_quantiles(&order_statistics, float32.has_missing)
            }
        },
    };
    ColumnStats {
        column: name.to_string(),
        count: count as u64,
        mean: defined(mean, 1),
        std: defined(std, 2),
        min: defined(min, 1),
        percentiles,
        max: defined(max, 1),
        categorical: None,
    }
}

/// A float32 value of a float64 column (NaN, missing, as 0), as numpy sums it.
pub fn zero_missing_f32(value: f64) -> f32 {
    if value.is_nan() {
        0.0
    } else {
        value as f32
    }
}

/// What pandas 3.1 does in float32 for a float32 column (`nanops`,
/// `array_algos/quantile.py`; checked against pandas on random columns):
///
/// - mean: the float32 pairwise sum over the count as float32, in float32;
/// - std: the variance in float64 (the float64 sum over the count as
///   float32, the squared deviations summed in float64, over the count
///   less 1 in float32), then cast to float32 and its root taken there;
/// - percentiles: numpy's linear method with `b - a` in float32, the
///   result cast to float32 when the column has a missing value (pandas
///   then collects each result in the column's type).
#[derive(Debug, Clone, Copy)]
pub struct Float32Rules {
    /// The values present.
    pub count: usize,
    /// Whether a value is missing.
    pub has_missing: bool,
}

impl Float32Rules {
    /// The count as the mean of a float64 copy divides by it: float32's for
    /// a float32 column.
    pub fn count(&self, is_float32: bool) -> f64 {
        if is_float32 {
            f64::from(self.count as f32)
        } else {
            self.count as f64
        }
    }

    /// The mean, from the float32 pairwise sum.
    pub fn mean(&self, sum: f32) -> f64 {
        f64::from(sum / self.count as f32)
    }

    /// The standard deviation (ddof 1) from the sum of squared deviations.
    pub fn std(&self, squares: f64, is_float32: bool) -> f64 {
        if is_float32 {
            let variance = squares / f64::from(self.count as f32 - 1.0);
            f64::from((variance as f32).sqrt())
        } else {
            (squares / (self.count as f64 - 1.0)).sqrt()
        }
    }
}

/// numpy's linear quantiles of an int64 column: order statistics of the
/// integers, and the difference `b - a` taken in int64 (wrapping, as numpy's
/// does) before it is interpolated in float64.
fn int64_quantiles(integers: &[i64], bits: u32, qs: &[f64]) -> Vec<Option<f64>> {
    let Some(needed) = QuantileRanks::new(integers.len(), qs) else {
        return vec![None; qs.len()];
    };
    let mut sorted = integers.to_vec();
    sorted.sort_unstable();
    let order_statistics: Vec<i64> = needed.ranks.iter().map(|&rank| sorted[rank]).collect();
    needed.int64_quantiles(&order_statistics, bits)
}

/// What numpy's linear method needs of `count` values for the quantiles
/// `qs`: the two neighbours (ranks in sorted order) and the weight of each
/// quantile, and the distinct ranks among them, ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantileRanks {
    positions: Vec<(usize, usize, f64)>,
    /// The ranks whose order statistics are needed, ascending, each once.
    pub ranks: Vec<usize>,
}

impl QuantileRanks {
    /// `None` when there are no values (every quantile undefined).
    pub fn new(count: usize, qs: &[f64]) -> Option<QuantileRanks> {
        let last = count.checked_sub(1)?;
        let positions: Vec<(usize, usize, f64)> =
            qs.iter().map(|&q| virtual_neighbours(last, q)).collect();
        let mut ranks: Vec<usize> = positions.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        ranks.sort_unstable();
        ranks.dedup();
        Some(QuantileRanks { positions, ranks })
    }

    /// The quantiles of a float column from the order statistics at [`Self::ranks`].
    pub fn float_quantiles(&self, order_statistics: &[f64]) -> Vec<Option<f64>> {
        let at = |rank: usize| order_statistics[self.index_of(rank)];
        self.positions
            .iter()
            .map(|&(previous, next, gamma)| Some(numpy_lerp(at(previous), at(next), gamma)))
            .collect()
    }

    /// The quantiles of a float32 column from its order statistics (see
    /// [`Float32Rules`]): `b - a` in float32, interpolated in float64, cast
    /// to float32 when `has_missing`.
    pub fn float32_quantiles(
        &self,
        order_statistics: &[f64],
        has_missing: bool,
    ) -> Vec<Option<f64>> {
        let at = |rank: usize| order_statistics[self.index_of(rank)];
        self.positions
            .iter()
            .map(|&(previous, next, gamma)| {
                let (a, b) = (at(previous), at(next));
                let difference = f64::from(b as f32 - a as f32);
                let value = if gamma >= 0.5 {
                    b - difference * (1.0 - gamma)
                } else {
                    a + difference * gamma
                };
                Some(if has_missing {
                    f64::from(value as f32)
                } else {
                    value
                })
            })
            .collect()
    }

    /// The quantiles of a signed integer column of `bits` bits from its
    /// order statistics: `b - a` in that type (wrapping, as numpy's does),
    /// interpolated in float64.
    pub fn int64_quantiles(&self, order_statistics: &[i64], bits: u32) -> Vec<Option<f64>> {
        let at = |rank: usize| order_statistics[self.index_of(rank)];
        self.positions
            .iter()
            .map(|&(previous, next, gamma)| {
                let (a, b) = (at(previous), at(next));
                // Wrapped to `bits`: shifted up and back down with the sign.
                let unused = 64 - bits;
                let difference = ((b.wrapping_sub(a) << unused) >> unused) as f64;
                Some(if gamma >= 0.5 {
                    b as f64 - difference * (1.0 - gamma)
                } else {
                    a as f64 + difference * gamma
                })
            })
            .collect()
    }

    fn index_of(&self, rank: usize) -> usize {
        self.ranks.binary_search(&rank).expect("a needed rank")
    }
}

/// numpy's neighbours of the virtual index `(n - 1) q` and the weight of
/// the second: at or past the last index, index -1 for both (and the weight
/// computed from that -1); otherwise the floor and the next index.
fn virtual_neighbours(last: usize, q: f64) -> (usize, usize, f64) {
    let virtual_index = last as f64 * q;
    if virtual_index >= last as f64 {
        (last, last, virtual_index + 1.0)
    } else {
        let floor = virtual_index.floor();
        (floor as usize, floor as usize + 1, virtual_index - floor)
    }
}

/// `np.quantile(values, q, method="linear")` for each of the ascending `qs`,
/// `None` when there are no values. Reorders `values`.
///
/// numpy takes the virtual index `(n - 1) * q`; at or past the last index it
/// uses index -1 for both neighbours (and computes the weight from that -1),
/// otherwise the floor and the next index; then it interpolates with
/// [`numpy_lerp`] between those two order statistics.
pub fn numpy_linear_quantiles(values: &mut [f64], qs: &[f64]) -> Vec<Option<f64>> {
    let Some(needed) = QuantileRanks::new(values.len(), qs) else {
        return vec![None; qs.len()];
    };
    let order_statistics = select_ranks(values, &needed.ranks);
    needed.float_quantiles(&order_statistics)
}

/// The values at ascending `ranks` of `values` in sorted order (by
/// `f64::total_cmp`), found by successive selection; reorders `values`.
pub fn select_ranks(values: &mut [f64], ranks: &[usize]) -> Vec<f64> {
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

    fn stats(values: &[f64]) -> ColumnStats {
        describe_column("x", values, &Percentiles::default(), Kind::Float)
    }

    #[test]
    fn float32_columns_follow_pandas_float32_rules() {
        // pandas 3.1.1: pd.Series(np.array(VALUES, dtype=np.float32)).describe()
        let stats = |values: &[f32]| {
            let widened: Vec<f64> = values.iter().map(|&v| f64::from(v)).collect();
            let s = describe_column("x", &widened, &Percentiles::default(), Kind::Float32);
            let mut all = vec![s.mean, s.std, s.min];
            all.extend(s.percentiles);
            all.push(s.max);
            all.into_iter().map(Option::unwrap).collect::<Vec<f64>>()
        };
        assert_eq!(
            stats(&[1.1, 2.2, f32::NAN, 3.3, 1e7]),
            [
                2500001.75,
                4999999.0,
                1.100000023841858,
                1.9250000715255737,
                2.75,
                2500002.5,
                10000000.0
            ]
        );
        assert_eq!(
            stats(&[0.1, 0.7, 0.3]),
            [
                0.36666667461395264,
                0.30550503730773926,
                0.10000000149011612,
                0.20000000298023224,
                0.30000001192092896,
                0.5,
                0.699999988079071
            ]
        );
    }

    #[test]
    fn int64_columns_interpolate_with_wrapping_differences() {
        // pandas 3.1.1, `a\n9223372036854775807\n-9223372036854775808\n`:
        // 25% -9.223372036854776e18, 50% and 75% 9.223372036854776e18.
        let integers = [i64::MAX, i64::MIN];
        let values = integers.map(|i| i as f64);
        let s = describe_column(
            "a",
            &values,
            &Percentiles::default(),
            Kind::Signed(&integers, 64),
        );
        assert_eq!(
            s.percentiles,
            [
                Some(-9.223372036854776e18),
                Some(9.223372036854776e18),
                Some(9.223372036854776e18)
            ]
        );
        assert_eq!(s.mean, Some(0.0));
    }

    #[test]
    fn overflow_as_pandas_gives_it() {
        // pandas 3.1.1: describe() of each column.
        let s = stats(&[1.7e308, 1.7e308]);
        assert_eq!((s.mean, s.std), (Some(f64::INFINITY), Some(f64::INFINITY)));
        let s = stats(&[1.7e308, -1.7e308]);
        assert_eq!((s.mean, s.std), (Some(0.0), Some(f64::INFINITY)));
        assert_eq!(
            s.percentiles,
            [
                Some(f64::INFINITY),
                Some(f64::NEG_INFINITY),
                Some(f64::NEG_INFINITY)
            ]
        );
        assert_eq!(stats(&[1e155, 0.0]).std, Some(f64::INFINITY));
        let s = stats(&[f64::INFINITY, 1.0]);
        assert!(s.std.unwrap().is_nan() && s.mean == Some(f64::INFINITY));
    }

    #[test]
    fn missing_values_count_as_zero_in_the_sums_like_numpy() {
        let s = stats(&[1.0, f64::NAN, 3.0]);
        assert_eq!((s.count, s.mean, s.std), (2, Some(2.0), Some(2f64.sqrt())));
        let s = stats(&[f64::NAN]);
        assert_eq!((s.count, s.mean, s.std, s.min), (0, None, None, None));
        assert_eq!(stats(&[4.0]).std, None);
    }

    #[test]
    fn pairwise_sums_follow_numpys_order() {
        // 0.1 summed 1000 times: numpy 2.4's np.sum gives 100.00000000000001
        // (a plain loop gives 99.9999999999986).
        let values = vec![0.1; 1000];
        assert_eq!(pairwise_sum(&values, |v| v), 100.00000000000001);
        let short: Vec<f64> = (1..=7).map(|i| i as f64 / 3.0).collect();
        assert_eq!(
            pairwise_sum(&short, |v| v),
            short.iter().fold(0.0, |a, b| a + b)
        );
    }

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
