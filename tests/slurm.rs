//! The scale-out of docs/scale-out.md, really run: a Slurm job array and a merge job on a real one-node cluster, and the Kubernetes Indexed Job through its environment.
//!
//! The batch scripts and the manifest are read from docs/scale-out.md, so the
//! documentation is what is tested. The Slurm test needs Debian's slurmctld,
//! slurmd, slurm-client and munge, and root; without them it is skipped with
//! a message, unless `POLARSDESC_REQUIRE_SLURM` is set (CI sets it): then it
//! fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::docs::{documented, Manifest};
use common::{read_parquet, TestEnv};

/// A work folder with the article-shaped data set and a single run's result.
fn work() -> (TestEnv, polars::prelude::DataFrame) {
    let env = TestEnv::new();
    env.cmd()
        .args([
            "-q", "generate", "--dir", "data", "--seed", "8", "-n", "300",
        ])
        .args(["--start", "2024-01-01", "--end", "2024-12-31"])
        .assert()
        .success();
    env.write("data/broken.csv", "a,b\n1,2\n3,4,5\n");
    env.cmd()
        .args(["-q", "run", "data", "-o", "single.parquet"])
        .assert()
        .code(1);
    let single = read_parquet(&env.join("single.parquet"));
    (env, single)
}

/// The folder of the polarsdesc binary, to put first on PATH.
fn binary_folder() -> PathBuf {
    assert_cmd::cargo::cargo_bin("polarsdesc")
        .parent()
        .unwrap()
        .to_path_buf()
}

fn path_with_binary() -> String {
    format!(
        "{}:{}",
        binary_folder().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn a_kubernetes_indexed_job_as_documented() {
    let manifest = Manifest::documented("polarsdesc-shards.yaml");
    let (env, single) = work();
    manifest.run_shards(|| env.cmd());
    assert_eq!(env.files_in("parts").len(), manifest.completions);
    env.cmd().args(&manifest.merge_args).assert().code(1); // broken.csv
    assert!(read_parquet(&env.join("summary.parquet")).equals_missing(&single));
}

/// A Slurm cluster started by scripts/slurm-cluster.sh, stopped on drop.
struct Cluster {
    folder: tempfile::TempDir,
}

impl Cluster {
    fn conf(&self) -> PathBuf {
        self.folder.path().join("slurm.conf")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(script())
            .arg("stop")
            .arg(self.folder.path())
            .status();
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/slurm-cluster.sh")
}

/// Why Slurm cannot run here, if it cannot.
fn missing_slurm() -> Option<String> {
    for program in [
        "slurmctld",
        "slurmd",
        "sbatch",
        "squeue",
        "munged",
        "mungekey",
    ] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {program}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            return Some(format!(
                "{program} is not installed (Debian: slurmctld slurmd slurm-client munge)"
            ));
        }
    }
    let uid = Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("the test cluster runs its daemons as root".into());
    }
    None
}

#[test]
fn a_slurm_job_array_then_a_merge_job_as_documented() {
    if let Some(reason) = missing_slurm() {
        let message = format!("a_slurm_job_array_then_a_merge_job_as_documented: {reason}");
        if std::env::var_os("POLARSDESC_REQUIRE_SLURM").is_some() {
            panic!("{message} (POLARSDESC_REQUIRE_SLURM is set, so this is a failure)");
        }
        common::say_skipped(&message);
        return;
    }
    let started = Instant::now();
    let cluster = Cluster {
        folder: tempfile::tempdir().unwrap(),
    };
    let status = Command::new(script())
        .arg("start")
        .arg(cluster.folder.path())
        .status()
        .unwrap();
    assert!(status.success(), "the cluster did not start");
    let cluster_started = started.elapsed();

    let (env, single) = work();
    std::fs::create_dir(env.join("logs")).unwrap();
    env.write("shard.sbatch", documented("# shard.sbatch"));
    env.write("merge.sbatch", documented("# merge.sbatch"));
    let sbatch = |args: &[&str]| -> String {
        let output = Command::new("sbatch")
            .arg("--parsable")
            .args(args)
            .current_dir(env.path())
            .env("SLURM_CONF", cluster.conf())
            .env("PATH", path_with_binary())
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap().trim().to_string()
    };
    let submitted = Instant::now();
    let shards = sbatch(&["shard.sbatch"]);
    let merge = sbatch(&[&format!("--dependency=afterok:{shards}"), "merge.sbatch"]);
    wait_for(&cluster, &shards);
    let shards_done = submitted.elapsed();
    wait_for(&cluster, &merge);
    let all_done = submitted.elapsed();

    let log = std::fs::read_to_string(env.join("logs/merge.log")).unwrap_or_default();
    assert!(
        env.join("summary.parquet").exists(),
        "the merge job did not write the table; its log:\n{log}"
    );
    assert!(
        log.contains("data/broken.csv: line 3: 3 fields, but the header has 2"),
        "{log}"
    );
    assert_eq!(env.files_in("parts").len(), 4);
    assert!(read_parquet(&env.join("summary.parquet")).equals_missing(&single));
    eprintln!(
        "slurm figures: cluster started in {:.1} s; array of 4 done {:.1} s after submission; \
         merge done {:.1} s after submission",
        cluster_started.as_secs_f64(),
        shards_done.as_secs_f64(),
        all_done.as_secs_f64()
    );
}

/// Polls squeue until job `id` (all its array tasks) has left the queue.
fn wait_for(cluster: &Cluster, id: &str) {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let output = Command::new("squeue")
            .args(["--noheader", "--jobs", id])
            .env("SLURM_CONF", cluster.conf())
            .output()
            .unwrap();
        let queued = String::from_utf8_lossy(&output.stdout);
        if output.status.success() && queued.trim().is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "job {id} still queued: {queued}");
        std::thread::sleep(Duration::from_millis(200));
    }
}
