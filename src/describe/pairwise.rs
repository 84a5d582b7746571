//! numpy's pairwise summation, as its umath loops add a float64 or a float32 array: the same additions in the same order, so the same bits.

use std::ops::Add;

/// A float type numpy sums in its own precision: float64, float32.
pub trait Lane: Copy + Add<Output = Self> + std::fmt::Debug {
    const ZERO: Self;
}

impl Lane for f64 {
    const ZERO: f64 = 0.0;
}

impl Lane for f32 {
    const ZERO: f32 = 0.0;
}

/// numpy's pairwise summation (`pairwise_sum` in its umath loops) of
/// `f(value)` over `values`: blocks of up to 128 summed in 8 lanes, halves
/// (cut at a multiple of 8) summed recursively; the same additions in the
/// same order, so the same bits.
pub fn pairwise_sum<T: Lane>(values: &[f64], f: impl Fn(f64) -> T + Copy) -> T {
    let n = values.len();
    if n <= LEAF {
        return leaf_sum(values, f);
    }
    let half = left_half(n);
    pairwise_sum(&values[..half], f) + pairwise_sum(&values[half..], f)
}

/// The most values numpy sums in one block (a leaf of the recursion).
const LEAF: usize = 128;

/// Where numpy cuts `n` values (more than [`LEAF`]): half, down to a multiple of 8.
fn left_half(n: usize) -> usize {
    let half = n / 2;
    half - half % 8
}

/// numpy's sum of one leaf (at most [`LEAF`] values): in order below 8
/// values, else in 8 lanes combined pairwise, then the rest in order.
fn leaf_sum<T: Lane, V: Copy>(values: &[V], f: impl Fn(V) -> T + Copy) -> T {
    let n = values.len();
    if n < 8 {
        return values.iter().fold(T::ZERO, |sum, &v| sum + f(v));
    }
    let mut lanes = [T::ZERO; 8];
    for (lane, &v) in lanes.iter_mut().zip(values) {
        *lane = f(v);
    }
    let whole = n - n % 8;
    for block in values[8..whole].chunks_exact(8) {
        for (lane, &v) in lanes.iter_mut().zip(block) {
            *lane = *lane + f(v);
        }
    }
    let mut sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
        + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    for &v in &values[whole..] {
        sum = sum + f(v);
    }
    sum
}

/// [`pairwise_sum`] of a column that arrives in pieces (a large file read
/// block by block), its length known in advance: the same additions in the
/// same order, so the same bits, holding one leaf and the path to it.
#[derive(Debug, Clone)]
pub struct PairwiseSum<T = f64> {
    /// The nodes above the current leaf: the length of their right half,
    /// and the sum of their left half once it is done.
    path: Vec<(usize, Option<T>)>,
    leaf: Vec<T>,
    leaf_len: usize,
    total: Option<T>,
}

impl<T: Lane> PairwiseSum<T> {
    /// A sum of `n` values to come.
    pub fn new(n: usize) -> Self {
        let mut sum = PairwiseSum {
            path: Vec::new(),
            leaf: Vec::with_capacity(LEAF),
            leaf_len: 0,
            total: (n == 0).then_some(T::ZERO),
        };
        sum.descend(n);
        sum
    }

    /// Goes down the left halves of a node of `len` values to its first leaf.
    fn descend(&mut self, mut len: usize) {
        while len > LEAF {
            let half = left_half(len);
            self.path.push((len - half, None));
            len = half;
        }
        self.leaf_len = len;
    }

    /// Adds the next values (already transformed, as `pairwise_sum`'s `f` would).
    pub fn add(&mut self, mut values: &[T]) {
        while !values.is_empty() {
            let wanted = self.leaf_len - self.leaf.len();
            let (now, later) = values.split_at(wanted.min(values.len()));
            self.leaf.extend_from_slice(now);
            values = later;
            if self.leaf.len() == self.leaf_len {
                let sum = leaf_sum(&self.leaf, |v| v);
                self.leaf.clear();
                self.leaf_done(sum);
            }
        }
    }

    /// Climbs from a finished leaf: a left half waits for its right half,
    /// a right half completes its node.
    fn leaf_done(&mut self, mut sum: T) {
        loop {
            match self.path.last_mut() {
                None => {
                    self.total = Some(sum);
                    return;
                }
                Some((right, left @ None)) => {
                    *left = Some(sum);
                    let right = *right;
                    self.descend(right);
                    return;
                }
                Some((_, Some(left))) => {
                    // The left half's sum plus the right's, as numpy adds them
                    // (IEEE addition commutes, so the order of operands is free).
                    sum = sum + *left;
                    self.path.pop();
                }
            }
        }
    }

    /// The sum, once all `n` values have been added.
    ///
    /// # Panics
    /// When fewer values were added (a bug of the caller).
    pub fn finish(&self) -> T {
        self.total.expect("every value of the sum was added")
    }
}
