//! A column of text values (or missing ones) in row order: held in memory up to an allowance, then spilled to an unnamed temporary file, and read back in order, as a numeric column's spool is.
//!
//! Each value is its length (4 bytes, [`MISSING`] for a missing one) and
//! its bytes, one after another in a second stream; both go to temporary
//! files once spilled.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Write};

use super::spool::{read_exact_at, Spool, Spooled};

/// The length written for a missing value.
pub const MISSING: u32 = u32::MAX;

/// A text column being filled, in row order.
#[derive(Debug, Default)]
pub struct TextSpool {
    lens: Spool<u32>,
    bytes: Vec<u8>,
    file: Option<BufWriter<File>>,
}

impl TextSpool {
    /// Adds the next row's value (`None`: missing).
    ///
    /// # Errors
    /// When the value is 4 GiB or longer, or the temporary file cannot be
    /// written (a full disk).
    pub fn push(&mut self, value: Option<&[u8]>) -> io::Result<()> {
        let Some(value) = value else {
            return self.lens.extend(&[MISSING]);
        };
        let len = u32::try_from(value.len())
            .ok()
            .filter(|&len| len != MISSING)
            .ok_or_else(|| io::Error::other("a text value of 4 GiB or more"))?;
        self.lens.extend(&[len])?;
        match &mut self.file {
            None => self.bytes.extend_from_slice(value),
            Some(file) => file.write_all(value).map_err(crate::temporary::tagged)?,
        }
        Ok(())
    }

    /// Adds the next rows' values: their lengths ([`MISSING`] for a missing
    /// one) and their bytes, one after another.
    ///
    /// # Errors
    /// When the temporary files cannot be written (a full disk).
    pub fn extend(&mut self, lens: &[u32], bytes: &[u8]) -> io::Result<()> {
        self.lens.extend(lens)?;
        match &mut self.file {
            None => self.bytes.extend_from_slice(bytes),
            Some(file) => file.write_all(bytes).map_err(crate::temporary::tagged)?,
        }
        Ok(())
    }

    /// The rows added so far.
    pub fn len(&self) -> usize {
        self.lens.len()
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// The bytes held in memory.
    pub fn held_bytes(&self) -> usize {
        self.lens.held_bytes() + self.bytes.capacity()
    }

    /// Moves what is held to temporary files, where later values go too.
    ///
    /// # Errors
    /// When a temporary file cannot be made or written.
    pub fn spill(&mut self) -> io::Result<()> {
        self.lens.spill()?;
        if self.file.is_none() {
            let mut file = BufWriter::with_capacity(1 << 20, crate::temporary::file()?);
            file.write_all(&self.bytes).map_err(crate::temporary::tagged)?;
            self.bytes = Vec::new();
            self.file = Some(file);
        }
        Ok(())
    }

    /// The column, complete.
    ///
    /// # Errors
    /// When a temporary file cannot be written.
    pub fn finish(self) -> io::Result<SpooledText> {
        let bytes = match self.file {
            None => Bytes::Held(self.bytes),
            Some(file) => Bytes::Spilled(
                (file.into_inner())
                    .map_err(|error| crate::temporary::tagged(error.into_error()))?,
            ),
        };
        Ok(SpooledText {
            lens: self.lens.finish()?,
            bytes,
        })
    }
}

#[derive(Debug)]
enum Bytes {
    Held(Vec<u8>),
    Spilled(File),
}

/// A complete text column: in memory, or in its temporary files.
#[derive(Debug)]
pub struct SpooledText {
    lens: Spooled<u32>,
    bytes: Bytes,
}

impl SpooledText {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.lens.len()
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// The lengths of the values in row order ([`MISSING`] for a missing
    /// one), in the pieces every spool of the file's rows has.
    pub fn lens(&self) -> &Spooled<u32> {
        &self.lens
    }

    /// Calls `visit` with each piece of the lengths (as [`SpooledText::lens`]
    /// gives them) and the bytes of its values, one after another.
    ///
    /// # Errors
    /// When a temporary file cannot be read, or `visit` fails.
    pub fn for_each_piece(
        &self,
        mut visit: impl FnMut(&[u32], &[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut offset = 0u64;
        for lens in self.lens.chunks() {
            let lens = lens?;
            let size: u64 = (lens.iter())
                .filter(|&&len| len != MISSING)
                .map(|&len| u64::from(len))
                .sum();
            let bytes: Cow<'_, [u8]> = match &self.bytes {
                Bytes::Held(bytes) => Cow::Borrowed(&bytes[offset as usize..(offset + size) as usize]),
                Bytes::Spilled(file) => {
                    let mut bytes = vec![0u8; size as usize];
                    read_exact_at(file, &mut bytes, offset)?;
                    Cow::Owned(bytes)
                }
            };
            offset += size;
            visit(&lens, &bytes)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values of `spooled`, in row order.
    fn values(spooled: &SpooledText) -> Vec<Option<Vec<u8>>> {
        let mut values = Vec::new();
        spooled
            .for_each_piece(|lens, bytes| {
                let mut at = 0;
                for &len in lens {
                    values.push((len != MISSING).then(|| {
                        at += len as usize;
                        bytes[at - len as usize..at].to_vec()
                    }));
                }
                assert_eq!(at, bytes.len());
                Ok(())
            })
            .unwrap();
        values
    }

    #[test]
    fn values_come_back_in_order_held_or_spilled() {
        let rows: Vec<Option<Vec<u8>>> = (0..300_000u32)
            .map(|i| (i % 7 != 3).then(|| format!("v{}", i % 1000).into_bytes()))
            .collect();
        for spill_at in [None, Some(0), Some(1000), Some(299_999)] {
            let mut spool = TextSpool::default();
            for (row, value) in rows.iter().enumerate() {
                if Some(row) == spill_at {
                    spool.spill().unwrap();
                }
                spool.push(value.as_deref()).unwrap();
            }
            let spooled = spool.finish().unwrap();
            assert_eq!(spooled.len(), rows.len());
            assert_eq!(values(&spooled), rows, "spilled at {spill_at:?}");
        }
    }

    #[test]
    fn an_empty_value_is_not_a_missing_one() {
        let mut spool = TextSpool::default();
        for value in [Some(&b""[..]), None, Some(b"x")] {
            spool.push(value).unwrap();
        }
        let spooled = spool.finish().unwrap();
        assert_eq!(
            values(&spooled),
            [Some(vec![]), None, Some(b"x".to_vec())]
        );
    }
}
