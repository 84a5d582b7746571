//! A CSV file's bytes as blocks of whole records: small files whole in memory, large or compressed ones streamed block by block, parsed on every core and taken in order.
//!
//! A file up to [`BLOCK_BYTES`] (after decompression) is read once and held
//! whole. A larger file is read a block at a time (again only when it must
//! be: the fast path gave way to pandas' rules), so memory holds a few
//! blocks, never the file: a 3 GB file does not need 3 GB of memory. Blocks
//! end where a record ends, as pandas' tokenizer sees records (line ends
//! inside quotes do not end one); a record longer than the file's limit fails
//! the file rather than fill memory.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::blocks::{self, BlockReader};
use super::tokenizer;
use crate::parallel::SpareCores;
use crate::read::decompress::{self, Compression};
use crate::sources::s3::{self, ObjectInfo};

pub use crate::describe::memory::BLOCK_BYTES;

// An object's head, fetched ahead, is one byte more than a block: the
// reader tells a small object from a large one by it.
const _: () = assert!(crate::sources::prefetch::HEAD_BYTES == BLOCK_BYTES as u64 + 1);

/// Where a file's bytes come from.
#[derive(Debug, Clone)]
enum Source {
    /// The whole file, read once.
    Memory(Arc<Vec<u8>>),
    /// A large file, read again on each pass; its size when opened.
    Plain(Raw, u64),
    /// A large compressed file, decompressed again on each pass.
    Compressed(Raw, Compression),
}

/// Where a large file's raw bytes are read (again) from.
#[derive(Debug, Clone)]
enum Raw {
    File(PathBuf),
    Object(ObjectInfo),
}

impl Raw {
    /// Its raw bytes from `offset` on.
    fn reader(&self, offset: u64) -> io::Result<Box<dyn Read + Send>> {
        match self {
            Raw::File(path) => {
                let mut file = File::open(path)?;
                file.seek(SeekFrom::Start(offset))?;
                Ok(Box::new(file))
            }
            Raw::Object(object) => Ok(Box::new(ObjectReader::new(object.clone(), offset))),
        }
    }

    /// Its decompressed bytes, from the start; `fetched` are its first raw
    /// bytes when they are at hand already (an object's prefetched head).
    fn decompressed(
        &self,
        compression: Compression,
        fetched: Vec<u8>,
    ) -> io::Result<Box<dyn Read + Send>> {
        match (self, compression) {
            (Raw::File(path), compression) => decompress::open(path, compression),
            // A zip is read at its end first: the whole object, in memory.
            (Raw::Object(object), Compression::Zip) => {
                let mut bytes = fetched;
                ObjectReader::new(object.clone(), bytes.len() as u64).read_to_end(&mut bytes)?;
                decompress::zip_entry(io::Cursor::new(bytes), &object.url.to_string())
            }
            (Raw::Object(object), compression) => {
                let rest = ObjectReader::new(object.clone(), fetched.len() as u64);
                decompress::stream(Box::new(io::Cursor::new(fetched).chain(rest)), compression)
            }
        }
    }
}

/// An object's bytes from some offset, fetched a block at a time with
/// ranged GETs, so that memory holds one block of a large object.
struct ObjectReader {
    object: ObjectInfo,
    position: u64,
    buffer: Vec<u8>,
    consumed: usize,
}

impl ObjectReader {
    fn new(object: ObjectInfo, position: u64) -> Self {
        ObjectReader {
            object,
            position,
            buffer: Vec::new(),
            consumed: 0,
        }
    }
}

impl Read for ObjectReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.consumed == self.buffer.len() {
            let end = (self.position + BLOCK_BYTES as u64).min(self.object.size);
            if self.position >= end {
                return Ok(0);
            }
            let client = s3::client().map_err(s3::RemoteError::into_io)?;
            self.buffer = client
                .get_range(&self.object.url, self.position..end)
                .map_err(s3::RemoteError::into_io)?;
            self.position += self.buffer.len() as u64;
            self.consumed = 0;
            if self.buffer.is_empty() {
                return Ok(0);
            }
        }
        let count = out.len().min(self.buffer.len() - self.consumed);
        out[..count].copy_from_slice(&self.buffer[self.consumed..self.consumed + count]);
        self.consumed += count;
        Ok(count)
    }
}

