//! Whether the repeated times of one row agree: their spread around the median, and their outliers by hyperfine's rule.
//!
//! A row is to be distrusted when its spread, (max − min) / median, is above
//! [`WIDE_SPREAD`]. Outliers are counted as hyperfine counts them (the
//! modified Z-score of Iglewicz and Hoaglin, 1993): a run further from the
//! median than 10 standard deviations, the standard deviation estimated
//! robustly as 1.4826 × the median absolute deviation (MAD). hyperfine's 10
//! rather than the textbook 3.5 because with 3 to 5 runs the MAD rests on one
//! or two gaps between runs: at 3.5, rows of plain normal noise would have an
//! "outlier" 29% of the time with 3 runs, 21% with 5 (at 10: 11% and 3%). An
//! outlier alone does not make a row untrustworthy (the median ignores it);
//! it says what the spread is made of.

/// The spread, (max − min) / median, above which a row's figures are not to
/// be trusted: a quarter of the median.
pub const WIDE_SPREAD: f64 = 0.25;

/// Standard deviations from the median beyond which a run is an outlier (hyperfine's).
const OUTLIER_SIGMAS: f64 = 10.0;

/// The MAD of normally distributed values times this is their standard deviation.
const MAD_TO_SIGMA: f64 = 1.4826;

/// How much the repeated times of one row disagree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Noise {
    /// (max − min) / median.
    pub spread: f64,
    /// Runs that are outliers by hyperfine's rule.
    pub outliers: usize,
}

impl Noise {
    /// The noise of `times` (seconds, at least one).
    pub fn of(times: &[f64]) -> Noise {
        let middle = median(times);
        let (min, max) = times
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &t| {
                (lo.min(t), hi.max(t))
            });
        Noise {
            spread: (max - min) / middle,
            outliers: outliers(times, middle),
        }
    }

    /// Whether the spread is too wide for the median to be trusted.
    pub fn is_wide(&self) -> bool {
        self.spread > WIDE_SPREAD
    }
}

/// The median of `values` (at least one): the middle one, or the mean of the two middle ones.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    }
}

/// Runs further than [`OUTLIER_SIGMAS`] robust standard deviations from
/// `middle`. When most runs are equal the MAD is 0 and every other run is an
/// outlier, as in hyperfine.
fn outliers(times: &[f64], middle: f64) -> usize {
    let deviations: Vec<f64> = times.iter().map(|t| (t - middle).abs()).collect();
    let limit = OUTLIER_SIGMAS * MAD_TO_SIGMA * median(&deviations);
    deviations.iter().filter(|&&d| d > limit).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_noisy_series_has_a_wide_spread_and_one_outlier() {
        // The -j 1 row of a noisy 2-core VM: 601 ms to 1.37 s, median 631 ms.
        let noise = Noise::of(&[0.631, 1.37, 0.601, 0.628, 0.640]);
        assert!((noise.spread - (1.37 - 0.601) / 0.631).abs() < 1e-12);
        assert!(noise.is_wide());
        assert_eq!(noise.outliers, 1);
    }

    #[test]
    fn a_quiet_series_has_neither() {
        let noise = Noise::of(&[0.497, 0.488, 0.501, 0.495, 0.510]);
        assert!((noise.spread - 0.022 / 0.497).abs() < 1e-12);
        assert!(!noise.is_wide());
        assert_eq!(noise.outliers, 0);
    }

    #[test]
    fn outliers_as_hyperfine_counts_them() {
        // hyperfine's own cases (src/outlier_detection.rs).
        assert_eq!(Noise::of(&[0.5, 0.30, 0.29, 0.31, 0.30]).outliers, 1);
        assert_eq!(Noise::of(&[0.8, 1.0, 1.2]).outliers, 0);
        assert_eq!(Noise::of(&[10.0, 10.0, 10.0, 10.0, 100.0]).outliers, 1);
        // A run 2% off two close ones is not one (at the textbook 3.5 it would be).
        assert_eq!(Noise::of(&[0.500, 0.501, 0.510]).outliers, 0);
        // Two runs are never outliers, however far apart; their spread says it.
        let two = Noise::of(&[0.4, 0.6]);
        assert_eq!((two.outliers, two.is_wide()), (0, true));
        // One run has no spread.
        assert_eq!(
            Noise::of(&[0.4]),
            Noise {
                spread: 0.0,
                outliers: 0
            }
        );
    }

    #[test]
    fn the_median() {
        assert_eq!(median(&[0.5, 0.4, 0.45]), 0.45);
        assert_eq!(median(&[0.25, 0.2]), 0.225);
    }
}
