//! The run's log of finished files: each file's record and rows appended as it finishes, and read back file by file when the output is written.
//!
//! A run that keeps a journal logs into it (so the journal is both what
//! `--resume` reads and what the output is made from: rows are written
//! once); any other run logs into memory, up to a limit, then into a
//! temporary file. Either way the results of a run take no memory beyond
//! that limit, however many rows its files give.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Write};
use std::sync::Mutex;

use crate::describe::Rows;
use crate::temporary;

/// Where a file's rows are in a log: their first byte, their bytes and how
/// many rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub offset: u64,
    pub bytes: u64,
    pub rows: u64,
}

/// An append-only log of records.
pub struct Log {
    inner: Mutex<Inner>,
    /// What failed writing the log, if anything: the run cannot make its
    /// output from it then.
    failed: Mutex<Option<io::Error>>,
}

struct Inner {
    target: Target,
    /// The log's length: where the next record goes.
    len: u64,
}

enum Target {
    /// A journal: records are handed to the operating system as they come.
    Journal(File),
    /// In memory up to `limit` bytes, then a temporary file.
    Memory {
        bytes: Vec<u8>,
        limit: usize,
    },
    Temporary(File),
}

impl Log {
    /// A log appended to the end of `journal`, which is `len` bytes long.
    pub fn journal(journal: File, len: u64) -> Log {
        Log::new(Target::Journal(journal), len)
    }

    /// A log of its own, in memory up to `limit` bytes, then in a
    /// temporary file.
    pub fn temporary(limit: usize) -> Log {
        Log::new(
            Target::Memory {
                bytes: Vec::new(),
                limit,
            },
            0,
        )
    }

    fn new(target: Target, len: u64) -> Log {
        Log {
            inner: Mutex::new(Inner { target, len }),
            failed: Mutex::new(None),
        }
    }

    /// Appends `record` (a line, maybe empty) and then `rows`, and says
    /// where the rows are. A failure is kept (see [`Log::failure`]) and
    /// `None` returned.
    pub fn append(&self, record: &[u8], rows: &Rows) -> Option<Location> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match inner.append(record, rows) {
            Ok(location) => Some(location),
            Err(error) => {
                self.fail(error);
                None
            }
        }
    }

    /// Appends `bytes` (a record and its rows, taken whole from another
    /// log: `rows_at` bytes in, `location` of the rows there) and says
    /// where the rows are now.
    pub fn append_copied(
        &self,
        bytes: &mut dyn Read,
        rows_at: u64,
        location: Location,
    ) -> Option<Location> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let start = inner.len;
        match inner.write_from(bytes) {
            Ok(()) => Some(Location {
                offset: start + rows_at,
                ..location
            }),
            Err(error) => {
                self.fail(error);
                None
            }
        }
    }

    fn fail(&self, error: io::Error) {
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        failed.get_or_insert(error);
    }

    /// Takes what failed writing the log, if anything.
    pub fn failure(&self) -> Option<io::Error> {
        self.failed.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// The rows at `location`, as lines.
    ///
    /// # Errors
    /// When the log cannot be read back.
    pub fn read(&self, location: Location) -> io::Result<Box<dyn BufRead + '_>> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let bytes = location.bytes;
        match &inner.target {
            Target::Memory { bytes: held, .. } => {
                let start = location.offset as usize;
                let lines = held[start..start + bytes as usize].to_vec();
                Ok(Box::new(Cursor::new(lines)))
            }
            Target::Journal(file) | Target::Temporary(file) => {
                let file = file.try_clone()?;
                Ok(Box::new(BufReader::with_capacity(
                    1 << 16,
                    ReadAt {
                        file,
                        offset: location.offset,
                    }
                    .take(bytes),
                )))
            }
        }
    }

    /// The journal, once no more is appended (to flush and rename it).
    pub fn into_journal(self) -> Option<File> {
        match self
            .inner
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .target
        {
            Target::Journal(file) => Some(file),
            _ => None,
        }
    }
}

