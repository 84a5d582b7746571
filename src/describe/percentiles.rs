//! The requested percentiles and their pandas column names ("25%", "33.3%", ...).

use crate::error::{Error, Result};
use crate::pyfloat;

/// Validated percentiles: sorted, unique, within [0, 1], always including the
/// median, each with the column name pandas `describe` gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Percentiles {
    fractions: Vec<f64>,
    names: Vec<String>,
}

impl Default for Percentiles {
    /// pandas' default: 25%, 50%, 75%.
    fn default() -> Self {
        Percentiles::new(&[0.25, 0.5, 0.75]).expect("default percentiles are valid")
    }
}

impl Percentiles {
    /// The percentiles `requested` plus the median, sorted, named like pandas.
    ///
    /// # Errors
    /// When a value is outside [0, 1] (or NaN), a value is repeated, or two
    /// values would get the same column name.
    pub fn new(requested: &[f64]) -> Result<Self> {
        if let Some(bad) = requested.iter().find(|p| !(0.0..=1.0).contains(*p)) {
            return Err(Error::InvalidConfig(format!(
                "percentiles must be between 0 and 1, got {bad}"
            )));
        }
        let mut fractions = requested.to_vec();
        fractions.sort_by(f64::total_cmp);
        if fractions.windows(2).any(|pair| pair[0] == pair[1]) {
            return Err(Error::InvalidConfig(
                "percentiles cannot contain duplicates".into(),
            ));
        }
        // pandas < 3.0 always adds the median; polarsdesc keeps that behaviour.
        if let Err(at) = fractions.binary_search_by(|p| p.total_cmp(&0.5)) {
            fractions.insert(at, 0.5);
        }
        let names = format_percentiles(&fractions);
        // pandas' names keep neighbours apart only to a point (0.1 and
        // 0.1000001 both read "10%"); two columns of one name are refused.
        if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(Error::InvalidConfig(format!(
                "percentiles too close together: two would both be named {}",
                pair[0]
            )));
        }
        Ok(Percentiles { fractions, names })
    }

    /// The fractions, ascending.
    pub fn fractions(&self) -> &[f64] {
        &self.fractions
    }

    /// The column names, in the same order as [`Self::fractions`].
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// A port of pandas' `format_percentiles` for sorted, unique fractions:
/// integers where the percent is (close to) whole, otherwise just enough
/// decimals to keep neighbours apart and to avoid rounding to 0% or 100%.
fn format_percentiles(fractions: &[f64]) -> Vec<String> {
    let percents: Vec<f64> = fractions.iter().map(|p| 100.0 * p).collect();
    let precision = precision_for(&percents);
    let is_whole: Vec<bool> = percents
        .iter()
        .map(|&p| is_close(numpy_round(p, precision).trunc(), p))
        .collect();
    percents
        .iter()
        .zip(&is_whole)
        .map(|(&percent, &whole)| {
            let mut name = Vec::new();
            if whole {
                name.extend_from_slice(format!("{}", numpy_round(percent, 0) as i64).as_bytes());
            } else {
                pyfloat::write_repr(numpy_round(percent, precision), &mut name);
            }
            name.push(b'%');
            String::from_utf8(name).expect("ASCII digits")
        })
        .collect()
}

/// pandas' `get_precision`: decimals needed so that neighbouring percents (and
/// the distances to 0 and 100) stay distinct, at least 1.
fn precision_for(percents: &[f64]) -> i32 {
    let first = percents[0];
    let last = percents[percents.len() - 1];
    let mut gaps: Vec<f64> = Vec::with_capacity(percents.len() + 1);
    if first > 0.0 {
        gaps.push(first);
    }
    gaps.extend(percents.windows(2).map(|pair| (pair[1] - pair[0]).abs()));
    if last < 100.0 {
        gaps.push(100.0 - last);
    }
    let smallest = gaps.into_iter().fold(f64::INFINITY, f64::min);
    let precision = -(smallest.log10().floor());
    (precision as i32).max(1)
}

/// numpy's `round(x, decimals)`: scale, round half to even, unscale.
fn numpy_round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round_ties_even() / scale
}

/// numpy's `isclose` with its default tolerances.
fn is_close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-8 + 1e-5 * b.abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(requested: &[f64]) -> Vec<String> {
        Percentiles::new(requested).unwrap().names().to_vec()
    }

    #[test]
    fn default_is_the_quartiles() {
        assert_eq!(Percentiles::default().names(), ["25%", "50%", "75%"]);
        assert_eq!(Percentiles::default().fractions(), [0.25, 0.5, 0.75]);
    }

    #[test]
    fn median_is_always_included() {
        assert_eq!(names(&[0.1, 0.9]), ["10%", "50%", "90%"]);
        assert_eq!(names(&[0.9, 0.5, 0.1]), ["10%", "50%", "90%"]);
    }

    #[test]
    fn names_match_pandas_format_percentiles() {
        // Expected values printed by pandas 3.1.1's format_percentiles.
        assert_eq!(names(&[0.333]), ["33.3%", "50%"]);
        assert_eq!(
            names(&[0.01999, 0.02001, 0.666666, 0.9999]),
            ["1.999%", "2.001%", "50%", "66.667%", "99.99%"]
        );
        assert_eq!(names(&[0.0, 1.0]), ["0%", "50%", "100%"]);
        assert_eq!(names(&[0.001]), ["0.1%", "50%"]);
    }

    #[test]
    fn rejects_out_of_range_and_duplicates() {
        assert!(Percentiles::new(&[1.5]).is_err());
        assert!(Percentiles::new(&[-0.1]).is_err());
        assert!(Percentiles::new(&[f64::NAN]).is_err());
        assert!(Percentiles::new(&[0.2, 0.2]).is_err());
        // pandas' format_percentiles names both "10%" (checked with pandas 3.1.1).
        let err = Percentiles::new(&[0.1, 0.1000001]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "percentiles too close together: two would both be named 10%"
        );
    }
}
