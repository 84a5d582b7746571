//! Results kept between runs: the journal of the run in progress (`--resume`) and the cache of the last complete one.
//!
//! Both live next to the output, as hidden files: `.summary.parquet.journal`
//! and `.summary.parquet.cache`. The journal gets one record per finished file
//! as it finishes (copied from the cache or freshly described), so a run
//! killed at any moment, even with `kill -9`, leaves every finished file on
//! record; a torn last record is cut. The journal is also the run's log
//! (`crate::results::Log`): the output is made from it. When the run completes, the journal becomes the
//! new cache (an atomic rename), or is deleted under `--no-cache`.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::records::{self, FileKey, RecordHead};
use crate::config::{CacheCheck, StoreOptions};
use crate::describe;
#[cfg(test)]
use crate::describe::Percentiles;
use crate::error::{Error, Result};
use crate::results::log::ReadAt;
use crate::results::{Location, Log};

/// The journal being written, and the results that may be reused.
pub struct Store {
    journal_path: PathBuf,
    cache_path: PathBuf,
    /// The journal, as the run's log: what the output is made from.
    log: Log,
    /// The cache of the last complete run, read for the records reused.
    cache: Option<File>,
    /// Stored records by path, from the cache and (when resuming) the journal.
    reusable: HashMap<PathBuf, Stored>,
    keep_cache: bool,
    check: CacheCheck,
}

/// A record that may be reused: its head, where it starts, the length of
/// its first line, and whether it is already in the journal.
struct Stored {
    key: FileKey,
    head: RecordHead,
    start: u64,
    line_len: u64,
    in_journal: bool,
}

/// A stored result reused: what its record says, and where its rows are
/// in the journal.
pub struct Reused {
    pub head: RecordHead,
    pub location: Location,
}

/// Where a run's journal and cache live, and its output's temporaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreLocation {
    /// The output they belong to.
    pub output: PathBuf,
    pub journal: PathBuf,
    pub cache: PathBuf,
    /// The folder the output's temporary files are written in.
    pub temporaries: PathBuf,
}

impl StoreLocation {
    /// Hidden files beside `output`: `.summary.parquet.journal`, `.summary.parquet.cache`.
    pub fn beside(output: &Path) -> Self {
        let (journal, cache) = paths_for(output);
        StoreLocation {
            output: output.to_path_buf(),
            journal,
            cache,
            temporaries: crate::atomic::folder_of(output).to_path_buf(),
        }
    }

    /// Files in `folder` instead (a folder of parts must hold nothing else).
    pub fn in_folder(folder: &Path, output: &Path) -> Self {
        let (journal, cache) = paths_for(&folder.join(output.file_name().unwrap_or_default()));
        StoreLocation {
            output: output.to_path_buf(),
            journal,
            cache,
            temporaries: folder.to_path_buf(),
        }
    }
}

impl Store {
    /// Opens the journal and cache at `location` for a run with `describe` options.
    /// Stored results made by another version or with other options are
    /// ignored.
    ///
    /// # Errors
    /// When the output is a folder, the journal cannot be created (the output's
    /// folder is missing or not writable), or another run is writing it. These
    /// are found before any file is read.
    pub fn open(
        location: &StoreLocation,
        describe: &describe::Options,
        options: StoreOptions,
    ) -> Result<Store> {
        debug_assert!(options.keeps_files());
        let output = location.output.as_path();
        if output.is_dir() {
            let err = io::Error::new(io::ErrorKind::IsADirectory, "it is a folder");
            return Err(Error::write(output, err));
        }
        let (journal_path, cache_path) = (location.journal.clone(), location.cache.clone());
        let header = records::header(describe);
        // The journal sits beside the output: if it cannot be written, neither
        // can the output, and the user knows the output's name.
        let write_error = |err| Error::write(output, err);
        let mut journal = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&journal_path)
            .map_err(write_error)?;
        // Held until the run ends: two runs must not write one journal.
        journal
            .try_lock()
            .map_err(|_| Error::Busy(output.to_path_buf()))?;
        // With the lock held no other run writes this output, so temporary
        // files beside it were left by a run killed while writing it.
        remove_abandoned_temporaries(output, &location.temporaries);

        let mut reusable = HashMap::new();
        let mut cache = None;
        if options.cache {
            let cached = read_records(&cache_path, &header);
            reusable.extend(
                cached
                    .records
                    .into_iter()
                    .filter_map(|record| record.keyed(false)),
            );
            cache = cached.file;
        }
        let journaled = if options.resume {
            read_records(&journal_path, &header)
        } else {
            Records::default()
        };
        let resuming = journaled.valid_len > 0;
        reusable.extend(
            journaled
                .records
                .into_iter()
                .filter_map(|record| record.keyed(true)),
        );

