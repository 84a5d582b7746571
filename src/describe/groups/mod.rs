//! `--by`: a file's rows in groups by the values of key columns, as pandas' `df.groupby(keys).describe()` forms them, and each group's columns described (numbers here, the others in `text`).
//!
//! pandas groups with `sort=True` and `dropna=True`: the groups come in the
//! sorted order of their keys (tuples of keys, with several), and a row
//! whose key is missing in any key column belongs to none. Each group is
//! then `describe()`d as its own frame: its rows in file order, each column
//! keeping the whole column's type (an int64 column's group is int64). The
//! key columns are not described.
//!
//! A reader hands over the numeric columns' values in row order (spooled,
//! as without `--by`), the other columns' values so too ([`TextColumn`]), and the key columns as distinct values and each row's
//! (`distinct`), typed as its format's pandas reader types them and ranked
//! by value (`values`); each column's values are then moved group by group
//! (one pass), and every group described on every core.

pub mod distinct;
mod text;
pub mod values;

use std::io;
use std::ops::Range;

use hashbrown::HashMap;

pub use text::TextColumn;
pub use values::{KeyType, KeyValue, TimeUnit};

use super::large::column::SpooledColumn;
use super::large::spool::{Scalar, Spool, Spooled};
use super::rows::{RowWriter, Rows};
use super::stats::{self, ColumnStats};
use super::{DescribeError, Include, Options};
use crate::parallel::SpareCores;
use distinct::ReadKey;

/// A file described per group: its rows (each group's columns, groups in
/// pandas' order), the key columns, how many groups, and the rows left out
/// because a key is missing.
pub struct Grouped {
    pub rows: Rows,
    pub keys: Vec<KeyColumn>,
    pub groups: usize,
    pub left_out: usize,
}

/// One key column: its name (as in `--by`) and pandas' type of its values.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyColumn {
    pub name: String,
    pub key_type: KeyType,
}

/// Checks the key columns of `--by` against each other.
///
/// # Errors
/// When a name is empty or repeated.
pub fn check_keys(by: &[String]) -> Result<(), String> {
    if by.iter().any(String::is_empty) {
        return Err("--by: a key column's name is empty".into());
    }
    if let Some(repeated) =
        (by.iter().enumerate()).find_map(|(i, name)| by[..i].contains(name).then_some(name))
    {
        return Err(format!("--by: the key column {repeated:?} is given twice"));
    }
    Ok(())
}

/// A row that belongs to no group (a key is missing).
const NO_GROUP: u32 = u32::MAX;

/// Every row's group, and how many rows each group has.
struct RowGroups {
    keys: Vec<KeyColumn>,
    /// Each group's key ranks, one per key column, groups in pandas' order
    /// (flat: group `g`'s are `ranks[g * keys..][..keys]`).
    ranks: Vec<u32>,
    /// Each key column's values, in rank order.
    ranked: Vec<values::Ranked>,
    /// Each row's group, spooled.
    of_row: Spooled<u32>,
    sizes: Vec<usize>,
    left_out: usize,
}

impl RowGroups {
    /// The key values of `group`.
    fn key_values(&self, group: usize, into: &mut Vec<KeyValue>) {
        let width = self.ranked.len();
        into.clear();
        into.extend(
            (self.ranks[group * width..][..width].iter())
                .zip(&self.ranked)
                .map(|(&rank, ranked)| ranked.values[rank as usize].clone()),
        );
    }
}

/// The key columns of a file, read: every row's field in each, and each
/// column's distinct fields ranked by value.
pub struct KeyRows {
    fields: Vec<ReadKey>,
    ranked: Vec<values::Ranked>,
}

impl KeyRows {
    /// The key columns `fields`, with their distinct values `ranked` (one
    /// per column, in the same order).
    pub fn new(fields: Vec<ReadKey>, ranked: Vec<values::Ranked>) -> Self {
        KeyRows { fields, ranked }
    }
}

/// A file's columns to describe per group: numeric ones and others, and
/// the file's column names in order (the rows of a group follow it).
pub struct GroupedColumns<'a> {
    pub numeric: &'a [SpooledColumn],
    pub texts: &'a [TextColumn],
    pub order: &'a [String],
}

/// One column described per group: numbers or not.
enum Described<'a> {
    Numbers(&'a SpooledColumn),
    Text(text::Prepared<'a>),
}

impl Described<'_> {
    fn name(&self) -> &str {
        match self {
            Described::Numbers(column) => &column.name,
            Described::Text(column) => column.name(),
        }
    }

    fn rows(&self) -> usize {
        match self {
            Described::Numbers(column) => column.values.len(),
            Described::Text(column) => column.rows(),
        }
    }
}

