//! A stream cut into blocks of whole records, and the ordered fold that parses them on every lent core.

use std::io::{self, Read};
use std::sync::{Condvar, Mutex};

use super::body::{Reading, BLOCK_BYTES};
use super::tokenizer::{self, QUOTE};
use crate::parallel::{run_polars_inline, SpareCores};

/// `parse` applied to every block `reader` gives, and `consume` called with
/// the results in block order: see [`super::body::CsvFile::fold_blocks`].
/// Up to `max_helpers` threads, each on a core `spare` lends, parse beside
/// the calling thread.
///
/// # Errors
/// The first error of `consume`, an I/O error of `reader`, or an interrupt.
pub(super) fn fold<T: Send, E: From<io::Error> + Send>(
    reader: BlockReader,
    spare: &SpareCores,
    max_helpers: usize,
    window: usize,
    parse: impl Fn(&[u8]) -> T + Sync,
    consume: impl FnMut(T) -> Result<(), E> + Send,
) -> Result<(), E> {
    let fold = Fold {
        state: Mutex::new(FoldState {
            blocks: IndexedBlocks {
                reader,
                next_index: 0,
                spare_buffers: Vec::new(),
                error: None,
            },
            consumed: 0,
            ready: std::collections::BTreeMap::new(),
            consuming: false,
            failed: None,
            panicked: None,
        }),
        changed: Condvar::new(),
        consume: Mutex::new(consume),
        window,
        parse,
    };
    let mut helpers = 0;
    std::thread::scope(|scope| loop {
        // Between blocks of our own, put cores that became spare to work.
        while helpers < max_helpers && !fold.is_done() {
            let Some(core) = spare.borrow() else { break };
            helpers += 1;
            let fold = &fold;
            scope.spawn(crate::interrupt::in_current_scope(move || {
                run_polars_inline();
                while fold.step() {}
                drop(core);
            }));
        }
        if !fold.step() {
            break;
        }
    });
    let state = fold.state.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(payload) = state.panicked {
        std::panic::resume_unwind(payload);
    }
    if let Some(failed) = state.failed {
        return Err(failed);
    }
    match state.blocks.error {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}

/// The shared state of [`fold`].
struct Fold<P, C, T, E> {
    state: Mutex<FoldState<T, E>>,
    /// A block consumed, or a failure: waiting readers look again.
    changed: Condvar,
    consume: Mutex<C>,
    window: usize,
    parse: P,
}

struct FoldState<T, E> {
    blocks: IndexedBlocks,
    /// The index of the next result to consume.
    consumed: usize,
    /// Results parsed before an earlier block's.
    ready: std::collections::BTreeMap<usize, T>,
    /// A thread is consuming (results are consumed by one thread at a time).
    consuming: bool,
    failed: Option<E>,
    panicked: Option<Box<dyn std::any::Any + Send>>,
}

impl<P, C, T, E> Fold<P, C, T, E>
where
    P: Fn(&[u8]) -> T + Sync,
    C: FnMut(T) -> Result<(), E> + Send,
    T: Send,
    E: Send,
{
    fn is_done(&self) -> bool {
        let state = lock(&self.state);
        state.blocks.is_done() || state.failed.is_some() || state.panicked.is_some()
    }

    /// Reads, parses and hands in one block, and consumes what is ready in
    /// order; false when no block is left or the fold failed.
    fn step(&self) -> bool {
        let (index, block) = {
            let mut state = lock(&self.state);
            loop {
                if state.failed.is_some() || state.panicked.is_some() {
                    return false;
                }
                if state.blocks.next_index < state.consumed + self.window {
                    break;
                }
                state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            let Some((index, block)) = state.blocks.next() else {
                return false;
            };
            (index, block)
        };
        let parsed =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (self.parse)(&block)));
        let mut state = lock(&self.state);
        state.blocks.spare_buffers.push(block);
        match parsed {
            Ok(result) => {
                state.ready.insert(index, result);
            }
            Err(payload) => {
                state.panicked.get_or_insert(payload);
                self.changed.notify_all();
                return false;
            }
        }
        if state.consuming {
            return true;
        }
        state.consuming = true;
        loop {
            let next = state.consumed;
            let Some(result) = state.ready.remove(&next) else {
                break;
            };
            state.consumed += 1;
            drop(state);
            let outcome = (lock(&self.consume))(result);
            state = lock(&self.state);
            if let Err(error) = outcome {
                state.failed.get_or_insert(error);
                break;
            }
        }
        state.consuming = false;
        self.changed.notify_all();
        true
    }
}