        // Keep what a resumed journal proved (cutting a torn last record), or start afresh.
        journal.set_len(journaled.valid_len).map_err(write_error)?;
        journal.seek(SeekFrom::End(0)).map_err(write_error)?;
        let mut len = journaled.valid_len;
        if !resuming {
            journal.write_all(header.as_bytes()).map_err(write_error)?;
            len = header.len() as u64;
        }
        Ok(Store {
            journal_path,
            cache_path,
            log: Log::journal(journal, len),
            cache,
            reusable,
            keep_cache: options.cache,
            check: options.check,
        })
    }

    /// How this store judges a file unchanged.
    pub fn check(&self) -> CacheCheck {
        self.check
    }

    /// The journal, as the run's log.
    pub fn log(&self) -> &Log {
        &self.log
    }

    /// The journal's path (for messages).
    pub fn journal_path(&self) -> &Path {
        &self.journal_path
    }

    /// The stored result of the file with `key`, if it is unchanged since;
    /// it is carried over to the journal (its bytes copied, not decoded).
    pub fn reuse(&self, key: &FileKey) -> Option<Reused> {
        let stored = self.reusable.get(&key.path)?;
        if !key.matches(&stored.key, self.check) {
            return None;
        }
        let in_place = Location {
            offset: stored.start + stored.line_len,
            bytes: stored.head.bytes,
            rows: stored.head.rows,
        };
        let location = if stored.in_journal {
            in_place
        } else {
            let cache = self.cache.as_ref()?.try_clone().ok()?;
            let mut record = ReadAt {
                file: cache,
                offset: stored.start,
            }
            .take(stored.line_len + stored.head.bytes);
            self.log
                .append_copied(&mut record, stored.line_len, in_place)?
        };
        Some(Reused {
            head: stored.head.clone(),
            location,
        })
    }

    /// Puts a freshly described file on record (read when it had `key`, if
    /// known), and says where its rows are; `None` when the journal could
    /// not be written (see [`Log::failure`]).
    pub fn record(
        &self,
        key: Option<&FileKey>,
        summary: &describe::FileSummary,
    ) -> Option<Location> {
        let head = records::encode(key, summary);
        self.log.append(head.as_bytes(), &summary.rows)
    }

    /// Whether the file with `key` has a stored result that [`Store::reuse`]
    /// would give (without carrying it over).
    pub fn has(&self, key: &FileKey) -> bool {
        self.reusable
            .get(&key.path)
            .is_some_and(|stored| key.matches(&stored.key, self.check))
    }

    /// Ends a run that wrote nothing (every file failed, or `--strict`
    /// stopped it): its journal is removed and the cache of the last complete
    /// run is kept as it was.
    ///
    /// # Errors
    /// When the journal cannot be removed.
    pub fn abandon(self) -> Result<()> {
        drop(self.log);
        fs::remove_file(&self.journal_path).map_err(|err| Error::write(&self.journal_path, err))
    }

    /// Ends a complete run: the journal becomes the cache (or is removed).
    ///
    /// # Errors
    /// When the journal cannot be renamed or removed.
    pub fn complete(self) -> Result<()> {
        let journal = self.log.into_journal();
        if self.keep_cache {
            if let Some(journal) = &journal {
                journal
                    .sync_all()
                    .map_err(|err| Error::write(&self.journal_path, err))?;
            }
            fs::rename(&self.journal_path, &self.cache_path)
                .map_err(|err| Error::write(&self.cache_path, err))
        } else {
            fs::remove_file(&self.journal_path).map_err(|err| Error::write(&self.journal_path, err))
        }
    }
}

/// Removes the `.<name>.*.tmp` files of `output` in `folder` (see `crate::atomic`).
fn remove_abandoned_temporaries(output: &Path, folder: &Path) {
    let prefix = crate::atomic::temporary_prefix(output);
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&prefix) && file_name.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The journal and cache paths of `output`: hidden files beside it.
pub fn paths_for(output: &Path) -> (PathBuf, PathBuf) {
    let name = output
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let beside = |suffix: &str| output.with_file_name(format!(".{name}.{suffix}"));
    (beside("journal"), beside("cache"))
}

/// The whole records of a journal or cache, and the file to read them from.
#[derive(Default)]
struct Records {
    records: Vec<Record>,
    /// Bytes up to the end of the last whole record (0 when the file is
    /// unusable).
    valid_len: u64,
    file: Option<File>,
}

/// A whole record: its head, where it starts, the length of its first line.
struct Record {
    head: RecordHead,
    start: u64,
    line_len: u64,
}