/// The statistics of the `columns` that `include` selects (key columns
/// left out) per group of `keys`, groups in pandas' order and columns in
/// file order within each, as rows (spilled past the file's share).
///
/// The groups are taken in batches of consecutive groups (see
/// [`batches`]): each column's values of a batch are moved group by group
/// and described on every core, and the batch's rows written; so memory
/// holds one batch, however many groups.
///
/// # Errors
/// When spilled values cannot be read back, the rows cannot be spilled,
/// or the run is interrupted.
pub fn describe_groups(
    keys: KeyRows,
    columns: GroupedColumns<'_>,
    include: Include,
    options: &Options,
    spare: &SpareCores,
) -> Result<Grouped, DescribeError> {
    let held = options.memory.held_values();
    let groups = row_groups(keys, &options.by, held)?;
    let is_key = |name: &str| options.by.iter().any(|key| key == name);
    let numbers = (columns.numeric.iter())
        .filter(|column| include.numbers && !is_key(&column.name))
        .map(Described::Numbers);
    let texts = (columns.texts.iter())
        .filter(|column| include.selects(column.whole.kind) && !is_key(&column.name))
        .map(|column| Described::Text(text::Prepared::new(column)));
    let mut described: Vec<Described<'_>> = numbers.chain(texts).collect();
    let beside_numbers = described.iter().any(|column| matches!(column, Described::Numbers(_)));
    described.sort_by_key(|column| columns.order.iter().position(|name| name == column.name()));
    for column in &described {
        if column.rows() != groups.of_row.len() {
            return Err(DescribeError::Panic(format!(
                "column '{}' has {} rows and the key columns {}",
                column.name(),
                column.rows(),
                groups.of_row.len()
            )));
        }
    }
    let starts: Vec<usize> = std::iter::once(0)
        .chain(groups.sizes.iter().scan(0, |end, &size| {
            *end += size;
            Some(*end)
        }))
        .collect();
    // Text takes room by its bytes: a group weighs its values and them.
    let mut weights = groups.sizes.clone();
    for column in columns.texts.iter().filter(|column| !is_key(&column.name)) {
        text::add_weights(column, &groups.of_row, &mut weights)?;
    }
    let mut rows = RowWriter::new(options.memory.held_rows());
    let mut key_values = Vec::with_capacity(groups.keys.len());
    // A row's statistics take about 32 values' room while a batch is held.
    let most_groups = (held / 32 / described.len().max(1)).max(1);
    for batch in batches(&weights, held, most_groups) {
        crate::interrupt::check_io()?;
        let per_column = (described.iter())
            .map(|column| match column {
                Described::Numbers(column) => {
                    describe_batch(column, &groups, &starts, batch.clone(), options, spare)
                }
                Described::Text(column) => (text::describe_batch(column, &groups, &starts, batch.clone(), options, spare))
                    .map(|rows| match beside_numbers {
                        true => rows.into_iter().map(ColumnStats::beside_numbers).collect(),
                        false => rows,
                    }),
            })
            .collect::<io::Result<Vec<Vec<ColumnStats>>>>()?;
        for (at, group) in batch.enumerate() {
            groups.key_values(group, &mut key_values);
            for column in &per_column {
                rows.push(&column[at], &key_values)?;
            }
        }
    }
    Ok(Grouped {
        rows: rows.finish()?,
        groups: groups.sizes.len(),
        keys: groups.keys,
        left_out: groups.left_out,
    })
}

/// Puts every row in its group, holding at most `held` rows' groups in
/// memory (the rest spilled).
fn row_groups(keys: KeyRows, names: &[String], held: usize) -> io::Result<RowGroups> {
    let KeyRows { fields, ranked } = keys;
    let keys = (ranked.iter().zip(names))
        .map(|(ranked, name)| KeyColumn {
            name: name.clone(),
            key_type: ranked.key_type,
        })
        .collect();
    let (of_row, ranks, groups) = if let [only] = &ranked[..] {
        let of_row = map_rows(&[&fields[0].rows], held, |row| {
            only.rank_of_field[row[0] as usize].unwrap_or(NO_GROUP)
        })?;
        let groups = only.values.len();
        (of_row, (0..groups as u32).collect(), groups)
    } else {
        let (of_row, tuples) = combine_keys(&fields, &ranked, held)?;
        let groups = tuples.len();
        (of_row, tuples.into_iter().flatten().collect(), groups)
    };
    drop(fields);
    let mut sizes = vec![0usize; groups];
    let mut left_out = 0;
    for chunk in of_row.chunks() {
        for &group in chunk?.iter() {
            match group {
                NO_GROUP => left_out += 1,
                group => sizes[group as usize] += 1,
            }
        }
    }
    Ok(RowGroups {
        keys,
        ranks,
        ranked,
        of_row,
        sizes,
        left_out,
    })
}

