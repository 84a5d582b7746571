//! numpy's linear quantiles (`np.quantile(method="linear")`), step for step: the two order statistics around each virtual index, selected rather than sorted, and numpy's `_lerp` between them, with the difference taken in the column's own type.

/// numpy's linear quantiles of an int64 column: order statistics of the
/// integers, and the difference `b - a` taken in int64 (wrapping, as numpy's
/// does) before it is interpolated in float64.
pub(super) fn int64_quantiles(integers: &[i64], bits: u32, qs: &[f64]) -> Vec<Option<f64>> {
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

    /// The quantiles of a float32 or float16 column from its order
    /// statistics (see [`super::stats::Narrow`]): `b - a` in that type,
    /// interpolated in float64, cast to that type when `has_missing`.
    pub fn narrow_quantiles(
        &self,
        order_statistics: &[f64],
        has_missing: bool,
        narrow: super::stats::Narrow,
    ) -> Vec<Option<f64>> {
        let at = |rank: usize| order_statistics[self.index_of(rank)];
        self.positions
            .iter()
            .map(|&(previous, next, gamma)| {
                let (a, b) = (at(previous), at(next));
                let difference = narrow.difference(a, b);
                let value = if gamma >= 0.5 {
                    b - difference * (1.0 - gamma)
                } else {
                    a + difference * gamma
                };
                Some(if has_missing {
                    narrow.cast(value)
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
