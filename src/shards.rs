//! Splitting the inputs among N copies of polarsdesc (Slurm job arrays, Kubernetes Indexed Jobs): which files shard K of N describes.
//!
//! A file belongs to one shard, decided by a hash of its path relative to the
//! input it was found in (not by its place in a listing), so every copy
//! computes the same partition on its own, and adding or removing files moves
//! no other file. The hash (xxh3) picks a shard with jump consistent hashing
//! (Lamping and Veach), so that changing N from 16 to 17 moves only a 17th
//! of the files: cached results stay useful.

use std::fmt;

use crate::error::{Error, Result};

/// Shard `index` of `count` (0-based, as Slurm array IDs and Kubernetes
/// completion indexes are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

/// How the shard is given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardSpec {
    /// `K/N`.
    Fixed(Shard),
    /// `auto`: from the scheduler's environment.
    Auto,
}

/// The environment variables `--shard auto` reads.
pub const SLURM_INDEX: &str = "SLURM_ARRAY_TASK_ID";
pub const SLURM_COUNT: &str = "SLURM_ARRAY_TASK_COUNT";
pub const SLURM_MIN: &str = "SLURM_ARRAY_TASK_MIN";
pub const SLURM_STEP: &str = "SLURM_ARRAY_TASK_STEP";
pub const KUBERNETES_INDEX: &str = "JOB_COMPLETION_INDEX";
pub const SHARDS_VARIABLE: &str = "POLARSDESC_SHARDS";
pub const SLURM_MAX: &str = "SLURM_ARRAY_TASK_MAX";

/// The most shards a run may be split into: Kubernetes' limit on the
/// completions of an Indexed Job (Slurm's `MaxArraySize` is 1,001 by
/// default). It keeps `merge`'s work bounded whatever a part's name says.
pub const MAX_SHARDS: usize = 100_000;

impl ShardSpec {
    /// Parses `K/N` or `auto`.
    ///
    /// # Errors
    /// When the text is neither, or K is not below N.
    pub fn parse(text: &str) -> Result<ShardSpec> {
        if text == "auto" {
            return Ok(ShardSpec::Auto);
        }
        let invalid = || {
            Error::InvalidConfig(format!(
                "--shard must be K/N (0 <= K < N, for example 3/16) or auto, got '{text}'"
            ))
        };
        let (index, count) = text.split_once('/').ok_or_else(invalid)?;
        let index: usize = index.trim().parse().map_err(|_| invalid())?;
        let count: usize = count.trim().parse().map_err(|_| invalid())?;
        Shard::new(index, count).map(ShardSpec::Fixed)
    }

    /// The shard this names; `auto` is read from `environment` (a lookup
    /// of variables), with `shards` (`--shards`) as the count where the
    /// scheduler does not give one.
    ///
    /// # Errors
    /// For `auto`: when no scheduler's variables are set (the message names
    /// those looked for), a Slurm array does not start at 0 with step 1, or
    /// a Kubernetes index comes without a count.
    pub fn resolve(
        self,
        environment: impl Fn(&str) -> Option<String>,
        shards: Option<usize>,
    ) -> Result<Shard> {
        let ShardSpec::Fixed(shard) = self else {
            return from_environment(environment, shards);
        };
        match shards {
            Some(count) if count != shard.count => Err(Error::InvalidConfig(format!(
                "--shard {shard} and --shards {count} disagree"
            ))),
            _ => Ok(shard),
        }
    }
}

