//! Objects' first bytes fetched ahead of the workers that describe them, many requests at a time, within a bounded window of memory.
//!
//! A worker that describes an object would otherwise wait a round trip for
//! its first bytes, then another for each object after it: with 1,000
//! objects and 20 ms a request, 20 s of waiting on two workers. Here one
//! thread keeps up to [`in_flight`] requests open, in the order the workers
//! take the objects, and holds what came back until its worker takes it.
//! The bytes held (fetched, not yet taken) stay under [`WINDOW_BYTES`]: when
//! the workers fall behind, fetching pauses.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::s3::{self, ObjectInfo, RemoteError};

/// At most this many bytes of heads are held, and at most this many are
/// requested at once.
pub const WINDOW_BYTES: u64 = 64 * 1024 * 1024;

/// The default number of requests kept open; `POLARSDESC_S3_REQUESTS` sets it.
/// Two cores describe about 3,000 small objects a second; at 20 to 50 ms a
/// GET, 64 requests in flight bring 1,300 to 3,200 a second (see
/// docs/benchmarks.md, "Object storage").
pub const DEFAULT_REQUESTS: usize = 64;

/// The most bytes of an object's head: one more than the readers' block
/// (8 MiB, `describe::memory::BLOCK_BYTES`, checked where they read it), so
/// that the reader knows whether the object is small (held whole) or read
/// in blocks.
pub const HEAD_BYTES: u64 = 8 * 1024 * 1024 + 1;

/// How many bytes of an object its head is (see [`HEAD_BYTES`]).
pub fn head_length(object: &ObjectInfo) -> u64 {
    object.size.min(HEAD_BYTES)
}

/// How many requests to keep open for heads of up to `largest_head` bytes:
/// `POLARSDESC_S3_REQUESTS` (default 64), fewer when that many heads would
/// not fit in the window.
pub fn in_flight(largest_head: u64) -> usize {
    // An unusable POLARSDESC_S3_REQUESTS is refused by the first request.
    let wanted = s3::settings().map_or(DEFAULT_REQUESTS, |settings| settings.requests);
    let fitting = usize::try_from(WINDOW_BYTES / largest_head.max(1)).unwrap_or(usize::MAX);
    wanted.min(fitting).max(1)
}

/// The head of one object, fetched now (for an object not prefetched).
///
/// # Errors
/// When the request fails.
pub fn fetch_head(object: &ObjectInfo) -> Result<Vec<u8>, RemoteError> {
    s3::client()?.get_range(&object.url, 0..head_length(object))
}

/// Heads fetched ahead, by the index of their item in the run.
pub struct Prefetch {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    /// Fetched and not yet taken.
    heads: HashMap<usize, Result<Vec<u8>, RemoteError>>,
    held_bytes: u64,
    /// The items to be fetched, not yet fetched.
    pending: std::collections::HashSet<usize>,
    /// Set when the workers are done (or gave up): fetching stops.
    cancelled: bool,
    /// Set when fetching has stopped, for whatever reason.
    finished: bool,
}

impl Prefetch {
    /// A prefetch of the items at `indexes` (to be run by [`Prefetch::fetch`]).
    pub fn new(indexes: impl IntoIterator<Item = usize>) -> Self {
        Prefetch {
            state: Mutex::new(State {
                pending: indexes.into_iter().collect(),
                ..State::default()
            }),
            changed: Condvar::new(),
        }
    }

    /// Whether the item at `index` is fetched here (else its worker fetches it).
    pub fn expects(&self, index: usize) -> bool {
        let state = self.lock();
        state.pending.contains(&index) || state.heads.contains_key(&index)
    }

    /// Fetches the heads of `objects` (with the index of each), in order, on
    /// this thread, until all are fetched or [`Prefetch::cancel`] is called.
    pub fn fetch(&self, objects: &[(usize, ObjectInfo)]) {
        struct Finish<'a>(&'a Prefetch);
        impl Drop for Finish<'_> {
            // Also after a panic: a waiting worker must not wait forever.
            fn drop(&mut self) {
                self.0.lock().finished = true;
                self.0.changed.notify_all();
            }
        }
        let _finish = Finish(self);
        let client = match s3::client() {
            Ok(client) => client,
            Err(err) => {
                for (index, _) in objects {
                    self.hand_over(*index, Err(err.clone()));
                }
                return;
            }
        };
        let infos: Vec<ObjectInfo> = objects.iter().map(|(_, object)| object.clone()).collect();
        let largest = infos.iter().map(head_length).max().unwrap_or(0);
        client.get_heads(&infos, HEAD_BYTES, in_flight(largest), |at, head| {
            self.wait_for_room() && {
                self.hand_over(objects[at].0, head);
                true
            }
        });
    }

    /// Waits until the held heads leave room for one more; false when cancelled.
    fn wait_for_room(&self) -> bool {
        let mut state = self.lock();
        while !state.cancelled && state.held_bytes >= WINDOW_BYTES {
            state = self
                .changed
                .wait_timeout(state, Duration::from_millis(100))
                .unwrap_or_else(|e| e.into_inner())
                .0;
            if crate::interrupt::requested() {
                state.cancelled = true;
            }
        }
        !state.cancelled
    }

    fn hand_over(&self, index: usize, head: Result<Vec<u8>, RemoteError>) {
        let mut state = self.lock();
        state.pending.remove(&index);
        state.held_bytes += head.as_ref().map_or(0, |bytes| bytes.len() as u64);
        state.heads.insert(index, head);
        drop(state);
        self.changed.notify_all();
    }

    /// The head of the item at `index`, waiting for it to arrive.
    ///
    /// # Errors
    /// When its request failed, or fetching stopped before it.
    pub fn take(&self, index: usize) -> Result<Vec<u8>, RemoteError> {
        let mut state = self.lock();
        loop {
            if let Some(head) = state.heads.remove(&index) {
                state.held_bytes -= head.as_ref().map_or(0, |bytes| bytes.len() as u64);
                drop(state);
                self.changed.notify_all();
                return head;
            }
            if state.finished {
                return Err(RemoteError::new("", "fetching stopped before this object"));
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Stops fetching (the workers are done).
    pub fn cancel(&self) {
        self.lock().cancelled = true;
        self.changed.notify_all();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(size: u64) -> ObjectInfo {
        ObjectInfo {
            url: s3::S3Url::parse("s3://b/k.csv").unwrap(),
            size,
            modified_ns: 0,
            etag: None,
        }
    }

    #[test]
    fn a_head_is_a_block_and_a_byte_at_most() {
        assert_eq!(head_length(&object(10)), 10);
        assert_eq!(head_length(&object(1 << 40)), HEAD_BYTES);
    }

    #[test]
    fn requests_shrink_to_fit_the_window() {
        assert_eq!(in_flight(1000), DEFAULT_REQUESTS);
        assert_eq!(in_flight(HEAD_BYTES), 7);
        assert_eq!(in_flight(WINDOW_BYTES * 2), 1);
    }

    #[test]
    fn a_taken_head_frees_its_room_and_a_stopped_fetch_answers() {
        let prefetch = Prefetch::new([3, 5]);
        assert!(prefetch.expects(3) && !prefetch.expects(4));
        prefetch.hand_over(3, Ok(vec![1, 2, 3]));
        assert_eq!(prefetch.lock().held_bytes, 3);
        assert_eq!(prefetch.take(3).unwrap(), vec![1, 2, 3]);
        assert_eq!(prefetch.lock().held_bytes, 0);
        prefetch.lock().finished = true;
        assert!(prefetch.take(5).is_err());
    }
}
