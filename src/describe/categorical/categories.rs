//! A category column's values counted per category, as pandas' `Categorical.value_counts()` counts them: `top` is the first of the most frequent in category order.
//!
//! pandas' `describe()` of a `category` column (checked with pandas 3.1.1)
//! takes `value_counts()`: one count per category, in the categories'
//! order, unobserved ones at 0, then sorted by count with a stable sort.
//! So `unique` is the number of categories observed, `top` the most
//! frequent, and among equally frequent ones the one listed first in the
//! categories: not the one seen first, as for text.

use std::collections::HashMap;

use super::{Categorical, TextKind, Values};
use crate::describe::DescribeError;

/// One category column's counts as the batches come.
#[derive(Debug)]
pub struct CategoryCounts {
    /// The categories in their order, then any value the first list lacked
    /// (pyarrow appends a later batch's new values when it unifies them).
    categories: Vec<String>,
    places: HashMap<String, usize, foldhash::fast::FixedState>,
    counts: Vec<u64>,
    present: u64,
    /// The most bytes the categories may hold.
    limit: usize,
    held: usize,
}

impl CategoryCounts {
    /// Counts for `categories`, in their order, within `limit` bytes.
    ///
    /// # Errors
    /// When the categories take more than `limit` bytes.
    pub fn new(categories: Vec<String>, limit: usize) -> Result<Self, DescribeError> {
        let mut counts = CategoryCounts {
            categories: Vec::with_capacity(categories.len()),
            places: HashMap::default(),
            counts: Vec::with_capacity(categories.len()),
            present: 0,
            limit,
            held: 0,
        };
        for category in categories {
            counts.place_of(&category)?;
        }
        Ok(counts)
    }

    /// The place of `category`, added at the end if it is new.
    fn place_of(&mut self, category: &str) -> Result<usize, DescribeError> {
        if let Some(&place) = self.places.get(category) {
            return Ok(place);
        }
        // Its text twice (list and index) and its count and place.
        self.held += 2 * category.len() + 32;
        if self.held > self.limit {
            return Err(DescribeError::TooManyDistinct { limit: self.limit });
        }
        let place = self.categories.len();
        self.categories.push(category.to_string());
        self.places.insert(category.to_string(), place);
        self.counts.push(0);
        Ok(place)
    }

    /// Counts one value: `None` is missing.
    ///
    /// # Errors
    /// When a value not among the categories takes them past their limit.
    pub fn add(&mut self, value: Option<&str>) -> Result<(), DescribeError> {
        if let Some(value) = value {
            let place = self.place_of(value)?;
            self.counts[place] += 1;
            self.present += 1;
        }
        Ok(())
    }

    /// The categories in their order, with any value the list lacked after them.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// The column's count and [`Categorical`] (pandas' `category` kind).
    pub fn finish(self) -> (u64, Categorical) {
        let observed = self.counts.iter().filter(|&&times| times > 0).count();
        let top = (self.counts.iter().enumerate())
            .filter(|(_, &times)| times > 0)
            .fold(
                None,
                |best: Option<(usize, u64)>, (place, &times)| match best {
                    Some((_, most)) if most >= times => best,
                    _ => Some((place, times)),
                },
            );
        let categorical = Categorical {
            kind: TextKind::Category,
            values: Values::Text,
            unique: observed as u64,
            top: top.map(|(place, _)| self.categories[place].clone()),
            freq: top.map(|(_, times)| times),
        };
        (self.present, categorical)
    }
}

/// The place of each category in its column's order, to break ties in a
/// group's counts (`--by`) as pandas' `value_counts()` of the group does.
#[derive(Debug, Default)]
pub struct CategoryPlaces {
    places: HashMap<Vec<u8>, usize, foldhash::fast::FixedState>,
}

impl CategoryPlaces {
    /// The places of `categories`, in their order.
    pub fn new(categories: &[String]) -> Self {
        CategoryPlaces {
            places: (categories.iter().enumerate())
                .map(|(place, category)| (category.as_bytes().to_vec(), place))
                .collect(),
        }
    }

    /// The most frequent of `values` (distinct, with their counts), the one
    /// listed first among equally frequent ones (a value not listed comes
    /// after those listed, in the order given).
    pub(super) fn first_most_frequent<'a>(
        &self,
        values: impl Iterator<Item = (&'a [u8], u64)>,
    ) -> Option<(String, u64)> {
        let place = |value: &[u8]| self.places.get(value).copied().unwrap_or(usize::MAX);
        values
            .enumerate()
            .min_by_key(|&(seen, (value, times))| (std::cmp::Reverse(times), place(value), seen))
            .map(|(_, (value, times))| (String::from_utf8_lossy(value).into_owned(), times))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(categories: &[&str], values: &[Option<&str>]) -> (u64, Categorical) {
        let categories = categories.iter().map(|c| c.to_string()).collect();
        let mut counts = CategoryCounts::new(categories, 1 << 20).unwrap();
        values.iter().for_each(|v| counts.add(*v).unwrap());
        counts.finish()
    }

    #[test]
    fn ties_go_to_the_category_listed_first_and_unobserved_ones_are_not_unique() {
        // pandas: Categorical(['b','a','b','a','c',None], categories=['c','b','a','z'])
        // describes as count 5, unique 3, top 'b', freq 2.
        let values = [Some("b"), Some("a"), Some("b"), Some("a"), Some("c"), None];
        let (count, stats) = described(&["c", "b", "a", "z"], &values);
        assert_eq!(count, 5);
        assert_eq!(
            (stats.unique, stats.top.as_deref(), stats.freq),
            (3, Some("b"), Some(2))
        );
        // Listed the other way round, the tie goes to 'a', seen second.
        let (_, stats) = described(&["a", "b", "c"], &values);
        assert_eq!(stats.top.as_deref(), Some("a"));
    }

    #[test]
    fn a_column_of_missing_values_has_no_top() {
        let (count, stats) = described(&["a"], &[None, None]);
        assert_eq!(
            (count, stats.unique, stats.top, stats.freq),
            (0, 0, None, None)
        );
    }

    #[test]
    fn categories_past_the_limit_fail() {
        let categories = vec!["x".repeat(100); 1];
        assert!(matches!(
            CategoryCounts::new(categories, 64),
            Err(DescribeError::TooManyDistinct { limit: 64 })
        ));
    }
}
