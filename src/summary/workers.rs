//! The parallel part of `run`: every input described on the workers (or its earlier result reused), each isolated from the others' failures and panics.

use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use super::records::FileKey;
use super::store::Store;
use super::{Describer, FileFailure};
use crate::config::RunConfig;
use crate::describe::{self, FileSummary};
use crate::error::{Error, Result};
use crate::interrupt;
use crate::parallel::{self, SpareCores};
use crate::progress::Console;
use crate::read::{FileError, Origin};
use crate::results::{Collector, Location, Log, Logged};
use crate::sources::prefetch::{self, Prefetch};
use crate::sources::{Input, ObjectInfo};

/// What the workers found: the files summarized (their rows in the log),
/// the failures, and warnings per file.
pub(super) struct Described {
    pub rows: Collector,
    pub summarized: usize,
    pub reused: usize,
    pub failures: Vec<FileFailure>,
    pub warnings: Vec<(PathBuf, Vec<String>)>,
    /// The first file that failed because the object store stopped
    /// answering: the run stops there (see [`Error::Unreachable`]).
    pub outage: Option<FileFailure>,
    /// The first file that failed because the temporary folder took no
    /// more: the run stops there too.
    pub no_room: Option<FileFailure>,
}

/// Describes every input on the configured workers, each isolated from the
/// others' failures and panics, with a progress bar. An input unchanged
/// since an earlier run takes its stored result; every result is put on
/// record in `log` (the journal, when there is a store) as it comes.
/// Objects' first bytes are fetched ahead of the workers (see [`prefetch`]).
///
/// # Errors
/// When the worker threads cannot start, the run is interrupted, the
/// object store stops answering, or the log or the temporary folder cannot
/// be written.
pub(super) fn describe_all(
    inputs: &[Input],
    config: &RunConfig,
    store: Option<&Store>,
    log: &Log,
    console: &Console,
    describer: &Describer,
) -> Result<Described> {
    let bar = console.bar(inputs.len() as u64, "describing", "files");
    let described = Mutex::new(Described {
        rows: Collector::new(
            &config.describe.percentiles,
            config.describe.include,
            &config.describe.by,
            config.describe.memory.held_rows(),
        ),
        summarized: 0,
        reused: 0,
        failures: Vec::new(),
        warnings: Vec::new(),
        outage: None,
        no_room: None,
    });
    let stop = AtomicBool::new(false);
    let to_fetch = objects_to_fetch(inputs, store);
    let prefetch = Prefetch::new(to_fetch.iter().map(|(index, _)| *index));
    let work = |index: usize, input: &Input, spare: &SpareCores| {
        if interrupt::requested() || stop.load(Ordering::Relaxed) {
            return;
        }
        // An object being prefetched has no stored result to reuse.
        let prefetched = input.object.is_some() && prefetch.expects(index);
        let key = store.and_then(|store| key_of(input, store));
        let stored = store
            .zip(key.as_ref())
            .filter(|_| !prefetched)
            .and_then(|(store, key)| store.reuse(key));
        let reused = stored.is_some();
        let outcome = match stored {
            Some(stored) => Ok((
                Logged {
                    label: stored.head.label(),
                    path: stored.head.path,
                    keys: stored.head.keys,
                    categorical: stored.head.categorical,
                    location: stored.location,
                },
                stored.head.warnings,
            )),
            None => {
                let origin = origin_of(input, prefetched.then_some((index, &prefetch)));
                describe_isolated(origin, &config.describe, spare, describer)
                    .map(|summary| (log_summary(&summary, key.as_ref(), store, log), summary))
                    .and_then(|(location, summary)| match location {
                        Some(location) => Ok((
                            Logged {
                                location,
                                path: summary.path,
                                label: summary.label,
                                categorical: summary.rows.has_categorical(),
                                keys: summary.keys,
                            },
                            summary.warnings,
                        )),
                        // The log could not be written: the run stops (its
                        // error is the log's, below).
                        None => {
                            stop.store(true, Ordering::Relaxed);
                            Err(FileFailure {
                                path: input.path.clone(),
                                error: FileError::Panic("not on record".into()),
                            })
                        }
                    })
            }
        };
        // The lock is held for an append; the file's own allocations are
        // freed at once, so memory grows only by the files' records.
        let mut described = described.lock().unwrap_or_else(|e| e.into_inner());
        match outcome {
            Ok((logged, warnings)) => {
                if !warnings.is_empty() {
                    described.warnings.push((logged.path.clone(), warnings));
                }
                described.rows.add(logged);
                described.summarized += 1;
                described.reused += usize::from(reused);
            }
            // An endpoint that stopped answering fails every file after
            // this one alike: the run stops, as an interrupted one does.
            Err(failure) if failure.error.is_unreachable() => {
                stop.store(true, Ordering::Relaxed);
                described.outage.get_or_insert(failure);
            }
            // So does a temporary folder that takes no more.
            Err(failure) if failure.error.is_temporary_folder() => {
                stop.store(true, Ordering::Relaxed);
                described.no_room.get_or_insert(failure);
            }
            Err(failure) => {
                stop.fetch_or(config.strict, Ordering::Relaxed);
                described.failures.push(failure);
            }
        }
        bar.inc(1);
    };
    std::thread::scope(|scope| {
        if !to_fetch.is_empty() {
            scope.spawn(interrupt::in_current_scope(|| prefetch.fetch(&to_fetch)));
        }
        let done = parallel::for_each_on_workers(config.jobs, inputs, work);
        prefetch.cancel();
        done
    })?;
    bar.finish_and_clear();
    let resumable = store.is_some() && config.store.journal;
    if interrupt::requested() {
        return Err(Error::Interrupted { resumable });
    }
    let described = described.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(error) = log.failure() {
        return Err(match (crate::temporary::in_io(&error), store) {
            (None, Some(store)) => Error::write(store.journal_path(), error),
            (no_room, _) => Error::TemporaryFolder {
                reason: no_room.map_or_else(|| error.to_string(), ToString::to_string),
                resumable,
            },
        });
    }
    if let Some(failure) = described.no_room {
        let reason = match &failure.error {
            FileError::Read(error) => crate::temporary::in_io(error).map(ToString::to_string),
            _ => None,
        };
        return Err(Error::TemporaryFolder {
            reason: format!(
                "{} (while reading {})",
                reason.unwrap_or_else(|| failure.error.reason()),
                crate::sources::display_path(&failure.path)
            ),
            resumable,
        });
    }
    if let Some(failure) = described.outage {
        return Err(Error::Unreachable {
            failure: failure.to_string(),
            done: described.summarized,
            total: inputs.len(),
            resumable,
        });
    }
    Ok(described)
}