/// Blocks handed out in order, with their index, in reused buffers.
struct IndexedBlocks {
    reader: BlockReader,
    next_index: usize,
    spare_buffers: Vec<Vec<u8>>,
    error: Option<io::Error>,
}

impl IndexedBlocks {
    /// Whether no block is left to hand out (or an error ended the reading).
    fn is_done(&self) -> bool {
        self.reader.at_end && self.reader.carry.is_empty() || self.error.is_some()
    }

    fn next(&mut self) -> Option<(usize, Vec<u8>)> {
        if crate::interrupt::requested() {
            self.error = Some(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        if self.error.is_some() {
            return None;
        }
        let mut block = self.spare_buffers.pop().unwrap_or_default();
        match self.reader.next_block(&mut block) {
            Ok(true) => {
                self.next_index += 1;
                Some((self.next_index - 1, block))
            }
            Ok(false) => None,
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reads a stream in blocks of whole records, carrying a partial last
/// record over to the next block.
pub(super) struct BlockReader {
    reader: Box<dyn Read + Send>,
    /// Bytes read past the last record end handed out.
    carry: Vec<u8>,
    at_end: bool,
    reading: Reading,
}

impl BlockReader {
    pub(super) fn new(reader: Box<dyn Read + Send>, carry: Vec<u8>, reading: Reading) -> Self {
        BlockReader {
            reader,
            carry,
            at_end: false,
            reading,
        }
    }

    /// Fills `block` with the next complete records, about [`BLOCK_BYTES`]
    /// of them (the rest of the file at its end); false when nothing is left.
    ///
    /// # Errors
    /// When reading fails, or one record is longer than the limit.
    pub(super) fn next_block(&mut self, block: &mut Vec<u8>) -> io::Result<bool> {
        block.clear();
        block.append(&mut self.carry);
        let mut searched = 0;
        loop {
            if !self.at_end && block.len() < searched + BLOCK_BYTES {
                let wanted = (searched + BLOCK_BYTES - block.len()) as u64;
                self.at_end = (&mut self.reader).take(wanted).read_to_end(block)? == 0;
            }
            if self.at_end {
                return Ok(!block.is_empty());
            }
            // No record end yet means one very long record: read on and look again.
            if let Some(end) = last_record_end(block, self.reading.separator) {
                self.carry.extend_from_slice(&block[end..]);
                block.truncate(end);
                return Ok(true);
            }
            if block.len() > self.reading.record_limit {
                return Err(record_too_long(self.reading.record_limit));
            }
            searched = block.len();
        }
    }
}

/// The error of a record longer than `limit` bytes.
fn record_too_long(limit: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "a record (a line) longer than {} MiB, the most one file may hold under \
             --max-memory: the file is not a CSV, or it decompresses to an endless \
             line (a decompression bomb); raise --max-memory to read it",
            limit >> 20
        ),
    )
}

/// The offset just past the last record that ends in `bytes` (which start a
/// record): the last `\n` when there is no quote (a `\n` outside quotes
/// always ends a record), else as the tokenizer reads it.
fn last_record_end(bytes: &[u8], separator: u8) -> Option<usize> {
    if memchr::memchr(QUOTE, bytes).is_none() {
        if let Some(newline) = memchr::memrchr(b'\n', bytes) {
            return Some(newline + 1);
        }
    }
    tokenizer::last_record_end(bytes, separator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ends() {
        assert_eq!(last_record_end(b"a\n\"x\ny", b','), Some(2));
        assert_eq!(last_record_end(b"a\nx\ny", b','), Some(4));
        assert_eq!(last_record_end(b"a\rb\rc", b','), Some(4));
        assert_eq!(last_record_end(b"abc", b','), None);
    }
}