impl Record {
    /// The record by its path, if it may be reused (its file's identity is known).
    fn keyed(self, in_journal: bool) -> Option<(PathBuf, Stored)> {
        let key = self.head.key.clone()?;
        Some((
            key.path.clone(),
            Stored {
                key,
                head: self.head,
                start: self.start,
                line_len: self.line_len,
                in_journal,
            },
        ))
    }
}

/// Reads the records of `path` if its header is `header`: each record's
/// first line is decoded, and its rows checked (their bytes and hash) but
/// not decoded; a torn or damaged record ends the usable part.
fn read_records(path: &Path, header: &str) -> Records {
    let Ok(file) = File::open(path) else {
        return Records::default();
    };
    let Ok(reader) = file.try_clone() else {
        return Records::default();
    };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut line = Vec::new();
    if reader.read_until(b'\n', &mut line).is_err() || line != header.as_bytes() {
        return Records::default();
    }
    let mut records = Records {
        records: Vec::new(),
        valid_len: header.len() as u64,
        file: Some(file),
    };
    loop {
        line.clear();
        let Ok(read) = reader.read_until(b'\n', &mut line) else {
            break;
        };
        if read == 0 || !line.ends_with(b"\n") {
            break;
        }
        let Some(head) = std::str::from_utf8(&line).ok().and_then(records::decode) else {
            break;
        };
        if !rows_are_whole(&mut reader, &head) {
            break;
        }
        let start = records.valid_len;
        records.valid_len += line.len() as u64 + head.bytes;
        records.records.push(Record {
            head,
            start,
            line_len: line.len() as u64,
        });
    }
    records
}

