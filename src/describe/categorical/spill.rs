//! A column's distinct values past its share of memory: written out by hash into a few temporary files, then counted one file at a time, still exactly.
//!
//! Each value goes to the part its hash chooses, with how often it appeared
//! in a block and where it first did (the block, then its place in the
//! block's order of first appearance). A value lands in one part only, so
//! a part's values can be counted alone: `unique` is the sum of the parts',
//! and `top` the most frequent of the parts' most frequent, the one seen
//! first among equals (pandas' rule). The values of one part must fit in
//! the share; so up to [`PARTS`] times the share can be counted.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

use super::tally::{first_most_frequent, hash_of, Tally};
use super::{Categorical, Reading, TextKind, Values};
use crate::describe::DescribeError;
use crate::parallel::SpareCores;

/// The temporary files a spilled column is cut into.
pub const PARTS: usize = 16;

/// One column's distinct values, spilled.
pub struct Spilled {
    parts: Vec<BufWriter<File>>,
    /// Blocks taken so far (the first tally counts as one).
    blocks: u64,
    rows: u64,
    present: u64,
    reading: Reading,
}

impl Spilled {
    /// The values of `tally` (the rows so far), spilled.
    ///
    /// # Errors
    /// When the temporary files cannot be made or written (a full disk).
    pub fn new(tally: Tally) -> io::Result<Spilled> {
        let parts = (0..PARTS)
            .map(|_| crate::temporary::file().map(|file| BufWriter::with_capacity(1 << 16, file)))
            .collect::<io::Result<Vec<_>>>()?;
        let mut spilled = Spilled {
            parts,
            blocks: 0,
            rows: 0,
            present: 0,
            reading: tally.how_read(),
        };
        spilled.add(tally)?;
        Ok(spilled)
    }

    /// Adds the values of the rows that follow.
    ///
    /// # Errors
    /// When a temporary file cannot be written.
    pub fn add(&mut self, tally: Tally) -> io::Result<()> {
        self.rows += tally.rows();
        self.present += tally.present();
        let block = self.blocks;
        self.blocks += 1;
        for (place, (value, times)) in tally.values().enumerate() {
            let part = &mut self.parts[part_of(value)];
            let first_seen = block << 32 | place as u64;
            let written = (part.write_all(&first_seen.to_le_bytes()))
                .and_then(|()| part.write_all(&times.to_le_bytes()))
                .and_then(|()| part.write_all(&(value.len() as u64).to_le_bytes()))
                .and_then(|()| part.write_all(value));
            written.map_err(crate::temporary::tagged)?;
        }
        tally.recycle();
        Ok(())
    }

    /// The column's count and [`Categorical`], counting one part at a time
    /// within `limit` bytes, the parts on any cores `spare` lends too.
    ///
    /// # Errors
    /// When a part's distinct values need more than `limit` bytes, or a
    /// temporary file cannot be read back.
    pub fn finish(
        self,
        limit: usize,
        spare: &SpareCores,
    ) -> Result<(u64, Categorical), DescribeError> {
        let mut files = Vec::with_capacity(PARTS);
        for part in self.parts {
            let mut file = (part.into_inner())
                .map_err(|error| crate::temporary::tagged(error.into_error()))?;
            file.rewind().map_err(crate::temporary::tagged)?;
            files.push(file);
        }
        let counted = crate::parallel::map_on_spare_cores(&files, spare, |file| {
            // Entries take at least 25 bytes: room for as many values, at most.
            let room = file.metadata().map_or(0, |m| m.len() as usize / 25);
            count_part(BufReader::with_capacity(1 << 16, file), room, limit)
        });
        let mut unique = 0;
        let mut top: Option<PartTop> = None;
        for part in counted {
            let part = part?;
            unique += part.unique;
            top = match (top, part.top) {
                (Some(best), Some(other)) if other.is_above(&best) => Some(other),
                (None, other) => other,
                (best, _) => best,
            };
        }
        let categorical = Categorical {
            kind: if self.reading == Reading::Integers {
                TextKind::Object
            } else {
                TextKind::Str
            },
            values: if self.reading == Reading::Integers {
                Values::Integers
            } else {
                Values::Text
            },
            unique,
            freq: top.as_ref().map(|top| top.times),
            top: top.map(|top| String::from_utf8_lossy(&top.value).into_owned()),
        };
        Ok((self.present, categorical))
    }
}

