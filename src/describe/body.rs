//! A CSV file's bytes as blocks that end at line boundaries: small files whole in memory, large ones read block by block.
//!
//! A file up to [`BLOCK_BYTES`] is read once and held whole. A larger file is
//! read again for each pass, a block at a time, so memory holds one block
//! (plus the parsed numeric columns), never the file: a 1 GB file does not
//! need 1 GB of memory.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::quoting::{Quoting, Role};
use crate::parallel::{run_polars_inline, SpareCores};

/// Files larger than this are read block by block; blocks are about this size.
pub const BLOCK_BYTES: usize = 8 * 1024 * 1024;

/// Where a file's bytes come from.
#[derive(Debug, Clone)]
enum Source {
    /// The whole file, read once.
    Memory(Arc<Vec<u8>>),
    /// A large file, read again on each pass; its size when opened.
    File(PathBuf, u64),
}

/// A CSV file: its beginning (for the header and the sample rows) and access
/// to its body (everything after the header) in blocks.
#[derive(Debug, Clone)]
pub struct CsvFile {
    source: Source,
    /// Complete lines from the start of the file: the whole file when it is in
    /// memory, else the first block.
    head: Arc<Vec<u8>>,
}

impl CsvFile {
    /// Opens `path`: reads it whole if it is small, else only its first block.
    ///
    /// # Errors
    /// When the file cannot be opened or read.
    pub fn open(path: &Path) -> io::Result<Self> {
        let mut file = File::open(path)?;
        let size = file.metadata()?.len();
        let mut bytes = Vec::with_capacity(size.min(BLOCK_BYTES as u64) as usize + 1);
        (&mut file)
            .take(BLOCK_BYTES as u64 + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() <= BLOCK_BYTES {
            return Ok(CsvFile::from_bytes(bytes));
        }
        // A large file: its head is the first block cut at a line end (or
        // longer, when the first line alone is longer than a block).
        let mut reader = BlockReader::new(file, bytes);
        let mut head = Vec::new();
        reader.next_block(&mut head, true)?;
        Ok(CsvFile {
            source: Source::File(path.to_path_buf(), size),
            head: Arc::new(head),
        })
    }

    /// A file held in memory (tests, benchmarks, and every small file).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        let bytes = Arc::new(bytes);
        CsvFile {
            source: Source::Memory(Arc::clone(&bytes)),
            head: bytes,
        }
    }

    /// The first complete lines of the file (the whole file when it is small).
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Calls `visit` with each block of the body (the bytes from `body_start`,
    /// the end of the header) and the 1-based line number of its first line.
    /// Blocks end at line ends (outside quotes when `has_quotes`).
    ///
    /// # Errors
    /// The first error of `visit`, or an I/O error reading a large file (for
    /// example when it was shortened since it was opened).
    pub fn for_each_block<E: From<io::Error>>(
        &self,
        body_start: usize,
        has_quotes: bool,
        mut visit: impl FnMut(&[u8], u64) -> Result<(), E>,
    ) -> Result<(), E> {
        let first_line = 1 + count_newlines(&self.head[..body_start]);
        match &self.source {
            Source::Memory(bytes) => visit(&bytes[body_start..], first_line),
            Source::File(path, _) => {
                let mut reader = self.block_reader(path, body_start)?;
                let mut block = Vec::with_capacity(2 * BLOCK_BYTES);
                let mut line = first_line;
                while reader.next_block(&mut block, has_quotes)? {
                    if crate::interrupt::requested() {
                        return Err(
                            io::Error::new(io::ErrorKind::Interrupted, "interrupted").into()
                        );
                    }
                    visit(&block, line)?;
                    line += count_newlines(&block);
                }
                Ok(())
            }
        }
    }

    /// `parse` applied to every block of the body, results in block order.
    /// Blocks are parsed on the calling thread and on any cores `spare` lends
    /// meanwhile (a large file, once the other files are done); reading stays
    /// in order, one block at a time. (Blocks are not numbered by line here:
    /// only the slow path that locates an error needs that, see
    /// [`CsvFile::for_each_block`].)
    ///
    /// # Errors
    /// An I/O error reading a large file.
    pub fn map_blocks<T: Send>(
        &self,
        body_start: usize,
        has_quotes: bool,
        spare: &SpareCores,
        parse: impl Fn(&[u8]) -> T + Sync,
    ) -> io::Result<Vec<T>> {
        let (path, size) = match &self.source {
            Source::Memory(bytes) => return Ok(vec![parse(&bytes[body_start..])]),
            Source::File(path, size) => (path, *size),
        };
        // Helpers beyond the number of blocks would find nothing to do; each
        // helper stays until the blocks run out, so this bounds the threads
        // started for the file, however many cores are lent.
        let max_helpers = (size as usize).div_ceil(BLOCK_BYTES).saturating_sub(1);
        let mut helpers = 0;
        let blocks = Mutex::new(IndexedBlocks {
            reader: self.block_reader(path, body_start)?,
            has_quotes,
            next_index: 0,
            spare_buffers: Vec::new(),
            error: None,
        });
        let results = Mutex::new(Vec::new());
        // Parses the next block; false when there is none left.
        let parse_next = || {
            let Some((index, block)) = lock(&blocks).next() else {
                return false;
            };
            let result = parse(&block);
            lock(&results).push((index, result));
            lock(&blocks).spare_buffers.push(block);
            true
        };
        std::thread::scope(|scope| loop {
            // Between blocks of our own, put cores that became spare to work.
            while helpers < max_helpers && !lock(&blocks).is_done() {
                let Some(core) = spare.borrow() else { break };
                helpers += 1;
                let parse_next = &parse_next;
                scope.spawn(move || {
                    run_polars_inline();
                    while parse_next() {}
                    drop(core);
                });
            }
            if !parse_next() {
                break;
            }
        });
        if let Some(error) = lock(&blocks).error.take() {
            return Err(error);
        }
        let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
        results.sort_by_key(|(index, _)| *index);
        Ok(results.into_iter().map(|(_, result)| result).collect())
    }

    fn block_reader(&self, path: &Path, body_start: usize) -> io::Result<BlockReader> {
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(body_start as u64))?;
        Ok(BlockReader::new(file, Vec::new()))
    }
}

