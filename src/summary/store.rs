//! Results kept between runs: the journal of the run in progress (`--resume`) and the cache of the last complete one.
//!
//! Both live next to the output, as hidden files: `.summary.parquet.journal`
//! and `.summary.parquet.cache`. The journal gets one line per finished file as
//! it finishes (taken from the cache or freshly described), so a run killed at
//! any moment, even with `kill -9`, leaves every finished file on record; a
//! torn last line is ignored. When the run completes, the journal becomes the
//! new cache (an atomic rename), or is deleted under `--no-cache`.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::records::{self, CacheCheck, FileKey};
#[cfg(test)]
use crate::describe::Percentiles;
use crate::describe::{self, FileSummary};
use crate::error::{Error, Result};

/// How a run uses the results of earlier runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// Reuse and refresh the cache of the last complete run.
    pub cache: bool,
    /// Continue an interrupted run from its journal.
    pub resume: bool,
    /// Keep a journal while running, so that an interrupted run can be
    /// resumed (off only for runs that are thrown away, as `bench`'s).
    pub journal: bool,
    /// How a file is judged unchanged.
    pub check: CacheCheck,
}

impl StoreOptions {
    /// Whether the run keeps any file beside its output.
    pub fn keeps_files(&self) -> bool {
        self.cache || self.journal || self.resume
    }
}

/// The journal being written, and the results that may be reused.
pub struct Store {
    journal_path: PathBuf,
    cache_path: PathBuf,
    journal: Mutex<File>,
    /// Stored lines by path, with the key they were stored under, from the
    /// cache and (when resuming) the journal; true for lines already in the
    /// journal.
    reusable: HashMap<PathBuf, (FileKey, String, bool)>,
    keep_cache: bool,
    check: CacheCheck,
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
        if options.cache {
            let cached = read_records(&cache_path, &header).lines;
            reusable.extend(
                cached
                    .into_iter()
                    .map(|(key, line)| (key.path.clone(), (key, line, false))),
            );
        }
        let journaled = if options.resume {
            read_records(&journal_path, &header)
        } else {
            Stored::default()
        };
        let resuming = journaled.valid_len > 0;
        reusable.extend(
            journaled
                .lines
                .into_iter()
                .map(|(key, line)| (key.path.clone(), (key, line, true))),
        );

