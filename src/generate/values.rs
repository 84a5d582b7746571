//! The random values of one label: a seeded stream per label, so output is independent of threads.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The random stream of `label` under `seed`: the same on every machine,
/// every run and every thread count.
pub fn label_rng(seed: u64, label: &str) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(fnv1a(label.as_bytes()));
    rng
}

/// A uniform float in [0, 1), 53 bits of precision (like numpy's `random()`).
pub fn next_unit(rng: &mut ChaCha8Rng) -> f64 {
    rng.random::<f64>()
}

/// A fresh seed from the operating system, for runs without `--seed`.
///
/// # Errors
/// When the operating system has no randomness to give.
pub fn fresh_seed() -> std::io::Result<u64> {
    use rand::TryRng;
    rand::rngs::SysRng
        .try_next_u64()
        .map_err(|err| std::io::Error::other(err.to_string()))
}

/// 64-bit FNV-1a: a stable hash (std's `DefaultHasher` may change between Rust releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_label_give_the_same_stream() {
        let a: Vec<f64> = (0..5).map(|_| next_unit(&mut label_rng(7, "ab"))).collect();
        let b: Vec<f64> = (0..5).map(|_| next_unit(&mut label_rng(7, "ab"))).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn labels_and_seeds_get_different_streams() {
        let first = |seed, label| next_unit(&mut label_rng(seed, label));
        assert_ne!(first(7, "ab"), first(7, "ac"));
        assert_ne!(first(7, "ab"), first(8, "ab"));
    }

    #[test]
    fn values_are_in_the_unit_interval() {
        let mut rng = label_rng(1, "zz");
        assert!((0..10_000)
            .map(|_| next_unit(&mut rng))
            .all(|v| (0.0..1.0).contains(&v)));
    }
}