/// `map` of every row of the spooled `columns` (one file's rows each, the
/// row's value of each column given in order), spooled in turn, at most
/// `held` values in memory.
fn map_rows(
    columns: &[&Spooled<u32>],
    held: usize,
    mut map: impl FnMut(&[u32]) -> u32,
) -> io::Result<Spooled<u32>> {
    let mut out = Spool::default();
    let mut chunks: Vec<_> = columns.iter().map(|column| column.chunks()).collect();
    let (mut row, mut mapped) = (Vec::with_capacity(columns.len()), Vec::new());
    loop {
        let pieces = (chunks.iter_mut())
            .map(|chunks| chunks.next().transpose())
            .collect::<io::Result<Option<Vec<_>>>>()?;
        let Some(pieces) = pieces else { break };
        mapped.clear();
        for at in 0..pieces.first().map_or(0, |piece| piece.len()) {
            row.clear();
            row.extend(pieces.iter().map(|piece| piece[at]));
            mapped.push(map(&row));
        }
        out.extend(&mapped)?;
        if out.len() > held {
            out.spill()?;
        }
    }
    out.finish()
}

/// Several keys: each row's tuple of ranks, the distinct tuples sorted
/// (pandas sorts the groups by their keys, the first key first), and every
/// row's index among them.
fn combine_keys(
    fields: &[ReadKey],
    ranked: &[values::Ranked],
    held: usize,
) -> io::Result<(Spooled<u32>, Vec<Vec<u32>>)> {
    let mut seen: HashMap<Vec<u32>, u32, foldhash::fast::FixedState> = HashMap::default();
    let mut tuple: Vec<u32> = Vec::with_capacity(fields.len());
    let columns: Vec<&Spooled<u32>> = fields.iter().map(|column| &column.rows).collect();
    let first_ids = map_rows(&columns, held, |row| {
        tuple.clear();
        for (&field, ranks) in row.iter().zip(ranked) {
            match ranks.rank_of_field[field as usize] {
                Some(rank) => tuple.push(rank),
                None => return NO_GROUP,
            }
        }
        let next = seen.len() as u32;
        *seen.entry_ref(&tuple[..]).or_insert(next)
    })?;
    let mut tuples: Vec<(Vec<u32>, u32)> = seen.into_iter().collect();
    tuples.sort_unstable();
    describe_order(&mut tuples, ranked);
    let mut sorted_of = vec![0u32; tuples.len()];
    for (sorted, (_, id)) in tuples.iter().enumerate() {
        sorted_of[*id as usize] = sorted as u32;
    }
    let of_row = map_rows(&[&first_ids], held, |row| match row[0] {
        NO_GROUP => NO_GROUP,
        id => sorted_of[id as usize],
    })?;
    Ok((of_row, tuples.into_iter().map(|(tuple, _)| tuple).collect()))
}

/// Puts the sorted `tuples` of ranks in the order of pandas'
/// `groupby(keys).describe()`, which is not always the groups' sorted
/// order: `describe` rebuilds the index of the groups, and a key column
/// with a value that no group has (its rows all miss another key) gets
/// its values in order of first appearance among the sorted groups, not
/// sorted (pandas 3.1.1: keys `(1, b), (1, c), (2, a), (2, b)` with a
/// value `z` of the second key only beside a missing first key come out
/// as `(1, b), (1, c), (2, b), (2, a)`). The groups are then ordered by
/// those orders, the first key first.
fn describe_order(tuples: &mut [(Vec<u32>, u32)], ranked: &[values::Ranked]) {
    let mut reordered = false;
    let mut codes: Vec<Vec<u32>> = Vec::with_capacity(ranked.len());
    for (level, ranks) in ranked.iter().enumerate() {
        let mut code_of_rank = vec![u32::MAX; ranks.values.len()];
        let mut next = 0;
        for (tuple, _) in tuples.iter() {
            let code = &mut code_of_rank[tuple[level] as usize];
            if *code == u32::MAX {
                *code = next;
                next += 1;
            }
        }
        if (next as usize) < ranks.values.len() {
            reordered = true;
            codes.push(code_of_rank);
        } else {
            codes.push((0..ranks.values.len() as u32).collect());
        }
    }
    if reordered {
        tuples.sort_by_key(|(tuple, _)| {
            (tuple.iter().zip(&codes))
                .map(|(&rank, codes)| codes[rank as usize])
                .collect::<Vec<u32>>()
        });
    }
}

