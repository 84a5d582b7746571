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
//! A float32 column (Parquet, Arrow) is computed partly in float32, and a
//! float16 one partly in float16, as pandas does (`Float32Rules`,
//! `Float16Rules`).
//!
//! So the numbers are pandas' to the bit for float columns (integer columns
//! of more than 8,192 rows can differ in the last bit of the mean: numpy sums
//! their float copies in blocks). numpy sorts for the percentiles; the method
//! only needs two order statistics per percentile, so we select those (O(n)
//! each, moving right) instead of sorting the column (O(n log n)).

use super::categorical::Categorical;
pub use super::pairwise::{pairwise_sum, PairwiseSum};
pub use super::quantiles::QuantileRanks;
use super::quantiles::{int64_quantiles, numpy_linear_quantiles, select_ranks};
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

    /// The same row in a frame that describes numbers too (see
    /// [`Categorical::beside_numbers`]).
    pub fn beside_numbers(mut self) -> Self {
        self.categorical = self.categorical.map(Categorical::beside_numbers);
        self
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
    /// float16 (from Parquet or Arrow), which pandas computes in part in
    /// float16 (see [`Float16Rules`]).
    Float16,
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
    let blocked_sum =
        || (values.chunks(8192)).fold(0.0, |sum, block| sum + pairwise_sum(block, zero_missing));
    let float16 = Float16Rules {
        count,
        has_missing: count < values.len(),
    };
    let mean = match kind {
        Kind::Float => whole_mean,
        Kind::Float32 => float32.mean(pairwise_sum(values, zero_missing_f32)),
        Kind::Unsigned | Kind::Signed(..) | Kind::Float16 => blocked_sum() / count as f64,
    };
    let deviations_from = |mean: f64| {
        pairwise_sum(values, |v| {
            if v.is_nan() {
                0.0
            } else {
                (mean - v) * (mean - v)
            }
        })
    };
    let std = match kind {
        Kind::Float16 => {
            let sum = blocked_sum();
            float16.std(deviations_from(float16.mean_for_std(sum)))
        }
        _ => float32.std(deviations_from(whole_mean), is_float32),
    };
    let percentiles = match kind {
        Kind::Signed(integers, bits) => int64_quantiles(integers, bits, percentiles.fractions()),
        Kind::Float | Kind::Unsigned => {
            numpy_linear_quantiles(&mut present, percentiles.fractions())
        }
        Kind::Float32 | Kind::Float16 => {
            let narrow = if is_float32 { Narrow::F32 } else { Narrow::F16 };
            match QuantileRanks::new(count, percentiles.fractions()) {
                None => vec![None; percentiles.fractions().len()],
                Some(needed) => {
                    let order_statistics = select_ranks(&mut present, &needed.ranks);
                    needed.narrow_quantiles(&order_statistics, float32.has_missing, narrow)
                }
            }
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

/// A float type narrower than float64, in which numpy computes parts of
/// pandas' statistics of a column of that type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Narrow {
    F32,
    F16,
}

impl Narrow {
    /// numpy's `b - a` of two values of this type (float16: computed in
    /// float32, then rounded, as numpy's half arithmetic does).
    pub fn difference(self, a: f64, b: f64) -> f64 {
        match self {
            Narrow::F32 => f64::from(b as f32 - a as f32),
            Narrow::F16 => half::f16::from_f32(b as f32 - a as f32).to_f64(),
        }
    }

    /// `value` cast to this type (rounded to nearest, as numpy casts).
    pub fn cast(self, value: f64) -> f64 {
        match self {
            Narrow::F32 => f64::from(value as f32),
            Narrow::F16 => half::f16::from_f64(value).to_f64(),
        }
    }
}

/// What pandas 3.1 does for a float16 column (`nanops`; checked against
/// pandas on random columns, with and without missing values, past 65,504
/// values):
///
/// - mean: float16's sum and count upcast to float64 (pandas GH#43929):
///   numpy's float64 sum of the float16 values, cast in buffers of 8,192,
///   over the count;
/// - std: the variance in float64 over a count in float16 (the float64 sum
///   over the count as float16, the squared deviations summed in float64,
///   over the count less 1 in float16: past 65,504 values the count is
///   inf), cast to float16, its root taken in float16;
/// - percentiles: numpy's linear method with `b - a` in float16, cast to
///   float16 when the column has a missing value (as for float32).
#[derive(Debug, Clone, Copy)]
pub struct Float16Rules {
    /// The values present.
    pub count: usize,
    /// Whether a value is missing.
    pub has_missing: bool,
}

impl Float16Rules {
    fn count16(&self) -> half::f16 {
        half::f16::from_f64(self.count as f64)
    }

    /// The mean the deviations are taken from: the (blocked) float64 `sum`
    /// over the count as float16.
    pub fn mean_for_std(&self, sum: f64) -> f64 {
        sum / self.count16().to_f64()
    }

    /// The standard deviation (ddof 1) from the sum of squared deviations.
    pub fn std(&self, squares: f64) -> f64 {
        let less_one = half::f16::from_f32(self.count16().to_f32() - 1.0);
        let variance = half::f16::from_f64(squares / less_one.to_f64());
        half::f16::from_f32(variance.to_f32().sqrt()).to_f64()
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
}
