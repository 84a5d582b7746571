//! The text, boolean and category columns of typed files (Parquet, Arrow, NDJSON): tallied batch by batch as pandas' `describe()` counts them (count, unique, top, freq).
//!
//! pandas 3 (checked with 3.1.1 and pyarrow 26) reads a string column as
//! `str`: nulls are missing, every other value is text as it is (`"NA"` and
//! `""` included, unlike in a CSV file); a boolean column as `bool`, or,
//! with a null, as `object` holding `True`/`False`/`None`. Both are then
//! described as a CSV file's text and booleans are (`categorical`). A
//! dictionary column of strings is pandas' `category`, counted per category
//! (`categorical::CategoryCounts`, its categories read by `categories`).

use polars::prelude::*;

use crate::describe::categorical::{Categorical, CategoryCounts, Reading, Tally, ValueTallies};
use crate::describe::groups::TextColumn;
use crate::describe::large::texts::TextSpool;
use crate::describe::{ColumnStats, Include, Options};
use crate::parallel::SpareCores;
use crate::read::FileError;

/// A typed column that is not numeric and is tallied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextType {
    /// Strings: pandas' `str`.
    Str,
    /// Booleans: pandas' `bool` (`object` with a null).
    Bool,
    /// Nulls alone (pyarrow's `null` type): pandas' `object` of `None`.
    Null,
    /// A dictionary of strings: pandas' `category`.
    Category,
}

impl TextType {
    /// The text type of a Parquet or Arrow column of type `dtype`, if it is one.
    pub fn of_arrow(dtype: &ArrowDataType) -> Option<TextType> {
        match dtype {
            ArrowDataType::Utf8 | ArrowDataType::LargeUtf8 | ArrowDataType::Utf8View => {
                Some(TextType::Str)
            }
            ArrowDataType::Boolean => Some(TextType::Bool),
            ArrowDataType::Null => Some(TextType::Null),
            ArrowDataType::Dictionary(_, values, _)
                if matches!(
                    values.as_ref(),
                    ArrowDataType::Utf8 | ArrowDataType::LargeUtf8 | ArrowDataType::Utf8View
                ) =>
            {
                Some(TextType::Category)
            }
            _ => None,
        }
    }

    /// Whether `include` may select a column of this type (a boolean
    /// column is `bool`, or `object` with a null).
    pub fn may_be_selected(self, include: Include) -> bool {
        match self {
            TextType::Str => include.strings,
            TextType::Bool => include.booleans || include.objects,
            TextType::Null => include.objects,
            TextType::Category => include.categories,
        }
    }

    fn reading(self) -> Reading {
        match self {
            TextType::Str | TextType::Category => Reading::Strings,
            // "True" and "False" as the values, counted as a CSV file's
            // booleans; no values at all is pandas' object, as there.
            TextType::Bool | TextType::Null => Reading::Text,
        }
    }
}

/// The text columns of one file, tallied as the batches come (and, for
/// `--by`, their values spooled in row order).
pub struct TextColumns {
    columns: Vec<(String, TextType)>,
    tallies: ValueTallies,
    /// The category columns, counted per category.
    categories: Vec<(String, CategoryCounts)>,
    /// With `--by`: each column's values, the tallied ones then the category
    /// ones.
    spools: Option<Vec<TextSpool>>,
}

impl TextColumns {
    /// Tallies for `columns` (name and type, no category), within
    /// `options`' share.
    pub fn new(columns: Vec<(String, TextType)>, options: &Options) -> Self {
        debug_assert!(columns.iter().all(|(_, t)| *t != TextType::Category));
        let readings: Vec<Reading> = columns.iter().map(|(_, t)| t.reading()).collect();
        TextColumns {
            tallies: ValueTallies::new(&readings, options),
            columns,
            categories: Vec::new(),
            spools: None,
        }
    }

    /// Counts the category column `name` too, its categories `categories`
    /// in pandas' order.
    ///
    /// # Errors
    /// When the categories take more than the share's distinct values may.
    pub fn with_category(
        &mut self,
        name: &str,
        categories: Vec<String>,
        options: &Options,
    ) -> Result<(), FileError> {
        let counts = CategoryCounts::new(categories, options.memory.distinct_bytes())?;
        self.categories.push((name.to_string(), counts));
        Ok(())
    }

    /// The same columns, their values spooled too (for `--by`).
    pub fn spooled(mut self) -> Self {
        let columns = self.columns.len() + self.categories.len();
        self.spools = Some((0..columns).map(|_| TextSpool::default()).collect());
        self
    }

