//! Exact order statistics of a column too large to hold: histograms by the bits of the values narrow each wanted rank to a bucket, pass after pass, until the bucket's values fit in memory and are selected among.
//!
//! Each value has a 64-bit key that sorts as the values do (`f64::total_cmp`
//! for floats, plain order for int64). The first pass counts the values by
//! the top 16 bits of their keys; the bucket holding a wanted rank is the
//! one where the counts reach it. The next pass either collects that
//! bucket's values, when they fit the limit, and selects the rank among them,
//! or counts them by their next 16 bits. A bucket narrowed to all 64 bits
//! holds one value, however often. So the answer is the order statistic
//! itself (what numpy's sort would put at that rank), not an estimate, and
//! memory holds a histogram (512 KiB) and at most `limit` values at a time.

use super::spool::Scalar;

/// A value with a key that sorts as the values do; missing values have none.
pub trait Ordered: Scalar {
    fn key(self) -> Option<u64>;
    fn from_key(key: u64) -> Self;
}

const SIGN: u64 = 1 << 63;

impl Ordered for f64 {
    /// The bits, flipped so that unsigned order is `total_cmp`'s; NaN (missing) has none.
    fn key(self) -> Option<u64> {
        if self.is_nan() {
            return None;
        }
        let bits = self.to_bits();
        Some(if bits & SIGN != 0 { !bits } else { bits | SIGN })
    }

    fn from_key(key: u64) -> Self {
        f64::from_bits(if key & SIGN != 0 { key & !SIGN } else { !key })
    }
}

impl Ordered for i64 {
    fn key(self) -> Option<u64> {
        Some(self as u64 ^ SIGN)
    }

    fn from_key(key: u64) -> Self {
        (key ^ SIGN) as i64
    }
}

/// The bits of a key a histogram tells apart.
const STEP: u32 = 16;

/// The most values selected among without a histogram first.
const DIRECT: usize = 1 << 20;

/// One wanted rank: narrowed to the values whose keys start with `prefix`
/// (its top `bits`), among which it is `rank`; `size` values are there.
#[derive(Debug, Clone, Copy)]
struct Target {
    prefix: u64,
    bits: u32,
    rank: u64,
    size: u64,
}

impl Target {
    fn holds(&self, key: u64) -> bool {
        self.bits == 0 || key >> (64 - self.bits) == self.prefix
    }
}

/// What a pass does for the targets of one bucket.
enum Work<T> {
    Collect(Vec<T>),
    Count(Vec<u64>),
}

/// The order statistics at some ranks of one column, found in passes.
pub struct Selection<T> {
    targets: Vec<Target>,
    found: Vec<Option<T>>,
    /// Buckets of this pass: the bucket's target (its first), and the work.
    work: Vec<(Target, Work<T>)>,
    /// The most values collected at once.
    limit: usize,
}

impl<T: Ordered> Selection<T> {
    /// The values at `ranks` (ascending) among `count` present values,
    /// collecting at most `limit` values at a time.
    pub fn new(count: usize, ranks: &[usize], limit: usize) -> Self {
        let targets = ranks
            .iter()
            .map(|&rank| Target {
                prefix: 0,
                bits: 0,
                rank: rank as u64,
                size: count as u64,
            })
            .collect();
        let mut selection = Selection {
            targets,
            found: vec![None; ranks.len()],
            work: Vec::new(),
            limit: limit.max(1),
        };
        // Selecting among all the values costs a partition of them per rank;
        // a histogram first costs one look at each, and leaves buckets of a
        // few thousandths of them to select among.
        selection.plan(selection.limit.min(DIRECT));
        selection
    }

    /// Whether every rank is found.
    pub fn is_done(&self) -> bool {
        self.found.iter().all(Option::is_some)
    }

    /// The values at the ranks, in order, once [`Self::is_done`].
    pub fn values(&self) -> Vec<T> {
        self.found
            .iter()
            .map(|v| v.expect("a found rank"))
            .collect()
    }

    /// Decides the work of the next pass: for each bucket still holding a
    /// target, collect its values while they fit the limit, else count
    /// them by their next bits.
    fn plan(&mut self, limit: usize) {
        self.work.clear();
        let mut room = limit as u64;
        for (index, target) in self.targets.iter().enumerate() {
            if self.found[index].is_some()
                || self
                    .work
                    .iter()
                    .any(|(t, _)| (t.prefix, t.bits) == (target.prefix, target.bits))
            {
                continue;
            }
            let work = if target.size <= room {
                room -= target.size;
                Work::Collect(Vec::with_capacity(target.size as usize))
            } else {
                Work::Count(vec![0; 1 << STEP])
            };
            self.work.push((*target, work));
        }
    }

