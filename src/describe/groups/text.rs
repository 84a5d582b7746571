//! `--by` of the columns that are not numbers (text, bool, category): each group's count, unique, top and freq, as pandas' `groupby(keys).describe(include=...)` gives them.
//!
//! pandas describes each group as a frame of its own rows, each column
//! keeping the whole column's type (checked with pandas 3.1.1): a group of
//! a `bool` column is booleans (`True` and `TRUE` one value), a group of a
//! `str` column text as written, a group of a `category` column counted by
//! category, ties going to the category listed first; among equally
//! frequent values `top` is otherwise the one the group has first. So a
//! reader hands over each column's values in row order (spooled) with what
//! the whole column is to pandas ([`TextColumn`]); the values of a batch of
//! groups are then moved group by group (one pass) and each group tallied,
//! on every core.

use std::io;
use std::ops::Range;

use super::{runs_of_groups, RowGroups, NO_GROUP};
use crate::describe::categorical::{Categorical, CategoryPlaces, Reading, Tally};
use crate::describe::large::spool::Spooled;
use crate::describe::large::texts::{SpooledText, MISSING};
use crate::describe::{ColumnStats, Options};
use crate::parallel::SpareCores;

/// A column that is not numeric, for `--by`: its values in row order, and
/// what pandas makes of the whole column.
#[derive(Debug)]
pub struct TextColumn {
    pub name: String,
    /// The whole column's statistics: its kind and values rule each group's.
    pub whole: Categorical,
    /// A category column's categories, in order (ties go to the first).
    pub categories: Option<Vec<String>>,
    /// The values, missing ones too, in row order.
    pub values: SpooledText,
}

/// A text column ready to be described per group: its category places.
pub(super) struct Prepared<'a> {
    column: &'a TextColumn,
    places: Option<CategoryPlaces>,
}

impl<'a> Prepared<'a> {
    pub(super) fn new(column: &'a TextColumn) -> Self {
        Prepared {
            column,
            places: column.categories.as_deref().map(CategoryPlaces::new),
        }
    }

    pub(super) fn rows(&self) -> usize {
        self.column.values.len()
    }

    pub(super) fn name(&self) -> &str {
        &self.column.name
    }
}

/// Adds the bytes of each group's values of `column` to `weights` (one per
/// group), in units of 8 bytes (a numeric value's room), so that batches
/// of groups hold their text within the share too.
///
/// # Errors
/// When spilled values cannot be read back.
pub(super) fn add_weights(
    column: &TextColumn,
    of_row: &Spooled<u32>,
    weights: &mut [usize],
) -> io::Result<()> {
    for (lens, groups) in column.values.lens().chunks().zip(of_row.chunks()) {
        let (lens, groups) = (lens?, groups?);
        for (&len, &group) in lens.iter().zip(groups.iter()) {
            if group != NO_GROUP && len != MISSING {
                weights[group as usize] += (len as usize + 8) / 8;
            }
        }
    }
    Ok(())
}

/// The values of the groups of one batch, group by group, each group's in
/// row order: where each starts in `bytes` and its length ([`MISSING`]).
struct BatchValues {
    bytes: Vec<u8>,
    values: Vec<(usize, u32)>,
}

impl BatchValues {
    fn value(&self, (start, len): (usize, u32)) -> Option<&[u8]> {
        (len != MISSING).then(|| &self.bytes[start..start + len as usize])
    }
}

/// Moves the values of the groups of `batch` group by group (see
/// [`super::by_group`], whose layout this follows).
fn by_group(
    column: &TextColumn,
    of_row: &Spooled<u32>,
    starts: &[usize],
    batch: Range<usize>,
) -> io::Result<BatchValues> {
    let base = starts[batch.start];
    let mut grouped = BatchValues {
        bytes: Vec::new(),
        values: vec![(0, MISSING); starts[batch.end] - base],
    };
    let mut next: Vec<usize> = (starts[batch.clone()].iter())
        .map(|start| start - base)
        .collect();
    let (first, end) = (batch.start as u32, batch.end as u32);
    let mut groups = of_row.chunks();
    column.values.for_each_piece(|lens, bytes| {
        let groups = groups.next().expect("one group per row")?;
        let mut at = 0;
        for (&len, &group) in lens.iter().zip(groups.iter()) {
            let size = if len == MISSING { 0 } else { len as usize };
            if (first..end).contains(&group) {
                let slot = &mut next[(group - first) as usize];
                grouped.values[*slot] = (grouped.bytes.len(), len);
                grouped.bytes.extend_from_slice(&bytes[at..at + size]);
                *slot += 1;
            }
            at += size;
        }
        Ok(())
    })?;
    Ok(grouped)
}

/// The statistics of `column` for each group of `batch`, in group order.
///
/// # Errors
/// When spilled values cannot be read back.
pub(super) fn describe_batch(
    column: &Prepared<'_>,
    groups: &RowGroups,
    starts: &[usize],
    batch: Range<usize>,
    options: &Options,
    spare: &SpareCores,
) -> io::Result<Vec<ColumnStats>> {
    let values = by_group(column.column, &groups.of_row, starts, batch.clone())?;
    let base = starts[batch.start];
    let runs = runs_of_groups(&groups.sizes, batch);
    let described = crate::parallel::map_on_spare_cores(&runs, spare, |run| {
        (run.clone())
            .map(|group| {
                let mut tally = Tally::of_values(Reading::Text);
                for &value in &values.values[starts[group] - base..starts[group + 1] - base] {
                    tally.add_value(values.value(value));
                }
                let (count, categorical) =
                    tally.finish_group(&column.column.whole, column.places.as_ref());
                ColumnStats::categorical(
                    &column.column.name,
                    count,
                    categorical,
                    &options.percentiles,
                )
            })
            .collect::<Vec<ColumnStats>>()
    });
    Ok(described.into_iter().flatten().collect())
}