    /// The names of the columns, to read.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        (self.columns.iter().map(|(name, _)| name)).chain(self.categories.iter().map(|(n, _)| n))
    }

    /// Adds the values of the columns in `frame` (the rows that follow).
    ///
    /// # Errors
    /// When a column is missing from the frame or of another type (a bug),
    /// or the tallies or values must spill and the temporary folder cannot
    /// take them.
    pub fn push(&mut self, frame: &DataFrame) -> Result<(), FileError> {
        let mut batch = Vec::with_capacity(self.columns.len());
        let mut spools = self.spools.as_deref_mut().map(|spools| spools.iter_mut());
        let mut next_spool = || spools.as_mut().map(|spools| spools.next().expect("one per column"));
        for (name, text_type) in &self.columns {
            let column = frame.column(name)?;
            let mut tally = Tally::of_values(text_type.reading());
            let mut spool = next_spool();
            let mut add = |value: Option<&[u8]>| -> std::io::Result<()> {
                tally.add_value(value);
                spool.as_mut().map_or(Ok(()), |spool| spool.push(value))
            };
            match text_type {
                TextType::Str => {
                    for value in column.str()?.iter() {
                        add(value.map(str::as_bytes))?;
                    }
                }
                TextType::Bool => {
                    for value in column.bool()?.iter() {
                        add(value.map(|v| if v { &b"True"[..] } else { &b"False"[..] }))?;
                    }
                }
                TextType::Null => {
                    for _ in 0..column.len() {
                        add(None)?;
                    }
                }
                TextType::Category => unreachable!("counted per category"),
            }
            batch.push(tally);
        }
        for (name, counts) in &mut self.categories {
            let values = frame.column(name)?.cast(&DataType::String)?;
            let mut spool = next_spool();
            for value in values.str()?.iter() {
                counts.add(value)?;
                if let Some(spool) = spool.as_mut() {
                    spool.push(value.map(str::as_bytes))?;
                }
            }
        }
        Ok(self.tallies.add_batch(batch)?)
    }

    /// The bytes the spooled values hold in memory.
    pub fn held_bytes(&self) -> usize {
        self.spools.iter().flatten().map(TextSpool::held_bytes).sum()
    }

    /// Moves the spooled values to temporary files.
    ///
    /// # Errors
    /// When the temporary folder cannot take them.
    pub fn spill(&mut self) -> std::io::Result<()> {
        self.spools.iter_mut().flatten().try_for_each(TextSpool::spill)
    }

    /// Each column's row, if `include` selects its pandas type, in order.
    ///
    /// # Errors
    /// As [`ValueTallies::finish`].
    pub fn finish(
        self,
        include: Include,
        options: &Options,
        spare: &SpareCores,
    ) -> Result<Vec<ColumnStats>, FileError> {
        Ok((self.finish_whole(spare)?.into_iter())
            .filter(|(_, (_, categorical))| include.selects(categorical.kind))
            .map(|(name, (count, categorical))| {
                ColumnStats::categorical(&name, count, categorical, &options.percentiles)
            })
            .collect())
    }

    /// Each column's values in row order, with the whole column's
    /// statistics (for `--by`; see [`TextColumns::spooled`]).
    ///
    /// # Errors
    /// As [`ValueTallies::finish`], or when the values cannot be spooled.
    pub fn finish_spooled(mut self, spare: &SpareCores) -> Result<Vec<TextColumn>, FileError> {
        let spools = self.spools.take().unwrap_or_default();
        let mut categories: Vec<Option<Vec<String>>> = vec![None; self.columns.len()];
        categories.extend((self.categories.iter()).map(|(_, counts)| Some(counts.categories().to_vec())));
        let whole = self.finish_whole(spare)?;
        (whole.into_iter().zip(categories).zip(spools))
            .map(|(((name, (_, whole)), categories), spool)| {
                Ok(TextColumn {
                    name,
                    whole,
                    categories,
                    values: spool.finish()?,
                })
            })
            .collect()
    }

    /// Each column's name, count and [`Categorical`], the tallied ones then
    /// the category ones.
    fn finish_whole(
        self,
        spare: &SpareCores,
    ) -> Result<Vec<(String, (u64, Categorical))>, FileError> {
        let tallied: Vec<(u64, Categorical)> = self.tallies.finish(spare)?;
        let counted = (self.categories.into_iter()).map(|(name, counts)| (name, counts.finish()));
        Ok((self.columns.into_iter().map(|(name, _)| name).zip(tallied))
            .chain(counted)
            .collect())
    }
}

/// A typed file's rows in file order: `numbers` and `texts` interleaved as
/// their names come in `order`.
pub fn in_file_order(
    numbers: Vec<ColumnStats>,
    texts: Vec<ColumnStats>,
    order: &[String],
) -> Vec<ColumnStats> {
    let position = |stats: &ColumnStats| order.iter().position(|name| *name == stats.column);
    let mut rows: Vec<ColumnStats> = numbers.into_iter().chain(texts).collect();
    rows.sort_by_key(position);
    rows
}

/// The warning for a column pandas describes as objects (dates, decimals,
/// bytes, ...) or categories, when `include` asks for those: not done yet.
pub fn not_done(name: &str, dtype: &ArrowDataType, include: Include) -> Option<String> {
    let asked = match dtype {
        // pandas' category (of values other than strings: not done).
        ArrowDataType::Dictionary(..) => include.categories,
        ArrowDataType::Date32
        | ArrowDataType::Date64
        | ArrowDataType::Decimal(..)
        | ArrowDataType::Decimal256(..)
        | ArrowDataType::Binary
        | ArrowDataType::LargeBinary
        | ArrowDataType::BinaryView
        | ArrowDataType::FixedSizeBinary(_)
        | ArrowDataType::Time32(_)
        | ArrowDataType::Time64(_)
        | ArrowDataType::List(_)
        | ArrowDataType::LargeList(_)
        | ArrowDataType::FixedSizeList(..)
        | ArrowDataType::Struct(_) => include.objects,
        _ => false,
    };
    let kind = match dtype {
        ArrowDataType::Dictionary(..) => "category",
        _ => "object",
    };
    asked.then(|| {
        format!(
            "column '{name}' is {}, which pandas describes as a{} {kind} column (count, unique, \
             top, freq; not done yet); it is left out",
            super::type_name(dtype),
            if kind == "object" { "n" } else { "" }
        )
    })
}
