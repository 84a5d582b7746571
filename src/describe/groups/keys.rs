//! The key columns of `--by`, read row by row: each column's distinct fields in order of first appearance, and each row's field among them.
//!
//! Blocks are read on every core (`CsvFile::fold_blocks`), each into
//! fields of its own, and taken in order: a block's distinct fields are
//! looked up once in the file's, and its rows renumbered.

use hashbrown::HashMap;

use crate::describe::body::CsvFile;
use crate::describe::layout::{first_invalid_utf8_line, Layout, LayoutError};
use crate::describe::{rows, tokenizer, FileError, Options};
use crate::parallel::SpareCores;

/// One key column's fields: the distinct ones, and each row's.
#[derive(Default)]
pub struct KeyFields {
    pub distinct: Distinct,
    /// For each record, its field's index in `distinct`.
    pub rows: Vec<u32>,
}

/// Distinct fields in order of first appearance.
#[derive(Default)]
pub struct Distinct {
    index: HashMap<Box<[u8]>, u32, foldhash::fast::FixedState>,
    fields: Vec<Box<[u8]>>,
}

impl Distinct {
    /// The index of `field`, added if new.
    fn id(&mut self, field: &[u8]) -> u32 {
        if let Some(&id) = self.index.get(field) {
            return id;
        }
        let id = u32::try_from(self.fields.len()).expect("fewer than 2^32 distinct keys");
        let field: Box<[u8]> = field.into();
        self.fields.push(field.clone());
        self.index.insert(field, id);
        id
    }

    /// The distinct fields, in order of first appearance.
    pub fn fields(&self) -> &[Box<[u8]>] {
        &self.fields
    }
}

/// One block's key fields, and its line ends (to place an error's line).
struct BlockKeys {
    columns: Result<Vec<KeyFields>, LayoutError>,
    line_ends: u64,
}

/// Reads the fields at `positions` (in any order) of every record of `file`.
///
/// # Errors
/// When the file cannot be read, or pandas would fail it (a row too wide, a
/// quote never closed, bytes that are not UTF-8), with the line.
pub fn read(
    file: &CsvFile,
    layout: &Layout,
    positions: &[usize],
    options: &Options,
    spare: &SpareCores,
) -> Result<Vec<KeyFields>, FileError> {
    // Records are read left to right: the positions in order, then the
    // columns put back in the order asked for.
    let mut ascending = positions.to_vec();
    ascending.sort_unstable();
    let read = read_ascending(file, layout, &ascending, options, spare)?;
    let mut read: Vec<Option<KeyFields>> = read.into_iter().map(Some).collect();
    Ok(positions
        .iter()
        .map(|position| {
            let slot = ascending.binary_search(position).expect("a position asked for");
            read[slot].take().expect("positions are distinct")
        })
        .collect())
}

/// [`read`], with `positions` ascending.
fn read_ascending(
    file: &CsvFile,
    layout: &Layout,
    positions: &[usize],
    options: &Options,
    spare: &SpareCores,
) -> Result<Vec<KeyFields>, FileError> {
    let mut columns: Vec<KeyFields> = positions.iter().map(|_| KeyFields::default()).collect();
    let mut line = layout.body_line;
    file.fold_blocks(
        layout.header_len,
        spare,
        options.memory.window(),
        |block| BlockKeys {
            columns: read_block(block, layout, positions),
            line_ends: tokenizer::count_line_ends(block),
        },
        |block: BlockKeys| -> Result<(), FileError> {
            let block_columns = block.columns.map_err(|error| error.shifted(line - 1))?;
            line += block.line_ends;
            for (column, later) in columns.iter_mut().zip(block_columns) {
                let renumbered: Vec<u32> = (later.distinct.fields.iter())
                    .map(|field| column.distinct.id(field))
                    .collect();
                (column.rows).extend(later.rows.iter().map(|&id| renumbered[id as usize]));
            }
            Ok(())
        },
    )?;
    Ok(columns)
}

/// The key fields of one block, whose lines are counted from 1.
fn read_block(
    block: &[u8],
    layout: &Layout,
    positions: &[usize],
) -> Result<Vec<KeyFields>, LayoutError> {
    if let Some(line) = first_invalid_utf8_line(block, 1) {
        return Err(LayoutError::NotUtf8 { line });
    }
    let mut columns: Vec<KeyFields> = positions.iter().map(|_| KeyFields::default()).collect();
    rows::for_each_field(block, layout, positions, false, |slot, field| {
        let column = &mut columns[slot];
        let id = column.distinct.id(field);
        column.rows.push(id);
    })?;
    Ok(columns)
}
