//! One column's distinct values and how often each appears, in order of first appearance; `top` as pandas picks it.

use hashbrown::hash_table::Entry;
use hashbrown::HashTable;

use super::categories::CategoryPlaces;
use super::{Categorical, Reading, TextKind, Values};

/// The distinct values of one column as it is read, in order of first
/// appearance, with how often each appears.
///
/// The values are kept one after another in one buffer (no allocation per
/// value), found by their hash in a table of their places; the buffers of
/// a finished tally serve the next one on the same thread (one file after
/// another), so memory is not asked of the system again for every file.
#[derive(Debug, Default)]
pub struct Tally {
    /// Each distinct value's place (its index in `ends` and `counts`).
    places: HashTable<u32>,
    /// Where each distinct value ends in `bytes` (it starts where the one
    /// before it ends), in order of first appearance.
    ends: Vec<usize>,
    /// How often each appears.
    counts: Vec<u64>,
    /// Their bytes, one after another.
    bytes: Vec<u8>,
    /// Values that are not missing.
    present: u64,
    /// Fields read, missing ones included.
    rows: u64,
    /// How the fields are counted.
    reading: Reading,
}

/// What one distinct value costs beyond its bytes: its end, count and place.
const ENTRY_BYTES: usize = 8 + 8 + 2 * 4;

/// The hash of a value (the same in every tally, so that tallies combine).
pub(super) fn hash_of(value: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x5eed).hash_one(value)
}

/// The most distinct values a block's tally makes room for up front.
pub const MOST_ROOM: usize = 1 << 16;
/// The most memory finished tallies' buffers keep for the next ones, per
/// thread (outside `--max-memory`, so small: a few files' worth).
const SPARE_BYTES: usize = 16 << 20;

