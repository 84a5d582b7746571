//! What the documentation shows, read from it so that it is what the tests run: fenced blocks of docs/scale-out.md and a Kubernetes Job's settings.

use std::path::Path;

/// The fenced code block of docs/scale-out.md whose first lines hold `marker`.
pub fn documented(marker: &str) -> String {
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scale-out.md"))
            .unwrap();
    let mut blocks = page.split("```").skip(1).step_by(2);
    let block = blocks
        .find(|block| block.lines().take(3).any(|line| line.contains(marker)))
        .unwrap_or_else(|| panic!("docs/scale-out.md has no block marked {marker}"));
    // Drop the language tag on the first line.
    block
        .split_once('\n')
        .map(|(_, body)| body.to_string())
        .unwrap()
}

/// The text after `key` on its line (or on the next line when none).
pub fn value_after(text: &str, key: &str) -> String {
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((_, rest)) = line.split_once(key) {
            let rest = rest.trim();
            return if rest.is_empty() {
                lines.next().unwrap().trim().to_string()
            } else {
                rest.to_string()
            };
        }
    }
    panic!("no {key} in the manifest")
}

/// A Kubernetes manifest of an Indexed Job of shards and a merge Job.
pub struct Manifest {
    pub completions: usize,
    /// The value of `POLARSDESC_SHARDS`.
    pub shards: String,
    /// The shards' arguments, then the merge's.
    pub shard_args: Vec<String>,
    pub merge_args: Vec<String>,
}

impl Manifest {
    /// The manifest in the block of docs/scale-out.md marked `marker`.
    pub fn documented(marker: &str) -> Manifest {
        let manifest = documented(marker);
        let arguments: Vec<Vec<String>> = manifest
            .lines()
            .filter(|line| line.trim_start().starts_with("args:"))
            .map(|line| {
                let list = line
                    .split_once('[')
                    .unwrap()
                    .1
                    .trim_end()
                    .trim_end_matches(']');
                list.split(',')
                    .map(|a| a.trim().trim_matches('"').to_string())
                    .collect()
            })
            .collect();
        assert_eq!(arguments.len(), 2, "the shards Job and the merge Job");
        Manifest {
            completions: value_after(&manifest, "completions:").parse().unwrap(),
            shards: value_after(&manifest, "- name: POLARSDESC_SHARDS")
                .trim_start_matches("value:")
                .trim()
                .trim_matches('"')
                .to_string(),
            shard_args: arguments[0].clone(),
            merge_args: arguments[1].clone(),
        }
    }
}

impl Manifest {
    /// Runs the shards Job as its pods would: `command()` once per
    /// completion index, with the Job's environment; each must succeed.
    pub fn run_shards(&self, mut command: impl FnMut() -> assert_cmd::Command) {
        for index in 0..self.completions {
            command()
                .args(&self.shard_args)
                .env("JOB_COMPLETION_INDEX", index.to_string())
                .env("POLARSDESC_SHARDS", &self.shards)
                .env_remove("SLURM_ARRAY_TASK_ID")
                .assert()
                .success();
        }
    }
}