impl Inner {
    fn append(&mut self, record: &[u8], rows: &Rows) -> io::Result<Location> {
        let offset = self.len + record.len() as u64;
        match &mut self.target {
            // One write for a small record: a killed run tears at most one.
            Target::Journal(file) if rows.byte_len() < 1 << 16 => {
                let mut all = Vec::with_capacity(record.len() + rows.byte_len() as usize);
                all.extend_from_slice(record);
                rows.copy_to(&mut all)?;
                file.write_all(&all)?;
            }
            _ => {
                self.write(record)?;
                let mut reader = rows.reader()?;
                self.write_from(&mut reader)?;
            }
        }
        self.len = offset + rows.byte_len();
        Ok(Location {
            offset,
            bytes: rows.byte_len(),
            rows: rows.len(),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write_from(&mut &*bytes)
    }

    /// Appends what `reader` gives, spilling a memory log past its limit.
    fn write_from(&mut self, reader: &mut dyn Read) -> io::Result<()> {
        let mut buffer = [0u8; 1 << 16];
        loop {
            let read = match reader.read(&mut buffer) {
                Ok(0) => return Ok(()),
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            let piece = &buffer[..read];
            match &mut self.target {
                Target::Journal(file) => file.write_all(piece)?,
                Target::Temporary(file) => file.write_all(piece).map_err(temporary::tagged)?,
                Target::Memory { bytes, limit } if bytes.len() + piece.len() <= *limit => {
                    bytes.extend_from_slice(piece)
                }
                Target::Memory { bytes, .. } => {
                    let mut file = temporary::file()?;
                    file.write_all(bytes).map_err(temporary::tagged)?;
                    file.write_all(piece).map_err(temporary::tagged)?;
                    self.target = Target::Temporary(file);
                }
            }
            self.len += read as u64;
        }
    }
}

/// A file read from `offset` on with positioned reads (a log is still
/// appended to through another handle).
pub struct ReadAt {
    pub file: File,
    pub offset: u64,
}

impl Read for ReadAt {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = std::os::unix::fs::FileExt::read_at(&self.file, buffer, self.offset)?;
        self.offset += read as u64;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::describe::rows::RowWriter;
    use crate::describe::ColumnStats;

    fn rows(count: u64) -> Rows {
        let mut writer = RowWriter::new(usize::MAX);
        for n in 0..count {
            let stats = ColumnStats {
                column: format!("c{n}"),
                count: n,
                mean: None,
                std: None,
                min: None,
                percentiles: vec![],
                max: None,
                categorical: None,
            };
            writer.push(&stats, &[]).unwrap();
        }
        writer.finish().unwrap()
    }

    fn read_back(log: &Log, location: Location) -> Vec<u8> {
        let mut bytes = Vec::new();
        log.read(location).unwrap().read_to_end(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn records_come_back_where_they_were_put() {
        let journal = tempfile::tempfile().unwrap();
        for log in [
            Log::temporary(usize::MAX),
            Log::temporary(100),
            Log::journal(journal, 0),
        ] {
            let mut expected = Vec::new();
            for count in [3, 0, 5000, 1] {
                let rows = rows(count);
                let location = log.append(b"{\"record\":1}\n", &rows).unwrap();
                let mut lines = Vec::new();
                rows.copy_to(&mut lines).unwrap();
                expected.push((location, lines));
            }
            for (location, lines) in expected {
                assert_eq!(read_back(&log, location), lines);
            }
            assert!(log.failure().is_none());
        }
    }

    #[test]
    fn a_record_copied_from_another_log_points_at_its_rows() {
        let log = Log::temporary(usize::MAX);
        let first = log.append(b"head\n", &rows(2)).unwrap();
        let mut copied = b"head\n".to_vec();
        rows(4).copy_to(&mut copied).unwrap();
        let location = Location {
            offset: 0,
            bytes: copied.len() as u64 - 5,
            rows: 4,
        };
        let moved = log
            .append_copied(&mut copied.as_slice(), 5, location)
            .unwrap();
        assert_eq!(moved.offset, first.offset + first.bytes + 5);
        assert_eq!(read_back(&log, moved), copied[5..]);
    }
}
