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

/// The text columns of one file, tallied as the batches come.
pub struct TextColumns {
    columns: Vec<(String, TextType)>,
    tallies: ValueTallies,
    /// The category columns, counted per category.
    categories: Vec<(String, CategoryCounts)>,
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

    /// The names of the columns, to read.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        (self.columns.iter().map(|(name, _)| name)).chain(self.categories.iter().map(|(n, _)| n))
    }

    /// Adds the values of the columns in `frame` (the rows that follow).
    ///
    /// # Errors
    /// When a column is missing from the frame or of another type (a bug),
    /// or the tallies must spill and the temporary folder cannot take them.
    pub fn push(&mut self, frame: &DataFrame) -> Result<(), FileError> {
        let mut batch = Vec::with_capacity(self.columns.len());
        for (name, text_type) in &self.columns {
            let column = frame.column(name)?;
            let mut tally = Tally::of_values(text_type.reading());
            match text_type {
                TextType::Str => column
                    .str()?
                    .iter()
                    .for_each(|value| tally.add_value(value.map(str::as_bytes))),
                TextType::Bool => column.bool()?.iter().for_each(|value| {
                    tally.add_value(value.map(|v| if v { &b"True"[..] } else { &b"False"[..] }))
                }),
                TextType::Null => (0..column.len()).for_each(|_| tally.add_value(None)),
                TextType::Category => unreachable!("counted per category"),
            }
            batch.push(tally);
        }
        for (name, counts) in &mut self.categories {
            let values = frame.column(name)?.cast(&DataType::String)?;
            for value in values.str()?.iter() {
                counts.add(value)?;
            }
        }
        Ok(self.tallies.add_batch(batch)?)
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
        let tallied: Vec<(u64, Categorical)> = self.tallies.finish(spare)?;
        let counted = (self.categories.into_iter()).map(|(name, counts)| (name, counts.finish()));
        Ok(
            (self.columns.into_iter().map(|(name, _)| name).zip(tallied))
                .chain(counted)
                .filter(|(_, (_, categorical))| include.selects(categorical.kind))
                .map(|(name, (count, categorical))| {
                    ColumnStats::categorical(&name, count, categorical, &options.percentiles)
                })
                .collect(),
        )
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