/// How a file's records are read: what separates fields, and the longest
/// record held (a longer one fails the file instead of filling memory: a
/// file that is not a CSV, or a decompression bomb of one endless line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub separator: u8,
    pub record_limit: usize,
}

/// A CSV file: its beginning (for the header and the sample rows) and access
/// to its body (everything after the header) in blocks.
#[derive(Debug, Clone)]
pub struct CsvFile {
    source: Source,
    /// Complete records from the start of the file: the whole file when it
    /// is in memory, else the first block.
    head: Arc<Vec<u8>>,
    reading: Reading,
}

impl CsvFile {
    /// Opens `path` (decompressing it if its name says it is compressed):
    /// reads it whole if it is small, else only its first block. Records are
    /// read as `reading` says.
    ///
    /// # Errors
    /// When the file cannot be opened, read or decompressed, or its first
    /// record is longer than the limit.
    pub fn open(path: &Path, reading: Reading) -> io::Result<Self> {
        refuse_tar(path.file_name().unwrap_or_default())?;
        let compression = path.file_name().and_then(Compression::of_name);
        let raw = Raw::File(path.to_path_buf());
        let (reader, size): (Box<dyn Read + Send>, u64) = match compression {
            Some(compression) => (raw.decompressed(compression, Vec::new())?, 0),
            None => {
                let file = File::open(path)?;
                let size = file.metadata()?.len();
                (Box::new(file), size)
            }
        };
        CsvFile::read_head(reader, Vec::new(), raw, compression, size, reading)
    }

    /// Opens an object of a bucket whose first bytes (`head`, up to one
    /// block and a byte, or the whole object) are already fetched.
    ///
    /// # Errors
    /// When the rest of the object cannot be fetched or decompressed.
    pub fn open_object(object: &ObjectInfo, head: Vec<u8>, reading: Reading) -> io::Result<Self> {
        let name = object.url.key.rsplit('/').next().unwrap_or_default();
        refuse_tar(name.as_ref())?;
        let raw = Raw::Object(object.clone());
        match Compression::of_name(name.as_ref()) {
            Some(compression) => {
                let reader = raw.decompressed(compression, head)?;
                CsvFile::read_head(reader, Vec::new(), raw, Some(compression), 0, reading)
            }
            None => {
                let reader = raw.reader(head.len() as u64)?;
                CsvFile::read_head(reader, head, raw, None, object.size, reading)
            }
        }
    }

    /// Reads up to a block and a byte (after `start`, bytes read already):
    /// a file that fits is held whole; a larger one keeps its first block,
    /// cut at a record end, and is read again from `raw` for each pass.
    fn read_head(
        mut reader: Box<dyn Read + Send>,
        mut bytes: Vec<u8>,
        raw: Raw,
        compression: Option<Compression>,
        size: u64,
        reading: Reading,
    ) -> io::Result<Self> {
        bytes.reserve(size.min(BLOCK_BYTES as u64) as usize + 1);
        let wanted = (BLOCK_BYTES as u64 + 1).saturating_sub(bytes.len() as u64);
        (&mut reader).take(wanted).read_to_end(&mut bytes)?;
        if bytes.len() <= BLOCK_BYTES {
            return Ok(CsvFile::from_bytes(bytes, reading.separator));
        }
        // A large file: its head is the first block cut at a record end (or
        // longer, when the first record alone is longer than a block).
        let mut blocks = BlockReader::new(reader, bytes, reading);
        let mut head = Vec::new();
        blocks.next_block(&mut head)?;
        let source = match compression {
            Some(compression) => Source::Compressed(raw, compression),
            None => Source::Plain(raw, size),
        };
        Ok(CsvFile {
            source,
            head: Arc::new(head),
            reading,
        })
    }