/// The shard a scheduler's environment names.
fn from_environment(
    environment: impl Fn(&str) -> Option<String>,
    shards: Option<usize>,
) -> Result<Shard> {
    let number = |name: &str| -> Result<Option<usize>> {
        environment(name)
            .map(|value| {
                value.trim().parse().map_err(|_| {
                    Error::InvalidConfig(format!("{name}={value:?} is not a whole number"))
                })
            })
            .transpose()
    };
    if let Some(index) = number(SLURM_INDEX)? {
        let min = number(SLURM_MIN)?.unwrap_or(0);
        let step = number(SLURM_STEP)?.unwrap_or(1);
        if min != 0 || step != 1 {
            return Err(Error::InvalidConfig(format!(
                "--shard auto needs a Slurm array that starts at 0 with step 1 \
                 (sbatch --array=0-{{N-1}}); this one has {SLURM_MIN}={min}, {SLURM_STEP}={step}"
            )));
        }
        let count = match (number(SLURM_COUNT)?, shards) {
            (Some(count), Some(given)) if given != count => {
                return Err(Error::InvalidConfig(format!(
                    "--shards {given} disagrees with the Slurm array's {SLURM_COUNT}={count}; \
                     leave --shards out (Slurm gives the count)"
                )))
            }
            (Some(count), _) | (None, Some(count)) => count,
            (None, None) => {
                return Err(Error::InvalidConfig(format!(
                    "--shard auto: {SLURM_INDEX} is set but {SLURM_COUNT} is not"
                )))
            }
        };
        // An array of 0..N-1 has N-1 as its largest id; `--array=0,2,4`
        // has 3 tasks with ids up to 4, and shard 1 would never run.
        if let Some(max) = number(SLURM_MAX)? {
            if max + 1 != count {
                return Err(Error::InvalidConfig(format!(
                    "--shard auto needs a Slurm array of ids 0 to N-1 (sbatch --array=0-{{N-1}}); \
                     this one has {count} tasks but ids up to {max} ({SLURM_MAX}), so some \
                     shards would never run"
                )));
            }
        }
        return Shard::new(index, count);
    }
    if let Some(index) = number(KUBERNETES_INDEX)? {
        let count = match (shards, number(SHARDS_VARIABLE)?) {
            (Some(given), Some(set)) if given != set => {
                return Err(Error::InvalidConfig(format!(
                    "--shards {given} disagrees with {SHARDS_VARIABLE}={set}: give one of them"
                )))
            }
            (Some(count), _) | (None, Some(count)) => count,
            (None, None) => {
                return Err(Error::InvalidConfig(format!(
                    "--shard auto: {KUBERNETES_INDEX} is set (a Kubernetes Indexed Job), but \
                     Kubernetes does not give the number of shards: pass --shards N or set \
                     {SHARDS_VARIABLE} (to the Job's completions)"
                )))
            }
        };
        return Shard::new(index, count);
    }
    Err(Error::InvalidConfig(format!(
        "--shard auto: no scheduler's variables are set (looked for {SLURM_INDEX} and \
         {SLURM_COUNT} of a Slurm job array, {KUBERNETES_INDEX} of a Kubernetes Indexed Job); \
         give the shard as --shard K/N"
    )))
}

impl Shard {
    /// Shard `index` of `count`.
    ///
    /// # Errors
    /// When `count` is 0 or above [`MAX_SHARDS`], or `index` is not below it.
    pub fn new(index: usize, count: usize) -> Result<Shard> {
        if count == 0 || index >= count {
            return Err(Error::InvalidConfig(format!(
                "shard {index}/{count}: the index must be below the count (0 <= K < N, N >= 1)"
            )));
        }
        if count > MAX_SHARDS {
            return Err(Error::InvalidConfig(format!(
                "shard {index}/{count}: at most {MAX_SHARDS} shards (the most a Kubernetes \
                 Indexed Job runs); a shard of fewer files each costs more than it saves"
            )));
        }
        Ok(Shard { index, count })
    }

    /// Whether the file whose path relative to its input is `key` belongs
    /// to this shard.
    pub fn owns(&self, key: &[u8]) -> bool {
        shard_of(key, self.count) == self.index
    }

    /// The file name of this shard's part: `part-00003-of-00016.parquet`.
    pub fn part_name(&self) -> String {
        format!("part-{:05}-of-{:05}.parquet", self.index, self.count)
    }

    /// The shard a part's file name names: `None` when the name is not a
    /// part's, an error when its numbers are not a shard's.
    pub fn of_part_name(name: &str) -> Option<Result<Shard>> {
        let rest = name.strip_prefix("part-")?.strip_suffix(".parquet")?;
        let (index, count) = rest.split_once("-of-")?;
        let digits = |text: &str| text.len() >= 5 && text.bytes().all(|b| b.is_ascii_digit());
        if !digits(index) || !digits(count) {
            return None;
        }
        let number = |text: &str| text.parse::<usize>().unwrap_or(usize::MAX);
        Some(Shard::new(number(index), number(count)))
    }
}

