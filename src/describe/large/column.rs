//! The describe statistics of one spooled column: the same numbers as `stats::describe_column` on the whole column, from passes over its spool.
//!
//! A column held in memory goes to `stats::describe_column` itself. A spilled
//! one is read again: a pass for the mean (numpy's pairwise sum, streamed:
//! `stats::PairwiseSum`), a pass for the standard deviation (which needs the
//! mean), and the passes the order statistics need (`select`), as many of
//! them at once as can be.

use std::io;

use super::select::Selection;
use super::spool::Spooled;
use crate::describe::stats::{self, ColumnStats, PairwiseSum, QuantileRanks};
use crate::describe::Percentiles;

/// A column read from a large file.
#[derive(Debug)]
pub struct SpooledColumn {
    pub name: String,
    /// Values in row order, NaN where missing.
    pub values: Spooled<f64>,
    /// The exact integers of an int64 column (pandas' type), in row order.
    pub integers: Option<Spooled<i64>>,
    /// pandas sums it as integers: its float copies in blocks of 8,192.
    pub integer_kind: bool,
    /// The width of its signed integer type (64, or less from Parquet).
    pub integer_bits: u32,
    /// A float32 column (Parquet, Arrow): pandas computes parts of it in
    /// float32 (`stats::Float32Rules`).
    pub float32: bool,
    /// A float16 column (Parquet, Arrow): pandas computes parts of it in
    /// float16 (`stats::Float16Rules`).
    pub float16: bool,
    /// What the reading saw: values present, smallest and largest.
    pub count: usize,
    pub min: f64,
    pub max: f64,
}

/// numpy casts an integer column to float in buffers of this many values to take its mean.
const INTEGER_BLOCK: usize = 8192;

impl SpooledColumn {
    /// The statistics of the column, collecting at most `limit` values at a
    /// time for the percentiles.
    ///
    /// # Errors
    /// When the spilled values cannot be read back.
    pub fn describe(&self, percentiles: &Percentiles, limit: usize) -> io::Result<ColumnStats> {
        if let Spooled::Held(values) = &self.values {
            let kind = match (&self.integers, self.integer_kind) {
                (Some(Spooled::Held(integers)), _) => {
                    stats::Kind::Signed(integers, self.integer_bits)
                }
                (Some(Spooled::Spilled { .. }), _) => {
                    unreachable!("integers spill with their values")
                }
                (None, true) => stats::Kind::Unsigned,
                (None, false) if self.float32 => stats::Kind::Float32,
                (None, false) if self.float16 => stats::Kind::Float16,
                (None, false) => stats::Kind::Float,
            };
            return Ok(stats::describe_column(
                &self.name,
                values,
                percentiles,
                kind,
            ));
        }
        let n = self.values.len();
        let count = self.count;
        let zero_missing = |v: f64| if v.is_nan() { 0.0 } else { v };

        // The mean (and an integer column's blocked mean), and the first
        // pass of the order statistics.
        let needed = QuantileRanks::new(count, percentiles.fractions());
        let ranks = needed
            .as_ref()
            .map_or(&[][..], |needed| needed.ranks.as_slice());
        let mut floats = Selection::<f64>::new(count, ranks, limit);
        let mut ints = self
            .integers
            .as_ref()
            .map(|_| Selection::<i64>::new(count, ranks, limit));
        let mut whole = PairwiseSum::new(n);
        let mut whole32 = PairwiseSum::<f32>::new(if self.float32 { n } else { 0 });
        let mut transformed32 = Vec::new();
        let float32 = stats::Float32Rules {
            count,
            has_missing: count < n,
        };
        let (mut blocked, mut block) = (0.0, Vec::with_capacity(INTEGER_BLOCK));
        let mut transformed = Vec::new();
        self.values.for_each_chunk(|chunk| {
            transformed.clear();
            transformed.extend(chunk.iter().map(|&v| zero_missing(v)));
            whole.add(&transformed);
            if self.float32 {
                transformed32.clear();
                transformed32.extend(chunk.iter().map(|&v| stats::zero_missing_f32(v)));
                whole32.add(&transformed32);
            }
            if self.integer_kind || self.float16 {
                for &v in &transformed {
                    block.push(v);
                    if block.len() == INTEGER_BLOCK {
                        blocked += stats::pairwise_sum(&block, |v| v);
                        block.clear();
                    }
                }
            }
            if ints.is_none() {
                floats.observe(chunk);
            }
        })?;
        if !block.is_empty() {
            blocked += stats::pairwise_sum(&block, |v| v);
        }
        let float16 = stats::Float16Rules {
            count,
            has_missing: count < n,
        };
        let whole_mean = match self.float16 {
            true => float16.mean_for_std(blocked),
            false => whole.finish() / float32.count(self.float32),
        };
        let mean = if self.integer_kind || self.float16 {
            blocked / count as f64
        } else if self.float32 {
            float32.mean(whole32.finish())
        } else {
            whole_mean
        };
        self.end_selection_pass(&mut floats, &mut ints)?;

        // The standard deviation, with further passes of the order statistics.
        let mut squares = PairwiseSum::new(n);
        self.values.for_each_chunk(|chunk| {
            transformed.clear();
            transformed.extend(chunk.iter().map(|&v| {
                if v.is_nan() {
                    0.0
                } else {
                    (whole_mean - v) * (whole_mean - v)
                }
            }));
            squares.add(&transformed);
            if ints.is_none() && !floats.is_done() {
                floats.observe(chunk);
            }
        })?;
        let std = match self.float16 {
            true => float16.std(squares.finish()),
            false => float32.std(squares.finish(), self.float32),
        };
        if ints.is_none() && !floats.is_done() {
            floats.end_pass();
        }
        while ints.is_none() && !floats.is_done() {
            self.values.for_each_chunk(|chunk| floats.observe(chunk))?;
            floats.end_pass();
        }
        while let Some(selection) = ints.as_mut().filter(|s| !s.is_done()) {
            let integers = self
                .integers
                .as_ref()
                .expect("integers with their selection");
            integers.for_each_chunk(|chunk| selection.observe(chunk))?;
            selection.end_pass();
        }

        let percentiles = match (&needed, &ints) {
            (None, _) => vec![None; percentiles.fractions().len()],
            (Some(needed), Some(ints)) => needed.int64_quantiles(&ints.values(), self.integer_bits),
            (Some(needed), None) if self.float32 || self.float16 => {
                let narrow = match self.float16 {
                    true => stats::Narrow::F16,
                    false => stats::Narrow::F32,
                };
                needed.narrow_quantiles(&floats.values(), float32.has_missing, narrow)
            }
            (Some(needed), None) => needed.float_quantiles(&floats.values()),
        };
        let defined = |value: f64, min_count: usize| (count >= min_count).then_some(value);
        Ok(ColumnStats {
            column: self.name.clone(),
            count: count as u64,
            mean: defined(mean, 1),
            std: defined(std, 2),
            min: defined(self.min, 1),
            percentiles,
            max: defined(self.max, 1),
            categorical: None,
        })
    }

    /// Ends the first pass of whichever selection the column uses (the
    /// integers' reads its own spool).
    fn end_selection_pass(
        &self,
        floats: &mut Selection<f64>,
        ints: &mut Option<Selection<i64>>,
    ) -> io::Result<()> {
        match (ints, &self.integers) {
            (Some(selection), Some(integers)) => {
                integers.for_each_chunk(|chunk| selection.observe(chunk))?;
                selection.end_pass();
            }
            _ => floats.end_pass(),
        }
        Ok(())
    }
}
