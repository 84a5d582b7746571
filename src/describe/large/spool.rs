//! A large file's column of values as it is read: held in memory up to an allowance, then spilled to an unnamed temporary file, and read back in order as often as the statistics need.
//!
//! The file is made by [`crate::temporary::file`] in the temporary folder
//! (`TMPDIR`, else `/tmp`) and unlinked at once: nothing is left behind,
//! whatever stops the run (even `kill -9`). A value takes 8 bytes there.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Write};

/// A value a spool holds: 8 bytes.
pub trait Scalar: Copy + Send + Sync + 'static {
    fn to_bytes(self) -> [u8; 8];
    fn from_bytes(bytes: [u8; 8]) -> Self;
}

impl Scalar for f64 {
    fn to_bytes(self) -> [u8; 8] {
        self.to_ne_bytes()
    }
    fn from_bytes(bytes: [u8; 8]) -> Self {
        f64::from_ne_bytes(bytes)
    }
}

impl Scalar for i64 {
    fn to_bytes(self) -> [u8; 8] {
        self.to_ne_bytes()
    }
    fn from_bytes(bytes: [u8; 8]) -> Self {
        i64::from_ne_bytes(bytes)
    }
}

/// A row's group or key (`--by`): 4 bytes in memory, 8 in the file.
impl Scalar for u32 {
    fn to_bytes(self) -> [u8; 8] {
        u64::from(self).to_ne_bytes()
    }
    fn from_bytes(bytes: [u8; 8]) -> Self {
        u64::from_ne_bytes(bytes) as u32
    }
}

/// Values read back at a time from a spilled column (1 MiB).
const CHUNK_VALUES: usize = 1 << 17;

/// A column being filled, in row order.
#[derive(Debug)]
pub struct Spool<T> {
    held: Vec<T>,
    file: Option<BufWriter<File>>,
    len: usize,
}

impl<T: Scalar> Default for Spool<T> {
    fn default() -> Self {
        Spool {
            held: Vec::new(),
            file: None,
            len: 0,
        }
    }
}

impl<T: Scalar> Spool<T> {
    /// The values added so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no value was added.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes held in memory.
    pub fn held_bytes(&self) -> usize {
        self.held.capacity() * 8
    }

    /// Adds the next values: to memory, or to the file once spilled.
    ///
    /// # Errors
    /// When the temporary file cannot be written (a full disk).
    pub fn extend(&mut self, values: &[T]) -> io::Result<()> {
        self.len += values.len();
        match &mut self.file {
            None => {
                self.held.extend_from_slice(values);
                Ok(())
            }
            Some(file) => write_values(file, values).map_err(crate::temporary::tagged),
        }
    }

    /// Moves the values held to a temporary file, where later ones go too.
    ///
    /// # Errors
    /// When the temporary file cannot be made or written.
    pub fn spill(&mut self) -> io::Result<()> {
        if self.file.is_some() {
            return Ok(());
        }
        let mut file = BufWriter::with_capacity(1 << 20, crate::temporary::file()?);
        write_values(&mut file, &self.held).map_err(crate::temporary::tagged)?;
        self.held = Vec::new();
        self.file = Some(file);
        Ok(())
    }

    /// The column, complete.
    ///
    /// # Errors
    /// When the temporary file cannot be written.
    pub fn finish(self) -> io::Result<Spooled<T>> {
        match self.file {
            None => Ok(Spooled::Held(self.held)),
            Some(file) => Ok(Spooled::Spilled {
                file: (file.into_inner())
                    .map_err(|error| crate::temporary::tagged(error.into_error()))?,
                len: self.len,
            }),
        }
    }
}

fn write_values<T: Scalar>(file: &mut BufWriter<File>, values: &[T]) -> io::Result<()> {
    for piece in values.chunks(CHUNK_VALUES) {
        let bytes: Vec<u8> = piece.iter().flat_map(|value| value.to_bytes()).collect();
        file.write_all(&bytes)?;
    }
    Ok(())
}

/// A complete column: in memory, or in its temporary file.
#[derive(Debug)]
pub enum Spooled<T> {
    Held(Vec<T>),
    Spilled { file: File, len: usize },
}

impl<T: Scalar> Spooled<T> {
    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            Spooled::Held(values) => values.len(),
            Spooled::Spilled { len, .. } => *len,
        }
    }

    /// Whether there is no value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values in row order, in pieces of the same length whatever the
    /// spool holds them in (so that the pieces of two spools of one file's
    /// rows line up), the last one shorter.
    pub fn chunks(&self) -> impl Iterator<Item = io::Result<Cow<'_, [T]>>> + '_ {
        let len = self.len();
        (0..len).step_by(CHUNK_VALUES).map(move |start| {
            let end = (start + CHUNK_VALUES).min(len);
            match self {
                Spooled::Held(values) => Ok(Cow::Borrowed(&values[start..end])),
                Spooled::Spilled { file, .. } => {
                    let mut bytes = vec![0u8; (end - start) * 8];
                    read_exact_at(file, &mut bytes, start as u64 * 8)?;
                    Ok(Cow::Owned(
                        (bytes.chunks_exact(8))
                            .map(|b| T::from_bytes(b.try_into().expect("8 bytes")))
                            .collect(),
                    ))
                }
            }
        })
    }

    /// Calls `visit` with the values in row order, a piece at a time.
    ///
    /// # Errors
    /// When the temporary file cannot be read.
    pub fn for_each_chunk(&self, mut visit: impl FnMut(&[T])) -> io::Result<()> {
        let (file, len) = match self {
            Spooled::Held(values) => {
                visit(values);
                return Ok(());
            }
            Spooled::Spilled { file, len } => (file, *len),
        };
        let mut bytes = vec![0u8; CHUNK_VALUES * 8];
        let mut values = Vec::with_capacity(CHUNK_VALUES);
        let mut done = 0;
        while done < len {
            let count = CHUNK_VALUES.min(len - done);
            let bytes = &mut bytes[..count * 8];
            read_exact_at(file, bytes, done as u64 * 8)?;
            values.clear();
            values.extend(
                bytes
                    .chunks_exact(8)
                    .map(|b| T::from_bytes(b.try_into().expect("8 bytes"))),
            );
            visit(&values);
            done += count;
        }
        Ok(())
    }
}

#[cfg(unix)]
pub(super) fn read_exact_at(file: &File, bytes: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(not(unix))]
pub(super) fn read_exact_at(file: &File, bytes: &mut [u8], offset: u64) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_values_come_back_in_order() {
        let values: Vec<f64> = (0..300_000).map(|i| i as f64 * 0.5 - 7.0).collect();
        for spill_at in [0, 1000, 299_999, 300_000] {
            let mut spool = Spool::default();
            spool.extend(&values[..spill_at]).unwrap();
            if spill_at < values.len() {
                spool.spill().unwrap();
                assert_eq!(spool.held_bytes(), 0);
            }
            spool.extend(&values[spill_at..]).unwrap();
            let spooled = spool.finish().unwrap();
            assert_eq!(spooled.len(), values.len());
            let mut back = Vec::new();
            spooled
                .for_each_chunk(|chunk| back.extend_from_slice(chunk))
                .unwrap();
            assert_eq!(back, values);
        }
    }
}