/// The most frequent value of a part.
struct PartTop {
    times: u64,
    first_seen: u64,
    value: Vec<u8>,
}

impl PartTop {
    /// pandas' order: more frequent, or as frequent and seen first.
    fn is_above(&self, other: &PartTop) -> bool {
        (self.times, std::cmp::Reverse(self.first_seen))
            > (other.times, std::cmp::Reverse(other.first_seen))
    }
}

/// What one part holds: its distinct values, and its most frequent.
struct PartCount {
    unique: u64,
    top: Option<PartTop>,
}

/// The part a value goes to: middle bits of its hash, which a tally's
/// table does not use (the low ones place a value in it, the top seven tag
/// it: were those the part's, a part's values would share most of their
/// tag, and the table would compare many more of them byte by byte).
fn part_of(value: &[u8]) -> usize {
    (hash_of(value) >> 40) as usize % PARTS
}

/// Counts the values of a part in a tally. Its entries come in order of
/// first appearance (blocks in order, each in its own order), so the
/// tally's order of first appearance is the file's.
fn count_part(mut part: impl Read, room: usize, limit: usize) -> Result<PartCount, DescribeError> {
    let mut tally = Tally::with_room(room.min(limit / 32), Reading::Text);
    let mut first_seen: Vec<u64> = Vec::new();
    let mut word = [0u8; 8];
    let mut value = Vec::new();
    loop {
        match part.read_exact(&mut word) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => break,
            Err(error) => return Err(error.into()),
        }
        let seen = u64::from_le_bytes(word);
        part.read_exact(&mut word)?;
        let times = u64::from_le_bytes(word);
        part.read_exact(&mut word)?;
        value.resize(u64::from_le_bytes(word) as usize, 0);
        part.read_exact(&mut value)?;
        if tally.count_new(&value, times) {
            first_seen.push(seen);
            if tally.held_bytes() + 8 * first_seen.len() > limit {
                return Err(DescribeError::TooManyDistinct { limit });
            }
        }
    }
    let top = first_most_frequent(
        tally
            .values()
            .enumerate()
            .map(|(place, (value, times))| ((place, value), times)),
    )
    .map(|((place, value), times)| PartTop {
        times,
        first_seen: first_seen[place],
        value: value.to_vec(),
    });
    Ok(PartCount {
        unique: first_seen.len() as u64,
        top,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(fields: &[&str]) -> Tally {
        let mut tally = Tally::default();
        for field in fields {
            tally.add_value((!matches!(*field, "" | "NA")).then_some(field.as_bytes()));
        }
        tally
    }

    #[test]
    fn spilled_values_are_counted_exactly_and_ties_go_to_the_first_seen() {
        // "b" and "c" both appear three times; "b" was seen first.
        let mut spilled = Spilled::new(tally(&["a", "b", "", "c"])).unwrap();
        spilled.add(tally(&["c", "b", "d"])).unwrap();
        spilled.add(tally(&["c", "b", "NA"])).unwrap();
        let (count, stats) = spilled.finish(1 << 20, &SpareCores::none()).unwrap();
        assert_eq!((count, stats.unique), (8, 4));
        assert_eq!((stats.top.as_deref(), stats.freq), (Some("b"), Some(3)));
        assert_eq!((stats.kind, stats.values), (TextKind::Str, Values::Text));
    }

    #[test]
    fn a_part_larger_than_the_limit_fails_with_the_limit() {
        let values: Vec<String> = (0..2000).map(|i| format!("value {i}")).collect();
        let fields: Vec<&str> = values.iter().map(String::as_str).collect();
        let spilled = Spilled::new(tally(&fields)).unwrap();
        let error = spilled.finish(4096, &SpareCores::none()).unwrap_err();
        assert!(
            matches!(error, DescribeError::TooManyDistinct { limit: 4096 }),
            "{error}"
        );
    }
}
