//! `polarsdesc bench`: how much faster parallelism makes `run`, on this machine, for this data.
//!
//! The article's `%timeit` walk-through as one command: time one file
//! (repeated, mean ± std), predict the sequential time of all files from it,
//! then time whole runs with 1, 2, 4, ... workers, several times each. Runs
//! are the real `run` (Parquet written, no cache), in this process: our
//! workers own the cores, so `-j` is honoured run by run. Rows whose times
//! disagree are warned of ([`noise`]).

pub mod noise;
pub mod plot;
pub mod report;
pub mod timing;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::{BenchConfig, DiscoverOptions, RunConfig};
use crate::describe;
use crate::destination::Sink;
use crate::error::{Error, Result};
use crate::interrupt;
use crate::parallel::{self, SpareCores};
use crate::progress::Console;
use crate::summary;
pub use report::{BenchReport, Measurement};

/// Runs the experiment, with a progress bar over all of it. The JSON and the
/// chart are written afterwards by [`write_outputs`], so that a failed write
/// never costs the measurements.
///
/// # Errors
/// When no input file is found or none can be described, a run fails as a
/// whole, or the experiment is interrupted.
pub fn bench(config: &BenchConfig, console: &Console) -> Result<BenchReport> {
    let discovered = summary::find_inputs(
        &config.inputs,
        DiscoverOptions::default(),
        config.generate_if_empty.as_ref(),
        console,
    )?;
    let files: Vec<PathBuf> = discovered
        .files
        .into_iter()
        .map(|input| input.path)
        .collect();
    if files.is_empty() {
        return Err(Error::NoInputs(config.inputs.clone()));
    }
    let bytes = files
        .iter()
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|metadata| metadata.len())
        .sum();
    let steps = timing::RUNS + config.repeat * config.jobs_list.len();
    let bar = console.bar(steps as u64, "benchmarking", "steps");

    // One file, like %timeit, on this thread (Polars inline, as on a worker):
    // the first one that can be described.
    parallel::run_polars_inline();
    let describe =
        |path: &Path| describe::describe_file(path, &config.describe, &SpareCores::none());
    let first = files
        .iter()
        .find(|path| describe(path).is_ok())
        .ok_or_else(|| {
            Error::InvalidConfig(
                "bench: no input file can be described (`polarsdesc run` says why)".into(),
            )
        })?;
    let one_file = timing::timeit(
        || {
            interrupt::check()?;
            describe(first).map(drop).map_err(|err| {
                Error::InvalidConfig(format!("cannot time one file, {}: {err}", first.display()))
            })
        },
        || bar.inc(1),
    )?;

    let scratch = tempfile::tempdir().map_err(|err| Error::write(&std::env::temp_dir(), err))?;
    let mut runs = Vec::with_capacity(config.jobs_list.len());
    for &workers in &config.jobs_list {
        let run_config = RunConfig::measured(
            config.inputs.clone(),
            config.describe.clone(),
            scratch.path().join("summary.parquet"),
            workers,
        );
        let mut times = Vec::with_capacity(config.repeat);
        for _ in 0..config.repeat {
            interrupt::check()?;
            let started = Instant::now();
            let run = summary::run(&run_config, &Console::silent())?;
            times.push(started.elapsed().as_secs_f64());
            if !run.failures.is_empty() && runs.is_empty() && times.len() == 1 {
                bar.suspend(|| {
                    console.warn(&format!(
                        "{} of {} files fail (`polarsdesc run` names them); the times include trying them",
                        run.failures.len(),
                        run.files
                    ))
                });
            }
            bar.inc(1);
        }
        runs.push(Measurement { workers, times });
    }
    bar.finish_and_clear();

    let report = BenchReport {
        files: files.len(),
        bytes,
        cores: parallel::available_cores(),
        one_file: (first.display().to_string(), one_file),
        runs,
    };
    Ok(report)
}

/// What follows the table: a warning on stderr for each row whose times vary
/// too widely to be trusted, then the JSON and the chart `config` asks for,
/// each written atomically.
///
/// # Errors
/// When the JSON or the chart cannot be written.
pub fn write_outputs(report: &BenchReport, config: &BenchConfig) -> Result<()> {
    // The binary prints the table between `bench` and this; warnings print
    // even under --quiet, so this console says them as the binary's would.
    let console = Console::stderr(false);
    for warning in report.warnings() {
        console.warn(&warning);
    }
    if let Some(path) = &config.json {
        let text =
            serde_json::to_string_pretty(&report.json()).expect("JSON values serialize") + "\n";
        Sink::resolve(path)?.write(text.as_bytes(), true)?;
    }
    if let Some(path) = &config.plot {
        plot::draw(report, path)?;
    }
    Ok(())
}