/// Whether the next bytes of `reader` are the rows `head` announces.
fn rows_are_whole(reader: &mut impl BufRead, head: &RecordHead) -> bool {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut left = head.bytes;
    while left > 0 {
        let Ok(buffer) = reader.fill_buf() else {
            return false;
        };
        if buffer.is_empty() {
            return false;
        }
        let take = buffer
            .len()
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        let piece = &buffer[..take];
        hasher.update(piece);
        reader.consume(take);
        left -= take as u64;
    }
    hasher.digest() == head.hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::describe::Rows;
    use crate::describe::{ColumnStats, FileSummary};

    fn summary(path: &str, mean: f64) -> FileSummary {
        FileSummary {
            path: path.into(),
            label: "x".into(),
            rows: Rows::of_columns(&[ColumnStats {
                column: "data".into(),
                count: 2,
                mean: Some(mean),
                std: None,
                min: Some(0.0),
                percentiles: vec![Some(0.5); 3],
                max: Some(1.0),
                categorical: None,
            }]),
            warnings: vec![],
            keys: None,
        }
    }

    fn key(path: &str) -> FileKey {
        FileKey {
            path: path.into(),
            size: 10,
            modified_ns: 7,
            changed_ns: 8,
            inode: 9,
            content: None,
        }
    }

    /// The mean of the one row of a reused result, read back from the journal.
    fn reused_mean(store: &Store, key: &FileKey) -> Option<f64> {
        let reused = store.reuse(key)?;
        let mut reader = store.log().read(reused.location).unwrap();
        let mut row = Vec::new();
        assert!(crate::describe::row::read_next(&mut reader, &mut row).unwrap());
        crate::describe::row::decode(&row, &[]).unwrap().stats.mean
    }

    const BOTH: StoreOptions = StoreOptions {
        cache: true,
        resume: true,
        journal: true,
        check: CacheCheck::Metadata,
    };

    #[test]
    fn journal_becomes_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("summary.parquet");
        let p = describe::Options::default();
        let store = Store::open(&StoreLocation::beside(&output), &p, BOTH).unwrap();
        assert!(store.reuse(&key("a.csv")).is_none());
        store
            .record(Some(&key("a.csv")), &summary("a.csv", 0.25))
            .unwrap();
        store.record(None, &summary("unkeyed.csv", 0.5)).unwrap();
        store.complete().unwrap();
        let (journal, cache) = paths_for(&output);
        assert!(!journal.exists() && cache.exists());

        let store = Store::open(&StoreLocation::beside(&output), &p, BOTH).unwrap();
        assert_eq!(reused_mean(&store, &key("a.csv")), Some(0.25));
        assert!(store.reuse(&key("unkeyed.csv")).is_none(), "never reused");
        let changed = FileKey {
            size: 11,
            ..key("a.csv")
        };
        assert!(store.reuse(&changed).is_none());
        let replaced = FileKey {
            inode: 10,
            ..key("a.csv")
        };
        assert!(
            store.reuse(&replaced).is_none(),
            "same size and time, new inode"
        );
        // Other options: nothing reusable.
        let other = describe::Options {
            percentiles: Percentiles::new(&[0.1]).unwrap(),
            ..describe::Options::default()
        };
        assert!(Store::open(
            &StoreLocation::beside(&dir.path().join("o.parquet")),
            &other,
            BOTH
        )
        .unwrap()
        .reuse(&key("a.csv"))
        .is_none());
    }

    #[test]
    fn resume_keeps_whole_records_and_cuts_a_torn_one() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("s.parquet");
        let p = describe::Options::default();
        let store = Store::open(&StoreLocation::beside(&output), &p, BOTH).unwrap();
        store
            .record(Some(&key("a.csv")), &summary("a.csv", 0.5))
            .unwrap();
        drop(store); // killed: the journal stays
        let (journal, _) = paths_for(&output);
        // A record whose rows were cut short, then one torn in its first line.
        let mut torn = records::encode(Some(&key("b.csv")), &summary("b.csv", 0.1));
        torn.push_str("\u{30}\0\0\0\u{4}\0\0\0da");
        torn.push_str("{\"path\":\"c.csv\",\"si");
        let mut file = OpenOptions::new().append(true).open(&journal).unwrap();
        file.write_all(torn.as_bytes()).unwrap();
        drop(file);

        let store = Store::open(&StoreLocation::beside(&output), &p, BOTH).unwrap();
        assert_eq!(reused_mean(&store, &key("a.csv")), Some(0.5));
        assert!(
            store.reuse(&key("b.csv")).is_none(),
            "its rows are not whole"
        );
        store
            .record(Some(&key("d.csv")), &summary("d.csv", 0.75))
            .unwrap();
        drop(store);
        let bytes = fs::read(&journal).unwrap();
        let holds = |name: &str| bytes.windows(name.len()).any(|w| w == name.as_bytes());
        assert!(
            !holds("b.csv") && !holds("c.csv"),
            "the torn records are cut"
        );
        assert!(holds("a.csv") && holds("d.csv"), "a (kept), d");

        // A record whose rows were changed is not reused either.
        let store = Store::open(&StoreLocation::beside(&output), &p, BOTH).unwrap();
        assert_eq!(reused_mean(&store, &key("d.csv")), Some(0.75));
        drop(store);
        let first_row = bytes.windows(4).position(|w| w == b"data").unwrap();
        let mut damaged = bytes.clone();
        damaged[first_row] = b'D';
        fs::write(&journal, damaged).unwrap();
        let store = Store::open(&StoreLocation::beside(&output), &p, BOTH).unwrap();
        assert!(store.reuse(&key("a.csv")).is_none() && store.reuse(&key("d.csv")).is_none());
        drop(store);

        // Without --resume, the journal starts afresh.
        let fresh = StoreOptions {
            resume: false,
            ..BOTH
        };
        let store = Store::open(&StoreLocation::beside(&output), &p, fresh).unwrap();
        assert!(store.reuse(&key("d.csv")).is_none());
    }

    #[test]
    fn temporaries_abandoned_by_a_killed_run_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("s.parquet");
        let abandoned = dir.path().join(".s.parquet.Ab12Cd.tmp");
        let unrelated = dir.path().join(".other.parquet.Ab12Cd.tmp");
        fs::write(&abandoned, b"half").unwrap();
        fs::write(&unrelated, b"not ours").unwrap();
        let _store = Store::open(
            &StoreLocation::beside(&output),
            &describe::Options::default(),
            BOTH,
        )
        .unwrap();
        assert!(!abandoned.exists());
        assert!(unrelated.exists());
    }

    #[test]
    fn a_second_run_on_the_same_output_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("s.parquet");
        let _first = Store::open(
            &StoreLocation::beside(&output),
            &describe::Options::default(),
            BOTH,
        )
        .unwrap();
        assert!(matches!(
            Store::open(
                &StoreLocation::beside(&output),
                &describe::Options::default(),
                BOTH
            ),
            Err(Error::Busy(_))
        ));
    }

    #[test]
    fn a_run_that_wrote_nothing_keeps_the_old_cache() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("s.parquet");
        let p = describe::Options::default();
        let store = Store::open(&StoreLocation::beside(&output), &p, BOTH).unwrap();
        store
            .record(Some(&key("a.csv")), &summary("a.csv", 0.5))
            .unwrap();
        store.complete().unwrap();
        let (journal, cache) = paths_for(&output);
        let before = fs::read(&cache).unwrap();
        Store::open(&StoreLocation::beside(&output), &p, BOTH)
            .unwrap()
            .abandon()
            .unwrap();
        assert_eq!(fs::read(&cache).unwrap(), before);
        assert!(!journal.exists());
    }
}