/// Puts a freshly described file on record: in the journal (with its key,
/// to be reused) or the run's own log. `None` when that cannot be written.
fn log_summary(
    summary: &FileSummary,
    key: Option<&FileKey>,
    store: Option<&Store>,
    log: &Log,
) -> Option<Location> {
    match store {
        Some(store) => store.record(key, summary),
        None => log.append(b"", &summary.rows),
    }
}

/// The objects among `inputs` that must be read (no stored result stands
/// for them), with their index.
fn objects_to_fetch(inputs: &[Input], store: Option<&Store>) -> Vec<(usize, ObjectInfo)> {
    inputs
        .iter()
        .enumerate()
        .filter_map(|(index, input)| Some((index, input.object.clone()?)))
        .filter(|(_, object)| store.is_none_or(|store| !store.has(&FileKey::of_object(object))))
        .collect()
}

/// The key that tells whether `input` changed since its stored result.
fn key_of(input: &Input, store: &Store) -> Option<FileKey> {
    match &input.object {
        Some(object) => Some(FileKey::of_object(object)),
        None => FileKey::of(&input.path, store.check()),
    }
}

/// Where the worker reads `input` from: its path, or its object with the
/// head taken from `prefetched` (its index there), or fetched now (an
/// object whose stored result turned out unusable).
fn origin_of(input: &Input, prefetched: Option<(usize, &Prefetch)>) -> Origin {
    match &input.object {
        None => Origin::File(input.path.clone()),
        Some(object) => Origin::Object {
            head: match prefetched {
                Some((index, prefetch)) => prefetch.take(index),
                None => prefetch::fetch_head(object),
            },
            object: object.clone(),
        },
    }
}

/// Describes one input; a panic inside (ours or a dependency's) becomes this input's error.
fn describe_isolated(
    origin: Origin,
    options: &describe::Options,
    spare: &SpareCores,
    describer: &Describer,
) -> std::result::Result<FileSummary, FileFailure> {
    let path = origin.path();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| describer(origin, options, spare)))
        .unwrap_or_else(|payload| Err(FileError::Panic(panic_message(&*payload))));
    outcome.map_err(|error| FileFailure { path, error })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
