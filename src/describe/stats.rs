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
//! So the numbers are pandas' to the bit for float columns (integer columns
//! of more than 8,192 rows can differ in the last bit of the mean: numpy sums
//! their float copies in blocks). numpy sorts for the percentiles; the method
//! only needs two order statistics per percentile, so we select those (O(n)
//! each, moving right) instead of sorting the column (O(n log n)).

use super::categorical::Categorical;
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
    // numpy's mean of an integer column casts in buffers of 8,192; its std
    // takes the mean of a float copy, summed whole.
    let whole_mean = pairwise_sum(values, zero_missing) / count as f64;
    let mean = match kind {
        Kind::Float => whole_mean,
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
    let std = (squares / (count as f64 - 1.0)).sqrt();
    let percentiles = match kind {
        Kind::Signed(integers, bits) => int64_quantiles(integers, bits, percentiles.fractions()),
        Kind::Float | Kind::Unsigned => {
            numpy_linear_quantiles(&mut present, percentiles.fractions())
        }
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

/// numpy's pairwise summation (`pairwise_sum` in its umath loops) of
/// `f(value)` over `values`: blocks of up to 128 summed in 8 lanes, halves
/// (cut at a multiple of 8) summed recursively; the same additions in the
/// same order, so the same bits.
pub fn pairwise_sum(values: &[f64], f: impl Fn(f64) -> f64 + Copy) -> f64 {
    let n = values.len();
    if n <= LEAF {
        return leaf_sum(values, f);
    }
    let half = left_half(n);
    pairwise_sum(&values[..half], f) + pairwise_sum(&values[half..], f)
}

/// The most values numpy sums in one block (a leaf of the recursion).
const LEAF: usize = 128;

/// Where numpy cuts `n` values (more than [`LEAF`]): half, down to a multiple of 8.
fn left_half(n: usize) -> usize {
    let half = n / 2;
    half - half % 8
}

/// numpy's sum of one leaf (at most [`LEAF`] values): in order below 8
/// values, else in 8 lanes combined pairwise, then the rest in order.
fn leaf_sum(values: &[f64], f: impl Fn(f64) -> f64 + Copy) -> f64 {
    let n = values.len();
    if n < 8 {
        return values.iter().fold(0.0, |sum, &v| sum + f(v));
    }
    let mut lanes = [0.0f64; 8];
    for (lane, &v) in lanes.iter_mut().zip(values) {
        *lane = f(v);
    }
    let whole = n - n % 8;
    for block in values[8..whole].chunks_exact(8) {
        for (lane, &v) in lanes.iter_mut().zip(block) {
            *lane += f(v);
        }
    }
    let mut sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
        + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    for &v in &values[whole..] {
        sum += f(v);
    }
    sum
}

/// [`pairwise_sum`] of a column that arrives in pieces (a large file read
/// block by block), its length known in advance: the same additions in the
/// same order, so the same bits, holding one leaf and the path to it.
#[derive(Debug, Clone)]
pub struct PairwiseSum {
    /// The nodes above the current leaf: the length of their right half,
    /// and the sum of their left half once it is done.
    path: Vec<(usize, Option<f64>)>,
    leaf: Vec<f64>,
    leaf_len: usize,
    total: Option<f64>,
}

impl PairwiseSum {
    /// A sum of `n` values to come.
    pub fn new(n: usize) -> Self {
        let mut sum = PairwiseSum {
            path: Vec::new(),
            leaf: Vec::with_capacity(LEAF),
            leaf_len: 0,
            total: (n == 0).then_some(0.0),
        };
        sum.descend(n);
        sum
    }

    /// Goes down the left halves of a node of `len` values to its first leaf.
    fn descend(&mut self, mut len: usize) {
        while len > LEAF {
            let half = left_half(len);
            self.path.push((len - half, None));
            len = half;
        }
        self.leaf_len = len;
    }

    /// Adds the next values (already transformed, as `pairwise_sum`'s `f` would).
    pub fn add(&mut self, mut values: &[f64]) {
        while !values.is_empty() {
            let wanted = self.leaf_len - self.leaf.len();
            let (now, later) = values.split_at(wanted.min(values.len()));
            self.leaf.extend_from_slice(now);
            values = later;
            if self.leaf.len() == self.leaf_len {
                let sum = leaf_sum(&self.leaf, |v| v);
                self.leaf.clear();
                self.leaf_done(sum);
            }
        }
    }

    /// Climbs from a finished leaf: a left half waits for its right half,
    /// a right half completes its node.
    fn leaf_done(&mut self, mut sum: f64) {
        loop {
            match self.path.last_mut() {
                None => {
                    self.total = Some(sum);
                    return;
                }
                Some((right, left @ None)) => {
                    *left = Some(sum);
                    let right = *right;
                    self.descend(right);
                    return;
                }
                Some((_, Some(left))) => {
                    // The left half's sum plus the right's, as numpy adds them
                    // (IEEE addition commutes, so the order of operands is free).
                    sum += *left;
                    self.path.pop();
                }
            }
        }
    }

    /// The sum, once all `n` values have been added.
    ///
    /// # Panics
    /// When fewer values were added (a bug of the caller).
    pub fn finish(&self) -> f64 {
        self.total.expect("every value of the sum was added")
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
