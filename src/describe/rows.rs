//! One file's result rows as they are made: encoded (see [`super::row`]) and held in memory up to a limit, then spilled to a temporary file, so that a file of millions of groups takes no more memory than one of ten.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Cursor, Read, Seek, SeekFrom, Write};

use super::row::{self, Row};
use crate::describe::groups::{KeyType, KeyValue};
use crate::describe::ColumnStats;
use crate::temporary;

/// Rows being added, in the result's order.
pub struct RowWriter {
    held: Vec<u8>,
    file: Option<BufWriter<File>>,
    limit: usize,
    count: u64,
    bytes: u64,
    hash: xxhash_rust::xxh3::Xxh3,
    line: Vec<u8>,
    categorical: bool,
}

/// A file's rows, complete: their bytes, in memory or in a temporary file.
pub struct Rows {
    lines: Lines,
    count: u64,
    bytes: u64,
    hash: u64,
    categorical: bool,
}

enum Lines {
    Held(Vec<u8>),
    Spilled(File),
}

impl std::fmt::Debug for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rows({} rows, {} bytes)", self.count, self.bytes)
    }
}

impl RowWriter {
    /// Rows held up to `limit` bytes, the rest spilled.
    pub fn new(limit: usize) -> Self {
        RowWriter {
            held: Vec::new(),
            file: None,
            limit,
            count: 0,
            bytes: 0,
            hash: xxhash_rust::xxh3::Xxh3::new(),
            line: Vec::with_capacity(256),
            categorical: false,
        }
    }

    /// Adds the row of `stats`, of the group `keys` (empty without `--by`).
    ///
    /// # Errors
    /// When the rows must be spilled and the temporary folder cannot take
    /// them.
    pub fn push(&mut self, stats: &ColumnStats, keys: &[KeyValue]) -> io::Result<()> {
        self.line.clear();
        row::encode(stats, keys, &mut self.line);
        self.categorical |= stats.categorical.is_some();
        self.count += 1;
        self.bytes += self.line.len() as u64;
        self.hash.update(&self.line);
        if self.file.is_none() && self.held.len() + self.line.len() > self.limit {
            let mut file = BufWriter::with_capacity(1 << 16, temporary::file()?);
            file.write_all(&self.held).map_err(temporary::tagged)?;
            self.held = Vec::new();
            self.file = Some(file);
        }
        match &mut self.file {
            Some(file) => file.write_all(&self.line).map_err(temporary::tagged),
            None => {
                self.held.extend_from_slice(&self.line);
                Ok(())
            }
        }
    }

    /// The rows added.
    ///
    /// # Errors
    /// When the spilled rows cannot be written out.
    pub fn finish(self) -> io::Result<Rows> {
        let lines = match self.file {
            None => Lines::Held(self.held),
            Some(file) => {
                let mut file = file
                    .into_inner()
                    .map_err(|e| temporary::tagged(e.into_error()))?;
                file.seek(SeekFrom::Start(0)).map_err(temporary::tagged)?;
                Lines::Spilled(file)
            }
        };
        Ok(Rows {
            lines,
            count: self.count,
            bytes: self.bytes,
            hash: self.hash.digest(),
            categorical: self.categorical,
        })
    }
}

impl Rows {
    /// No rows.
    pub fn empty() -> Rows {
        RowWriter::new(0).finish().expect("no rows to spill")
    }

    /// The rows of a file's columns without `--by` (as many as its columns: held).
    pub fn of_columns(columns: &[ColumnStats]) -> Rows {
        let mut writer = RowWriter::new(usize::MAX);
        for column in columns {
            writer
                .push(column, &[])
                .expect("held rows are never spilled");
        }
        writer.finish().expect("held rows are never spilled")
    }