    /// A file held in memory (tests, benchmarks, and every small file).
    pub fn from_bytes(bytes: Vec<u8>, separator: u8) -> Self {
        let bytes = Arc::new(bytes);
        CsvFile {
            source: Source::Memory(Arc::clone(&bytes)),
            head: bytes,
            reading: Reading {
                separator,
                record_limit: usize::MAX,
            },
        }
    }

    /// The same file with one more block of records in its head, or `None`
    /// when the head already reaches the end of the file. A large file whose
    /// first data record is longer than a block has a head of the header
    /// alone; the layout reads on with this to its first row, which fixes
    /// the file's width and index columns.
    ///
    /// # Errors
    /// When the file cannot be read again, or the record is longer than the
    /// limit.
    pub fn with_longer_head(&self) -> io::Result<Option<CsvFile>> {
        if self.is_in_memory() {
            return Ok(None);
        }
        let mut more = Vec::new();
        if !self.block_reader(self.head.len())?.next_block(&mut more)? {
            return Ok(None);
        }
        let mut head = Vec::with_capacity(self.head.len() + more.len());
        head.extend_from_slice(&self.head);
        head.extend_from_slice(&more);
        Ok(Some(CsvFile {
            source: self.source.clone(),
            head: Arc::new(head),
            reading: self.reading,
        }))
    }

    /// Whether the whole file is in memory (a small one: one block).
    pub fn is_in_memory(&self) -> bool {
        matches!(self.source, Source::Memory(_))
    }

    /// The first complete records of the file (the whole file when it is small).
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Calls `visit` with each block of the body (the bytes from `body_start`,
    /// the end of the header) and the line number of its first line, the
    /// body starting on `body_line`.
    ///
    /// # Errors
    /// The first error of `visit`, an I/O error reading a large file (for
    /// example when it was shortened since it was opened), or an interrupt.
    pub fn for_each_block<E: From<io::Error>>(
        &self,
        body_start: usize,
        body_line: u64,
        mut visit: impl FnMut(&[u8], u64) -> Result<(), E>,
    ) -> Result<(), E> {
        if let Source::Memory(bytes) = &self.source {
            return visit(&bytes[body_start..], body_line);
        }
        let mut reader = self.block_reader(body_start)?;
        let mut block = Vec::with_capacity(2 * BLOCK_BYTES);
        let mut line = body_line;
        while reader.next_block(&mut block)? {
            if crate::interrupt::requested() {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted").into());
            }
            visit(&block, line)?;
            line += tokenizer::count_line_ends(&block);
        }
        Ok(())
    }

    /// `parse` applied to every block of the body, results in block order
    /// (see [`CsvFile::fold_blocks`]; this holds every result).
    ///
    /// # Errors
    /// An I/O error reading a large file, or an interrupt.
    pub fn map_blocks<T: Send>(
        &self,
        body_start: usize,
        spare: &SpareCores,
        parse: impl Fn(&[u8]) -> T + Sync,
    ) -> io::Result<Vec<T>> {
        let mut results = Vec::new();
        self.fold_blocks(
            body_start,
            spare,
            usize::MAX,
            parse,
            |result| -> io::Result<()> {
                results.push(result);
                Ok(())
            },
        )?;
        Ok(results)
    }

    /// `parse` applied to every block of the body, and `consume` called with
    /// the results in block order. Blocks are parsed on the
    /// calling thread and on any cores `spare` lends meanwhile (the other
    /// files done); reading stays in order, one block at a time, and at most
    /// `window` blocks are read ahead of `consume`, so memory holds a few
    /// blocks and their results, however large the file.
    ///
    /// # Errors
    /// The first error of `consume`, an I/O error reading a large file (for
    /// example when it was shortened since it was opened, or a record is
    /// longer than the limit), or an interrupt.
    pub fn fold_blocks<T: Send, E: From<io::Error> + Send>(
        &self,
        body_start: usize,
        spare: &SpareCores,
        window: usize,
        parse: impl Fn(&[u8]) -> T + Sync,
        consume: impl FnMut(T) -> Result<(), E> + Send,
    ) -> Result<(), E> {
        let mut consume = consume;
        let size = match &self.source {
            Source::Memory(bytes) => return consume(parse(&bytes[body_start..])),
            Source::Plain(_, size) => *size as usize,
            // Unknown until decompressed: as many helpers as the window.
            Source::Compressed(..) => usize::MAX,
        };
        let window = window.max(1);
        // Helpers beyond the number of blocks (or the window) would find
        // nothing to do; each stays until the blocks run out, so this bounds
        // the threads started for the file, however many cores are lent.
        let max_helpers = (size.div_ceil(BLOCK_BYTES).saturating_sub(1)).min(window - 1);
        let reader = self.block_reader(body_start)?;
        blocks::fold(reader, spare, max_helpers, window, parse, consume)
    }

    /// A reader of the body's blocks, from `body_start` on.
    fn block_reader(&self, body_start: usize) -> io::Result<BlockReader> {
        let reader: Box<dyn Read + Send> = match &self.source {
            Source::Memory(bytes) => Box::new(io::Cursor::new(bytes[body_start..].to_vec())),
            Source::Plain(raw, _) => raw.reader(body_start as u64)?,
            Source::Compressed(raw, compression) => {
                let mut reader = raw.decompressed(*compression, Vec::new())?;
                let skipped =
                    io::copy(&mut (&mut reader).take(body_start as u64), &mut io::sink())?;
                if skipped < body_start as u64 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the file is shorter than when it was opened",
                    ));
                }
                reader
            }
        };
        Ok(BlockReader::new(reader, Vec::new(), self.reading))
    }
}

