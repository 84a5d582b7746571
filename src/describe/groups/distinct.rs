//! A key column as a reader hands it over: its distinct values in order of first appearance, and each row's index among them.
//!
//! The values are bytes one after another in one buffer (no allocation per
//! value: a long table has millions), a CSV field as written or a typed
//! value's bytes; the rows are spooled (held up to the file's share, then
//! in a temporary file), so that a long file's rows do not fill memory.

use crate::describe::large::spool::Spooled;

/// One key column of a whole file: its distinct fields, and each row's
/// index among them, spooled (held up to the file's share, then in a
/// temporary file), so that a long file's rows do not fill memory.
pub struct ReadKey {
    pub distinct: Distinct,
    pub rows: Spooled<u32>,
}

/// One key column's fields in a block (or a table in memory): the distinct
/// ones, and each row's.
#[derive(Default)]
pub struct KeyFields {
    pub distinct: Distinct,
    /// For each record, its field's index in `distinct`.
    pub rows: Vec<u32>,
}

/// Distinct fields in order of first appearance: their bytes one after
/// another in one buffer, and a table of their ids by hash (no allocation
/// per field: a long table has millions).
#[derive(Default)]
pub struct Distinct {
    index: hashbrown::HashTable<u32>,
    bytes: Vec<u8>,
    /// Where each field ends in `bytes`.
    ends: Vec<usize>,
    /// The index of the field seen last: a long table's keys come in runs
    /// (one label's rows after another's), so most rows repeat it.
    last: u32,
    hasher: foldhash::fast::FixedState,
}

impl KeyFields {
    /// Adds a row whose field is `field`.
    pub fn push(&mut self, field: &[u8]) {
        let id = self.distinct.id(field);
        self.rows.push(id);
    }
}

impl Distinct {
    /// The field `id`.
    pub fn field(&self, id: u32) -> &[u8] {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.bytes[start..self.ends[id]]
    }

    /// The index of `field`, added if new.
    pub fn id(&mut self, field: &[u8]) -> u32 {
        if (self.last as usize) < self.ends.len() && self.field(self.last) == field {
            return self.last;
        }
        let hash = std::hash::BuildHasher::hash_one(&self.hasher, field);
        let (bytes, ends) = (&self.bytes, &self.ends);
        let field_of = |id: u32| {
            let id = id as usize;
            let start = if id == 0 { 0 } else { ends[id - 1] };
            &bytes[start..ends[id]]
        };
        if let Some(&id) = self.index.find(hash, |&id| field_of(id) == field) {
            self.last = id;
            return id;
        }
        let id = u32::try_from(self.ends.len()).expect("fewer than 2^32 distinct keys");
        self.bytes.extend_from_slice(field);
        self.ends.push(self.bytes.len());
        let (bytes, ends, hasher) = (&self.bytes, &self.ends, &self.hasher);
        self.index.insert_unique(hash, id, |&id| {
            let id = id as usize;
            let start = if id == 0 { 0 } else { ends[id - 1] };
            std::hash::BuildHasher::hash_one(hasher, &bytes[start..ends[id]])
        });
        self.last = id;
        id
    }

    /// How many distinct fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The distinct fields, in order of first appearance.
    pub fn fields(&self) -> Vec<&[u8]> {
        (0..self.ends.len() as u32)
            .map(|id| self.field(id))
            .collect()
    }
}
