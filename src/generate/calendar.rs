//! Business days (Monday to Friday, no holiday calendar), like pandas `bdate_range`.

use chrono::{Datelike, NaiveDate, Weekday};

/// Every business day from `start` to `end`, both inclusive, in order.
///
/// Empty when `end` is before `start`.
pub fn business_days(start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
    start
        .iter_days()
        .take_while(|day| *day <= end)
        .filter(|day| is_business_day(*day))
        .collect()
}

/// Monday to Friday.
pub fn is_business_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn skips_weekends_and_includes_both_ends() {
        // 2010-01-01 is a Friday; 2010-01-04 the next Monday.
        let days = business_days(date("2010-01-01"), date("2010-01-04"));
        assert_eq!(days, vec![date("2010-01-01"), date("2010-01-04")]);
    }

    #[test]
    fn weekend_only_range_is_empty() {
        assert!(business_days(date("2010-01-02"), date("2010-01-03")).is_empty());
    }

    #[test]
    fn end_before_start_is_empty() {
        assert!(business_days(date("2010-01-05"), date("2010-01-04")).is_empty());
    }

    #[test]
    fn matches_pandas_bdate_range_length() {
        // len(pd.bdate_range("20100101", "20261125")) == 4409 (pandas 3.1.1)
        assert_eq!(
            business_days(date("2010-01-01"), date("2026-11-25")).len(),
            4409
        );
    }
}