thread_local! {
    static SPARE: std::cell::RefCell<Vec<Tally>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Tally {
    /// An empty tally with room for `values` distinct values (buffers of
    /// an earlier tally of this thread, when there is one).
    pub fn with_room(values: usize, reading: Reading) -> Self {
        let mut tally = SPARE
            .with(|spare| spare.borrow_mut().pop())
            .unwrap_or_default();
        tally
            .places
            .reserve(values, |_| unreachable!("the table is empty"));
        tally.read_as(reading)
    }

    /// Gives the buffers back for the next tally of this thread, if they
    /// fit beside those kept already (within [`SPARE_BYTES`]).
    pub(super) fn recycle(mut self) {
        // An empty tally has no buffers to give.
        if self.bytes.capacity() == 0 {
            return;
        }
        self.places.clear();
        self.ends.clear();
        self.counts.clear();
        self.bytes.clear();
        (self.present, self.rows, self.reading) = (0, 0, Reading::Text);
        SPARE.with(|spare| {
            let mut spare = spare.borrow_mut();
            let kept: usize = spare.iter().map(Tally::capacity_bytes).sum();
            if kept + self.capacity_bytes() <= SPARE_BYTES {
                spare.push(self);
            }
        });
    }

    /// The memory its buffers take, used or not.
    fn capacity_bytes(&self) -> usize {
        self.bytes.capacity()
            + 8 * (self.ends.capacity() + self.counts.capacity())
            + 5 * self.places.capacity()
    }

    /// The same tally, counting fields as `reading` says.
    fn read_as(mut self, reading: Reading) -> Self {
        self.reading = reading;
        self
    }

    /// How its values are counted.
    pub fn reading(&self) -> Reading {
        self.reading
    }

    /// An empty tally of values read by type (see [`Tally::add_value`]).
    pub fn of_values(reading: Reading) -> Self {
        Tally::with_room(0, reading)
    }

    /// Counts one value of a typed column (Parquet, Arrow, NDJSON): `None`
    /// (a null) is missing, any other value counts as it is (`"NA"` and
    /// `""` are text there, not missing).
    pub fn add_value(&mut self, value: Option<&[u8]>) {
        self.rows += 1;
        if let Some(value) = value {
            self.present += 1;
            self.count(value, 1);
        }
    }

    /// Counts `value` `times` times more; whether it is new.
    pub(super) fn count_new(&mut self, value: &[u8], times: u64) -> bool {
        let distinct = self.ends.len();
        self.count(value, times);
        self.ends.len() > distinct
    }

    fn count(&mut self, value: &[u8], times: u64) {
        let Tally {
            places,
            ends,
            counts,
            bytes,
            ..
        } = self;
        let value_at = |place: u32| {
            let place = place as usize;
            let start = if place == 0 { 0 } else { ends[place - 1] };
            &bytes[start..ends[place]]
        };
        let rehash = |&place: &u32| hash_of(value_at(place));
        match places.entry(hash_of(value), |&place| value_at(place) == value, rehash) {
            Entry::Occupied(place) => counts[*place.get() as usize] += times,
            Entry::Vacant(vacant) => {
                vacant.insert(u32::try_from(ends.len()).expect("fewer distinct values than 2^32"));
                // Values are short: a loop the compiler inlines beats a call to memcpy.
                bytes.extend(value.iter().copied());
                ends.push(bytes.len());
                counts.push(times);
            }
        }
    }

    /// Adds the fields of the rows that follow this tally's.
    pub fn merge(&mut self, later: Tally) {
        if self.rows == 0 {
            // The first block (a small file's only one): nothing to combine.
            std::mem::replace(self, later).recycle();
            return;
        }
        self.rows += later.rows;
        self.present += later.present;
        for (value, times) in later.values() {
            self.count(value, times);
        }
        later.recycle();
    }

    /// Fields read, missing ones included.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Values that are not missing.
    pub(super) fn present(&self) -> u64 {
        self.present
    }

    /// How the fields are counted.
    pub(super) fn how_read(&self) -> Reading {
        self.reading
    }

    /// Bytes held for the distinct values.
    pub fn held_bytes(&self) -> usize {
        self.bytes.len() + self.ends.len() * ENTRY_BYTES
    }

    /// The distinct values and their counts, in order of first appearance.
    pub(super) fn values(&self) -> impl Iterator<Item = (&[u8], u64)> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .zip(&self.counts)
            .map(|((start, &end), &times)| (&self.bytes[start..end], times))
    }

    /// The column's statistics: its count and [`Categorical`].
    pub fn finish(self) -> (u64, Categorical) {
        let booleans = self.booleans();
        let kind = match booleans {
            Some(_) if self.present == self.rows => TextKind::Bool,
            Some(_) => TextKind::Object,
            // A typed string column is pandas 3's str, empty or not.
            None if self.reading == Reading::Strings => TextKind::Str,
            // Python integers; an empty column (no rows: pandas' object).
            None if self.reading == Reading::Integers || self.present == 0 => TextKind::Object,
            // Text, or every token as text (pandas' str either way).
            None => TextKind::Str,
        };
        let (unique, top) = match &booleans {
            Some(booleans) => (
                booleans.len(),
                first_most_frequent(booleans.iter().map(|&(name, times)| (name.into(), times))),
            ),
            None => (
                self.ends.len(),
                first_most_frequent(self.values())
                    .map(|(value, times)| (String::from_utf8_lossy(value).into_owned(), times)),
            ),
        };
        let categorical = Categorical {
            kind,
            values: match booleans {
                Some(_) => Values::Booleans,
                None if self.reading == Reading::Integers => Values::Integers,
                None => Values::Text,
            },
            unique: unique as u64,
            top: top.as_ref().map(|(value, _)| value.clone()),
            freq: top.map(|(_, times)| times),
        };
        let present = self.present;
        self.recycle();
        (present, categorical)
    }

    /// The statistics of one group's values (`--by`) of a column that pandas
    /// reads, whole, as `whole` says: each group keeps the whole column's type,
    /// so a group of a boolean column folds its spellings into `True` and
    /// `False`, a group of any other column counts its values as they are,
    /// and a group of a category column gives `top`, among equally frequent
    /// values, to the category listed first (`places`). The tally must read
    /// its fields as [`Reading::Text`] (the default).
    pub fn finish_group(
        self,
        whole: &Categorical,
        places: Option<&CategoryPlaces>,
    ) -> (u64, Categorical) {
        let (unique, top) = match (whole.values, places) {
            (_, Some(places)) => (
                self.ends.len(),
                places.first_most_frequent(self.values()),
            ),
            (Values::Booleans, None) => {
                let booleans = self.booleans().unwrap_or_default();
                let top = first_most_frequent(booleans.iter().map(|&(name, times)| (name.into(), times)));
                (booleans.len(), top)
            }
            _ => (
                self.ends.len(),
                first_most_frequent(self.values())
                    .map(|(value, times)| (String::from_utf8_lossy(value).into_owned(), times)),
            ),
        };
        let categorical = Categorical {
            kind: whole.kind,
            values: whole.values,
            unique: unique as u64,
            top: top.as_ref().map(|(value, _)| value.clone()),
            freq: top.map(|(_, times)| times),
        };
        let present = self.present;
        self.recycle();
        (present, categorical)
    }

    /// The values as pandas' booleans (`"True"`, `"False"`, in order of
    /// first appearance), if every one is a spelling of true or false;
    /// `None` for a column with no values (pandas reads it as float, or as
    /// text when the file has no rows).
    fn booleans(&self) -> Option<Vec<(&'static str, u64)>> {
        if self.reading != Reading::Text {
            return None;
        }
        let mut folded: Vec<(&'static str, u64)> = Vec::new();
        for (value, times) in self.values() {
            let name = if value.eq_ignore_ascii_case(b"true") {
                "True"
            } else if value.eq_ignore_ascii_case(b"false") {
                "False"
            } else {
                return None;
            };
            match folded.iter_mut().find(|(seen, _)| *seen == name) {
                Some((_, count)) => *count += times,
                None => folded.push((name, times)),
            }
        }
        (!folded.is_empty()).then_some(folded)
    }
}

/// The first of the most frequent values (pandas' stable sort by count):
/// `max_by_key` would take the last.
pub(super) fn first_most_frequent<T>(values: impl Iterator<Item = (T, u64)>) -> Option<(T, u64)> {
    values.fold(None, |best, (value, times)| match best {
        Some((_, best_times)) if best_times >= times => best,
        _ => Some((value, times)),
    })
}