    /// How many rows.
    pub fn len(&self) -> u64 {
        self.count
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Whether a row describes a column that is not numeric (`unique`,
    /// `top`, `freq`).
    pub fn has_categorical(&self) -> bool {
        self.categorical
    }

    /// Their bytes.
    pub fn byte_len(&self) -> u64 {
        self.bytes
    }

    /// The xxh3 hash of their bytes (kept with them on record, to tell a
    /// damaged record).
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// Their bytes, from the first row.
    ///
    /// # Errors
    /// When spilled lines cannot be read back.
    pub fn reader(&self) -> io::Result<Box<dyn BufRead + '_>> {
        Ok(match &self.lines {
            Lines::Held(bytes) => Box::new(Cursor::new(bytes.as_slice())),
            Lines::Spilled(file) => {
                let mut file = file.try_clone().map_err(temporary::tagged)?;
                file.seek(SeekFrom::Start(0)).map_err(temporary::tagged)?;
                Box::new(BufReader::with_capacity(1 << 16, file.take(self.bytes)))
            }
        })
    }

    /// Writes their bytes to `out`.
    ///
    /// # Errors
    /// When they cannot be read back or `out` cannot be written.
    pub fn copy_to(&self, out: &mut impl Write) -> io::Result<()> {
        io::copy(&mut self.reader()?, out).map(|_| ())
    }

    /// Calls `visit` with each row, keys of `key_types`, in order.
    ///
    /// # Errors
    /// When the rows cannot be read back, or `visit` fails.
    pub fn for_each(
        &self,
        key_types: &[KeyType],
        visit: &mut dyn FnMut(Row) -> io::Result<()>,
    ) -> io::Result<()> {
        for_each_row(&mut self.reader()?, key_types, visit)
    }

    /// Every row (for a file's rows held whole: tests, a single file's
    /// statistics).
    ///
    /// # Errors
    /// As [`Rows::for_each`].
    pub fn decode_all(&self, key_types: &[KeyType]) -> io::Result<Vec<Row>> {
        let mut rows = Vec::with_capacity(self.count as usize);
        self.for_each(key_types, &mut |row| {
            rows.push(row);
            Ok(())
        })?;
        Ok(rows)
    }
}

/// Calls `visit` with each row `reader` gives.
///
/// # Errors
/// When `reader` fails, its bytes are not rows, or `visit` fails.
pub fn for_each_row(
    reader: &mut dyn BufRead,
    key_types: &[KeyType],
    visit: &mut dyn FnMut(Row) -> io::Result<()>,
) -> io::Result<()> {
    let mut bytes = Vec::with_capacity(256);
    while row::read_next(reader, &mut bytes)? {
        visit(row::decode(&bytes, key_types)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(count: u64) -> ColumnStats {
        ColumnStats {
            column: "v".into(),
            count,
            mean: Some(count as f64 / 3.0),
            std: None,
            min: Some(0.0),
            percentiles: vec![Some(0.5); 3],
            max: Some(1.0),
            categorical: None,
        }
    }

    #[test]
    fn rows_past_the_limit_are_spilled_and_come_back_in_order() {
        for limit in [0, 300, usize::MAX] {
            let mut writer = RowWriter::new(limit);
            for count in 0..1000 {
                writer
                    .push(&stats(count), &[KeyValue::Int(count as i64)])
                    .unwrap();
            }
            let rows = writer.finish().unwrap();
            assert_eq!(rows.len(), 1000);
            assert_eq!(matches!(rows.lines, Lines::Spilled(_)), limit != usize::MAX);
            let back = rows.decode_all(&[KeyType::Int64]).unwrap();
            assert!(back
                .iter()
                .enumerate()
                .all(|(i, row)| row.stats == stats(i as u64)
                    && row.keys == [KeyValue::Int(i as i64)]));
            // Read twice (the journal, then the output), the same lines.
            let (mut first, mut second) = (Vec::new(), Vec::new());
            rows.copy_to(&mut first).unwrap();
            rows.copy_to(&mut second).unwrap();
            assert_eq!(first, second);
            assert_eq!(first.len() as u64, rows.byte_len());
            assert_eq!(xxhash_rust::xxh3::xxh3_64(&first), rows.hash());
        }
    }
}