/// Refuses a tar archive by its name.
fn refuse_tar(name: &std::ffi::OsStr) -> io::Result<()> {
    if crate::formats::is_tar(name) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "a tar archive, which polarsdesc does not read (pandas reads one that holds \
             a single file): extract it first",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text`, opens it and returns every block with its first line.
    fn blocks_of(text: &[u8], body_start: usize) -> (CsvFile, Vec<(Vec<u8>, u64)>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, text).unwrap();
        let reading = Reading {
            separator: b',',
            record_limit: usize::MAX,
        };
        let file = CsvFile::open(&path, reading).unwrap();
        let mut blocks = Vec::new();
        file.for_each_block(body_start, 2, |block, line| -> io::Result<()> {
            blocks.push((block.to_vec(), line));
            Ok(())
        })
        .unwrap();
        (file, blocks)
    }

    #[test]
    fn small_files_are_one_block() {
        let (file, blocks) = blocks_of(b"h\n1\n2\n", 2);
        assert_eq!(file.head(), b"h\n1\n2\n");
        assert_eq!(blocks, vec![(b"1\n2\n".to_vec(), 2)]);
    }

    #[test]
    fn large_files_come_in_whole_records_with_their_line_numbers() {
        let mut text = b"a,b\n".to_vec();
        let mut rows = 0u64;
        while text.len() < 2 * BLOCK_BYTES + 1000 {
            // Quoted line ends now and then: blocks must not cut inside them.
            if rows % 1000 == 7 {
                text.extend_from_slice(format!("{rows},\"x\ny\"\n").as_bytes());
            } else {
                text.extend_from_slice(format!("{rows},{}\r\n", rows * 3).as_bytes());
            }
            rows += 1;
        }
        text.extend_from_slice(b"7,8"); // no final line end
        let (file, blocks) = blocks_of(&text, 4);
        assert!(file.head().len() <= BLOCK_BYTES);
        assert!(blocks.len() >= 3);
        let mut expected_line = 2;
        let mut joined = Vec::new();
        for (block, line) in &blocks {
            assert_eq!(*line, expected_line);
            expected_line += tokenizer::count_line_ends(block);
            joined.extend_from_slice(block);
        }
        // Every block but the last ends where a record ends.
        for (block, _) in &blocks[..blocks.len() - 1] {
            assert_eq!(tokenizer::last_record_end(block, b','), Some(block.len()));
        }
        assert_eq!(joined, &text[4..]);
    }
}