    /// Takes the next values of the pass.
    pub fn observe(&mut self, values: &[T]) {
        for &value in values {
            let Some(key) = value.key() else { continue };
            for (target, work) in &mut self.work {
                if !target.holds(key) {
                    continue;
                }
                match work {
                    Work::Collect(collected) => collected.push(value),
                    Work::Count(counts) => {
                        counts[((key << target.bits) >> (64 - STEP)) as usize] += 1
                    }
                }
            }
        }
    }

    /// Ends a pass: selects among what was collected, narrows what was
    /// counted, and plans the next pass.
    pub fn end_pass(&mut self) {
        for (bucket, work) in std::mem::take(&mut self.work) {
            let same_bucket: Vec<usize> = (0..self.targets.len())
                .filter(|&i| {
                    self.found[i].is_none()
                        && (self.targets[i].prefix, self.targets[i].bits)
                            == (bucket.prefix, bucket.bits)
                })
                .collect();
            match work {
                Work::Collect(mut values) => {
                    let mut start = 0;
                    for i in same_bucket {
                        let rank = self.targets[i].rank as usize;
                        let (_, value, _) =
                            values[start..].select_nth_unstable_by_key(rank - start, |v| v.key());
                        self.found[i] = Some(*value);
                        start = rank;
                    }
                }
                Work::Count(counts) => {
                    for i in same_bucket {
                        self.targets[i] = narrowed(self.targets[i], &counts);
                        if self.targets[i].bits == 64 {
                            self.found[i] = Some(T::from_key(self.targets[i].prefix));
                        }
                    }
                }
            }
        }
        self.plan(self.limit);
    }
}

/// `target` narrowed to the bucket of `counts` (by its next bits) that holds its rank.
fn narrowed(target: Target, counts: &[u64]) -> Target {
    let mut below = 0;
    for (index, &count) in counts.iter().enumerate() {
        if target.rank < below + count {
            return Target {
                prefix: (target.prefix << STEP) | index as u64,
                bits: target.bits + STEP,
                rank: target.rank - below,
                size: count,
            };
        }
        below += count;
    }
    unreachable!("a rank below the count is in some bucket")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values at `ranks`, found in passes of at most `limit` collected.
    fn select<T: Ordered>(values: &[T], ranks: &[usize], limit: usize) -> (Vec<T>, usize) {
        let count = values.iter().filter(|v| v.key().is_some()).count();
        let mut selection = Selection::new(count, ranks, limit);
        let mut passes = 0;
        while !selection.is_done() {
            for piece in values.chunks(1000) {
                selection.observe(piece);
            }
            selection.end_pass();
            passes += 1;
        }
        (selection.values(), passes)
    }

    #[test]
    fn keys_sort_as_total_cmp() {
        let mut values = vec![
            -f64::INFINITY,
            -1e300,
            -1.0,
            -5e-324,
            -0.0,
            0.0,
            5e-324,
            1.0,
            1e300,
            f64::INFINITY,
        ];
        let keys: Vec<u64> = values.iter().map(|v| v.key().unwrap()).collect();
        assert!(keys.windows(2).all(|pair| pair[0] < pair[1]));
        values
            .iter()
            .for_each(|&v| assert_eq!(f64::from_key(v.key().unwrap()).to_bits(), v.to_bits()));
        assert_eq!(f64::NAN.key(), None);
        let ints = [i64::MIN, -1, 0, 1, i64::MAX];
        assert!(ints.windows(2).all(|p| p[0].key() < p[1].key()));
        values.clear();
    }

    #[test]
    fn order_statistics_equal_sorting_with_any_limit() {
        // Ties, a narrow range (many passes) and missing values.
        let values: Vec<f64> = (0..20_000u64)
            .map(|i| match i % 7 {
                0 => f64::NAN,
                1 => 3.0,
                _ => 1.0 + ((i * 7919) % 10_007) as f64 * 1e-12,
            })
            .collect();
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        sorted.sort_by(f64::total_cmp);
        let ranks = [0, 1, 4000, 4001, 8571, 17000, sorted.len() - 1];
        for limit in [1, 10, 1000, 1 << 20] {
            let (found, passes) = select(&values, &ranks, limit);
            let expected: Vec<f64> = ranks.iter().map(|&r| sorted[r]).collect();
            assert_eq!(found, expected, "limit {limit}");
            assert!(passes <= 5, "{passes} passes");
        }
        let ints: Vec<i64> = (0..5000).map(|i| (i * 104_729) % 4999 - 2500).collect();
        let mut sorted = ints.clone();
        sorted.sort();
        let (found, _) = select(&ints, &[0, 2500, 4999], 7);
        assert_eq!(found, [sorted[0], sorted[2500], sorted[4999]]);
    }

    #[test]
    fn one_value_many_times_needs_no_collecting() {
        let values = vec![2.5f64; 10_000];
        let (found, passes) = select(&values, &[0, 9999], 1);
        assert_eq!((found, passes), (vec![2.5, 2.5], 4));
    }
}