impl fmt::Display for Shard {
    /// `3/16`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard (of `count`) of the file whose relative path is `key`.
pub fn shard_of(key: &[u8], count: usize) -> usize {
    jump_consistent_hash(xxhash_rust::xxh3::xxh3_64(key), count)
}

/// Lamping and Veach's jump consistent hash: a bucket in `0..buckets` for
/// `key`, such that growing the number of buckets moves few keys.
fn jump_consistent_hash(mut key: u64, buckets: usize) -> usize {
    let (mut bucket, mut next) = (-1i64, 0i64);
    while next < buckets as i64 {
        bucket = next;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        next = ((bucket + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    bucket as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(
            ShardSpec::parse("3/16").unwrap(),
            ShardSpec::Fixed(Shard {
                index: 3,
                count: 16
            })
        );
        assert_eq!(ShardSpec::parse("auto").unwrap(), ShardSpec::Auto);
        for bad in [
            "4/4",
            "1/0",
            "x",
            "3",
            "-1/4",
            "1/4/5",
            "",
            "0/4294967296",
            "0/100001",
        ] {
            assert!(ShardSpec::parse(bad).is_err(), "{bad}");
        }
    }

    fn environment(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name: &str| map.get(name).cloned()
    }

    #[test]
    fn auto_reads_slurm_and_kubernetes() {
        let slurm = environment(&[
            (SLURM_INDEX, "2"),
            (SLURM_COUNT, "4"),
            (SLURM_MIN, "0"),
            (SLURM_STEP, "1"),
        ]);
        assert_eq!(
            ShardSpec::Auto.resolve(slurm, None).unwrap(),
            Shard { index: 2, count: 4 }
        );
        let stepped = environment(&[(SLURM_INDEX, "2"), (SLURM_COUNT, "2"), (SLURM_STEP, "2")]);
        assert!(ShardSpec::Auto
            .resolve(stepped, None)
            .unwrap_err()
            .to_string()
            .contains("starts at 0 with step 1"));
        let kubernetes = environment(&[(KUBERNETES_INDEX, "5"), (SHARDS_VARIABLE, "8")]);
        assert_eq!(
            ShardSpec::Auto.resolve(kubernetes, None).unwrap(),
            Shard { index: 5, count: 8 }
        );
        let no_count = environment(&[(KUBERNETES_INDEX, "5")]);
        assert!(ShardSpec::Auto.resolve(&no_count, None).is_err());
        assert_eq!(
            ShardSpec::Auto.resolve(&no_count, Some(6)).unwrap(),
            Shard { index: 5, count: 6 }
        );
        let nothing = environment(&[]);
        let message = ShardSpec::Auto
            .resolve(nothing, None)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains(SLURM_INDEX) && message.contains(KUBERNETES_INDEX),
            "{message}"
        );
        let too_high = environment(&[(KUBERNETES_INDEX, "8"), (SHARDS_VARIABLE, "8")]);
        assert!(ShardSpec::Auto.resolve(too_high, None).is_err());
        assert_eq!(
            ShardSpec::parse("99999/100000").unwrap(),
            ShardSpec::Fixed(Shard {
                index: 99_999,
                count: MAX_SHARDS
            })
        );
    }

    #[test]
    fn slurm_arrays_that_cannot_be_shards_are_refused() {
        let slurm = |pairs: &[(&str, &str)]| {
            let mut all = vec![(SLURM_INDEX, "2"), (SLURM_COUNT, "3"), (SLURM_MIN, "0")];
            all.extend_from_slice(pairs);
            environment(&all)
        };
        // --array=0,2,4: three tasks, ids up to 4.
        let gaps = ShardSpec::Auto
            .resolve(slurm(&[(SLURM_MAX, "4")]), None)
            .unwrap_err()
            .to_string();
        assert!(gaps.contains("ids up to 4"), "{gaps}");
        // --shards that disagrees with the array is not silently ignored.
        let disagreeing = ShardSpec::Auto
            .resolve(slurm(&[(SLURM_MAX, "2")]), Some(8))
            .unwrap_err()
            .to_string();
        assert!(
            disagreeing.contains("--shards 8 disagrees"),
            "{disagreeing}"
        );
        assert_eq!(
            ShardSpec::Auto
                .resolve(slurm(&[(SLURM_MAX, "2")]), Some(3))
                .unwrap(),
            Shard { index: 2, count: 3 }
        );
    }

    #[test]
    fn part_names_round_trip() {
        let shard = Shard {
            index: 3,
            count: 16,
        };
        assert_eq!(shard.part_name(), "part-00003-of-00016.parquet");
        assert_eq!(
            Shard::of_part_name(&shard.part_name()).unwrap().unwrap(),
            shard
        );
        assert!(Shard::of_part_name("part-3-of-16.parquet").is_none());
        assert!(Shard::of_part_name("summary.parquet").is_none());
        // Part-shaped, but not a shard: said, not taken for a stranger.
        for name in [
            "part-00000-of-4294967296.parquet",
            "part-00016-of-00016.parquet",
        ] {
            assert!(Shard::of_part_name(name).unwrap().is_err(), "{name}");
        }
    }

    #[test]
    fn every_file_has_one_shard_and_growing_moves_few() {
        let keys: Vec<String> = (0..20_000).map(|i| format!("label{i}.csv")).collect();
        let count = |n: usize| {
            let mut counts = vec![0usize; n];
            for key in &keys {
                counts[shard_of(key.as_bytes(), n)] += 1;
            }
            counts
        };
        // Balanced to a few percent.
        let sixteen = count(16);
        assert!(
            sixteen.iter().all(|&c| (1150..1350).contains(&c)),
            "{sixteen:?}"
        );
        // 16 -> 17 shards moves about a 17th of the files.
        let moved = keys
            .iter()
            .filter(|key| shard_of(key.as_bytes(), 16) != shard_of(key.as_bytes(), 17))
            .count();
        assert!((1000..1400).contains(&moved), "{moved}");
        // Each file is owned by exactly one shard.
        for key in keys.iter().take(100) {
            let owners = (0..7)
                .filter(|&k| Shard { index: k, count: 7 }.owns(key.as_bytes()))
                .count();
            assert_eq!(owners, 1);
        }
    }
}