/// Blocks handed out in order, with their index, in reused buffers.
struct IndexedBlocks {
    reader: BlockReader,
    has_quotes: bool,
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
        match self.reader.next_block(&mut block, self.has_quotes) {
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

/// Reads a file in blocks of whole lines, carrying a partial last line over
/// to the next block.
struct BlockReader {
    file: File,
    /// Bytes read past the last line end handed out.
    carry: Vec<u8>,
    at_end: bool,
}

impl BlockReader {
    fn new(file: File, carry: Vec<u8>) -> Self {
        BlockReader {
            file,
            carry,
            at_end: false,
        }
    }

    /// Fills `block` with the next complete lines, about [`BLOCK_BYTES`] of
    /// them (the rest of the file at its end); false when nothing is left.
    fn next_block(&mut self, block: &mut Vec<u8>, has_quotes: bool) -> io::Result<bool> {
        block.clear();
        block.append(&mut self.carry);
        let mut searched = 0;
        loop {
            if !self.at_end && block.len() < searched + BLOCK_BYTES {
                let wanted = (searched + BLOCK_BYTES - block.len()) as u64;
                self.at_end = (&mut self.file).take(wanted).read_to_end(block)? == 0;
            }
            if self.at_end {
                return Ok(!block.is_empty());
            }
            // No line end yet means one very long line: read on and look again.
            if let Some(end) = last_line_end(block, has_quotes) {
                self.carry.extend_from_slice(&block[end..]);
                block.truncate(end);
                return Ok(true);
            }
            searched = block.len();
        }
    }
}

/// The offset just past the last newline of `bytes` that is outside quotes.
fn last_line_end(bytes: &[u8], has_quotes: bool) -> Option<usize> {
    if !has_quotes {
        return bytes.iter().rposition(|&b| b == b'\n').map(|i| i + 1);
    }
    let mut state = Quoting::default();
    let mut end = None;
    for (i, &byte) in bytes.iter().enumerate() {
        let (next, role) = state.step(byte);
        state = next;
        if role == Role::RecordEnd {
            end = Some(i + 1);
        }
    }
    end
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text`, opens it and returns every block with its first line.
    fn blocks_of(
        text: &[u8],
        body_start: usize,
        has_quotes: bool,
    ) -> (CsvFile, Vec<(Vec<u8>, u64)>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, text).unwrap();
        let file = CsvFile::open(&path).unwrap();
        let mut blocks = Vec::new();
        file.for_each_block(body_start, has_quotes, |block, line| -> io::Result<()> {
            blocks.push((block.to_vec(), line));
            Ok(())
        })
        .unwrap();
        (file, blocks)
    }

    #[test]
    fn small_files_are_one_block() {
        let (file, blocks) = blocks_of(b"h\n1\n2\n", 2, false);
        assert_eq!(file.head(), b"h\n1\n2\n");
        assert_eq!(blocks, vec![(b"1\n2\n".to_vec(), 2)]);
    }

    #[test]
    fn large_files_come_in_whole_lines_with_their_line_numbers() {
        let mut text = b"a,b\n".to_vec();
        let mut rows = 0u64;
        while text.len() < 2 * BLOCK_BYTES + 1000 {
            text.extend_from_slice(format!("{rows},{}\n", rows * 3).as_bytes());
            rows += 1;
        }
        text.extend_from_slice(b"7,8"); // no final newline
        let (file, blocks) = blocks_of(&text, 4, false);
        assert!(file.head().len() <= BLOCK_BYTES && file.head().ends_with(b"\n"));
        assert!(blocks.len() >= 3);
        let mut expected_line = 2;
        let mut joined = Vec::new();
        for (block, line) in &blocks {
            assert_eq!(*line, expected_line);
            expected_line += count_newlines(block);
            joined.extend_from_slice(block);
        }
        assert_eq!(joined, &text[4..]);
        assert!(blocks[..blocks.len() - 1]
            .iter()
            .all(|(b, _)| b.ends_with(b"\n")));
    }

    #[test]
    fn cuts_outside_quotes() {
        assert_eq!(last_line_end(b"a\n\"x\ny", true), Some(2));
        assert_eq!(last_line_end(b"a\n\"x\ny", false), Some(5));
        assert_eq!(last_line_end(b"abc", false), None);
    }
}