        // Keep what a resumed journal proved (cutting a torn last line), or start afresh.
        journal.set_len(journaled.valid_len).map_err(write_error)?;
        journal.seek(SeekFrom::End(0)).map_err(write_error)?;
        if !resuming {
            journal.write_all(header.as_bytes()).map_err(write_error)?;
        }
        Ok(Store {
            journal_path,
            cache_path,
            journal: Mutex::new(journal),
            reusable,
            keep_cache: options.cache,
            check: options.check,
        })
    }

    /// How this store judges a file unchanged.
    pub fn check(&self) -> CacheCheck {
        self.check
    }

    /// The stored result of the file with `key`, if it is unchanged since;
    /// it is carried over to the journal.
    pub fn reuse(&self, key: &FileKey) -> Option<FileSummary> {
        let (stored, line, journaled) = self.reusable.get(&key.path)?;
        if !key.matches(stored, self.check) {
            return None;
        }
        let (_, summary) = records::decode(line)?;
        if !journaled {
            self.append(line);
        }
        Some(summary)
    }

    /// Whether the file with `key` has a stored result that [`Store::reuse`]
    /// would give (without carrying it over).
    pub fn has(&self, key: &FileKey) -> bool {
        self.reusable
            .get(&key.path)
            .is_some_and(|(stored, _, _)| key.matches(stored, self.check))
    }

    /// Puts a freshly described file on record.
    pub fn record(&self, key: &FileKey, summary: &FileSummary) {
        self.append(&records::encode(key, summary));
    }

    /// Appends a line and hands it to the operating system at once, so that it
    /// survives the process being killed.
    fn append(&self, line: &str) {
        let mut journal = self.journal.lock().unwrap_or_else(|e| e.into_inner());
        // A journal that cannot be written only costs the ability to resume.
        let _ = journal.write_all(line.as_bytes());
    }

    /// Ends a run that wrote nothing (every file failed, or `--strict`
    /// stopped it): its journal is removed and the cache of the last complete
    /// run is kept as it was.
    ///
    /// # Errors
    /// When the journal cannot be removed.
    pub fn abandon(self) -> Result<()> {
        drop(self.journal);
        fs::remove_file(&self.journal_path).map_err(|err| Error::write(&self.journal_path, err))
    }

    /// Ends a complete run: the journal becomes the cache (or is removed).
    ///
    /// # Errors
    /// When the journal cannot be renamed or removed.
    pub fn complete(self) -> Result<()> {
        let journal = self.journal.into_inner().unwrap_or_else(|e| e.into_inner());
        if self.keep_cache {
            journal
                .sync_all()
                .map_err(|err| Error::write(&self.journal_path, err))?;
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

/// The usable lines of a journal or cache.
#[derive(Default)]
struct Stored {
    lines: HashMap<FileKey, String>,
    /// Bytes up to the end of the last whole record (0 when the file is
    /// unusable).
    valid_len: u64,
}

/// Reads the records of `path` if its header is `header`; a torn or unreadable
/// line ends the usable part.
fn read_records(path: &Path, header: &str) -> Stored {
    let Ok(text) = read_text(path) else {
        return Stored::default();
    };
    if !text.starts_with(header) {
        return Stored::default();
    }
    let mut stored = Stored {
        lines: HashMap::new(),
        valid_len: header.len() as u64,
    };
    for line in text[header.len()..].split_inclusive('\n') {
        let Some((key, _)) = line
            .ends_with('\n')
            .then(|| records::decode(line))
            .flatten()
        else {
            break;
        };
        stored.valid_len += line.len() as u64;
        stored.lines.insert(key, line.to_string());
    }
    stored
}

fn read_text(path: &Path) -> io::Result<String> {
    let bytes = fs::read(path)?;
    String::from_utf8(bytes).map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::describe::ColumnStats;

    fn summary(path: &str, mean: f64) -> FileSummary {
        FileSummary {
            path: path.into(),
            label: "x".into(),
            columns: vec![ColumnStats {
                column: "data".into(),
                count: 2,
                mean: Some(mean),
                std: None,
                min: Some(0.0),
                percentiles: vec![Some(0.5); 3],
                max: Some(1.0),
                categorical: None,
            }],
            warnings: vec![],
            groups: None,
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
        store.record(&key("a.csv"), &summary("a.csv", 0.25));
        store.complete().unwrap();
        let (journal, cache) = paths_for(&output);
        assert!(!journal.exists() && cache.exists());

        let store = Store::open(&StoreLocation::beside(&output), &p, BOTH).unwrap();
        assert_eq!(
            store.reuse(&key("a.csv")).unwrap().columns[0].mean,
            Some(0.25)
        );
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
        store.record(&key("a.csv"), &summary("a.csv", 0.5));
        drop(store); // killed: the journal stays
        let (journal, _) = paths_for(&output);
        let mut file = OpenOptions::new().append(true).open(&journal).unwrap();
        file.write_all(b"{\"path\":\"b.csv\",\"si").unwrap();
        drop(file);

        let store = Store::open(&StoreLocation::beside(&output), &p, BOTH).unwrap();
        assert!(store.reuse(&key("a.csv")).is_some());
        store.record(&key("c.csv"), &summary("c.csv", 0.75));
        drop(store);
        let text = fs::read_to_string(&journal).unwrap();
        assert!(!text.contains("b.csv"), "the torn line is cut");
        assert_eq!(text.lines().count(), 1 + 1 + 1, "header, a (kept), c");

        // Without --resume, the journal starts afresh.
        let fresh = StoreOptions {
            resume: false,
            ..BOTH
        };
        let store = Store::open(&StoreLocation::beside(&output), &p, fresh).unwrap();
        assert!(store.reuse(&key("c.csv")).is_none());
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
        store.record(&key("a.csv"), &summary("a.csv", 0.5));
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
