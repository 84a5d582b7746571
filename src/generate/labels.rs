//! Labels: the k-letter combinations of `a..z` then `A..Z`, in `itertools.combinations` order.

/// The 52 letters of Python's `string.ascii_letters`, in order.
pub const ALPHABET: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// How many labels of `length` letters exist: 52 choose `length`.
pub fn label_count(length: usize) -> u64 {
    let n = ALPHABET.len() as u64;
    let k = length as u64;
    if k > n {
        return 0;
    }
    // C(n, k) = prod_{i=1..k} (n - k + i) / i, exact at every step.
    (1..=k).fold(1u64, |acc, i| acc * (n - k + i) / i)
}

/// The first `limit` labels (all of them when `None`) of `length` letters, in
/// the order Python's `itertools.combinations(string.ascii_letters, length)` yields them.
pub fn labels(length: usize, limit: Option<usize>) -> Vec<String> {
    let total = usize::try_from(label_count(length)).unwrap_or(usize::MAX);
    let wanted = limit.map_or(total, |limit| limit.min(total));
    Combinations::new(ALPHABET.len(), length)
        .take(wanted)
        .map(|indices| indices.iter().map(|&i| ALPHABET[i] as char).collect())
        .collect()
}

/// Index combinations of `k` out of `n`, in lexicographic order.
struct Combinations {
    n: usize,
    indices: Vec<usize>,
    done: bool,
}

impl Combinations {
    fn new(n: usize, k: usize) -> Self {
        Combinations {
            n,
            indices: (0..k).collect(),
            done: k == 0 || k > n,
        }
    }

    /// Moves `indices` to the next combination; false after the last one.
    fn advance(&mut self) -> bool {
        let k = self.indices.len();
        let Some(i) = (0..k).rev().find(|&i| self.indices[i] != i + self.n - k) else {
            return false;
        };
        self.indices[i] += 1;
        for j in i + 1..k {
            self.indices[j] = self.indices[j - 1] + 1;
        }
        true
    }
}

impl Iterator for Combinations {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        if self.done {
            return None;
        }
        let current = self.indices.clone();
        self.done = !self.advance();
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_letter_labels_match_the_article() {
        let all = labels(2, None);
        assert_eq!(all.len(), 1326);
        assert_eq!(&all[..3], ["ab", "ac", "ad"]);
        assert_eq!(all[50], "aZ");
        assert_eq!(all[51], "bc");
        assert_eq!(all.last().unwrap(), "YZ");
    }

    #[test]
    fn counts_are_binomials() {
        assert_eq!(label_count(1), 52);
        assert_eq!(label_count(2), 1326);
        assert_eq!(label_count(3), 22100);
        assert_eq!(labels(3, None).len(), 22100);
        assert_eq!(label_count(53), 0);
    }

    #[test]
    fn limit_takes_the_first_labels() {
        assert_eq!(labels(2, Some(2)), ["ab", "ac"]);
        assert_eq!(labels(2, Some(5000)).len(), 1326);
    }
}