/// The statistics of one column for each group of `batch`, in group
/// order: the batch's values moved group by group (one pass over the
/// column), the groups described on every core.
fn describe_batch(
    column: &SpooledColumn,
    groups: &RowGroups,
    starts: &[usize],
    batch: Range<usize>,
    options: &Options,
    spare: &SpareCores,
) -> io::Result<Vec<ColumnStats>> {
    let values = by_group(&column.values, &groups.of_row, starts, batch.clone())?;
    let integers = (column.integers.as_ref())
        .map(|integers| by_group(integers, &groups.of_row, starts, batch.clone()))
        .transpose()?;
    let base = starts[batch.start];
    // Groups are handed to the cores in runs (a long table's groups are
    // often a few rows each: one at a time, the hand-off would cost more
    // than the statistics).
    let runs = runs_of_groups(&groups.sizes, batch);
    let described = crate::parallel::map_on_spare_cores(&runs, spare, |run| {
        (run.clone())
            .map(|group| {
                let range = starts[group] - base..starts[group + 1] - base;
                let kind = match (&integers, column.integer_kind) {
                    (Some(integers), _) => {
                        stats::Kind::Signed(&integers[range.clone()], column.integer_bits)
                    }
                    (None, true) => stats::Kind::Unsigned,
                    (None, false) if column.float32 => stats::Kind::Float32,
                    (None, false) if column.float16 => stats::Kind::Float16,
                    (None, false) => stats::Kind::Float,
                };
                stats::describe_column(&column.name, &values[range], &options.percentiles, kind)
            })
            .collect::<Vec<ColumnStats>>()
    });
    Ok(described.into_iter().flatten().collect())
}

/// The groups of `batch` in consecutive runs of at least [`RUN_VALUES`]
/// values (or [`RUN_GROUPS`] groups), the last maybe less.
pub(super) fn runs_of_groups(sizes: &[usize], batch: Range<usize>) -> Vec<Range<usize>> {
    const RUN_VALUES: usize = 1 << 14;
    const RUN_GROUPS: usize = 1 << 10;
    let mut runs = Vec::new();
    let (mut start, mut values) = (batch.start, 0);
    for group in batch.clone() {
        values += sizes[group];
        if values >= RUN_VALUES || group + 1 - start >= RUN_GROUPS {
            runs.push(start..group + 1);
            (start, values) = (group + 1, 0);
        }
    }
    if start < batch.end {
        runs.push(start..batch.end);
    }
    runs
}

/// Consecutive groups (of `sizes` values) in batches of at most `limit`
/// values and `most_groups` groups, a larger group in a batch of its own.
fn batches(sizes: &[usize], limit: usize, most_groups: usize) -> Vec<Range<usize>> {
    let mut batches = Vec::new();
    let (mut start, mut held) = (0, 0);
    for (group, &size) in sizes.iter().enumerate() {
        if (held + size > limit || group - start == most_groups) && group > start {
            batches.push(start..group);
            (start, held) = (group, 0);
        }
        held += size;
    }
    if start < sizes.len() {
        batches.push(start..sizes.len());
    }
    batches
}

/// The values (in row order) of the groups `batch`, moved group by group,
/// each group's in row order: group `g`'s are `starts[g]..starts[g + 1]`,
/// less `starts[batch.start]`.
fn by_group<T: Scalar + Default>(
    values: &Spooled<T>,
    of_row: &Spooled<u32>,
    starts: &[usize],
    batch: Range<usize>,
) -> io::Result<Vec<T>> {
    let base = starts[batch.start];
    let mut grouped = vec![T::default(); starts[batch.end] - base];
    let mut next: Vec<usize> = starts[batch.clone()]
        .iter()
        .map(|start| start - base)
        .collect();
    let (first, end) = (batch.start as u32, batch.end as u32);
    // Both are one file's rows in pieces of one length: the pieces line up.
    for (chunk, groups) in values.chunks().zip(of_row.chunks()) {
        let (chunk, groups) = (chunk?, groups?);
        for (&value, &group) in chunk.iter().zip(groups.iter()) {
            // NO_GROUP is past every batch.
            if (first..end).contains(&group) {
                let at = &mut next[(group - first) as usize];
                grouped[*at] = value;
                *at += 1;
            }
        }
    }
    Ok(grouped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_batched_within_the_limit_a_large_one_alone() {
        assert_eq!(batches(&[3, 3, 3, 10, 1], 6, 100), [0..2, 2..3, 3..4, 4..5]);
        assert_eq!(batches(&[1, 1, 1], 100, 100), vec![0..3]);
        assert_eq!(batches(&[1, 1, 1, 1, 1], 100, 2), vec![0..2, 2..4, 4..5]);
        assert_eq!(batches(&[], 100, 100), Vec::<Range<usize>>::new());
    }

    #[test]
    fn runs_cover_the_batch_in_order() {
        let sizes = vec![1; 5000];
        let runs = runs_of_groups(&sizes, 10..4000);
        assert_eq!(runs.first().unwrap().start, 10);
        assert_eq!(runs.last().unwrap().end, 4000);
        assert!(runs.windows(2).all(|pair| pair[0].end == pair[1].start));
        assert!(runs.iter().all(|run| run.len() <= 1 << 10));
        assert_eq!(runs_of_groups(&[1 << 20, 3], 0..2), [0..1, 1..2]);
    }
}
