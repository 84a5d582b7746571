//! `polarsdesc bench`: how much faster parallelism makes `run`, on this machine, for this data.
//!
//! The article's `%timeit` walk-through as one command: time one file
//! (repeated, mean ± std), predict the sequential time of all files from it,
//! then time whole runs with 1, 2, 4, ... workers, several times each, in
//! rounds (1, 2, 4, then 1, 2, 4 again). Runs are the real `run` (Parquet
//! written, no cache), in this process: our workers own the cores, so `-j` is
//! honoured run by run. Rows whose times disagree are warned of ([`noise`]).

pub mod noise;
pub mod plot;
pub mod report;
pub mod timing;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::{BenchConfig, DiscoverOptions, RunConfig};

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
        |path: &Path| crate::read::describe_file(path, &config.describe, &SpareCores::none());
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
    let mut failures_said = false;
    let runs = time_in_rounds(&config.jobs_list, config.repeat, |workers| {
        interrupt::check()?;
        let run_config = RunConfig::measured(
            config.inputs.clone(),
            config.describe.clone(),
            scratch.path().join("summary.parquet"),
            workers,
        );
        let started = Instant::now();
        let run = summary::run(&run_config, &Console::silent())?;
        let elapsed = started.elapsed().as_secs_f64();
        if !run.failures.is_empty() && !failures_said {
            failures_said = true;
            bar.suspend(|| {
                console.warn(&format!(
                    "{} of {} files fail (`polarsdesc run` names them); the times include trying them",
                    run.failures.len(),
                    run.files
                ))
            });
        }
        bar.inc(1);
        Ok(elapsed)
    })?;
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

/// Times one run with each number of workers per round, `repeat` rounds
/// (1, 2, 4, then 1, 2, 4 again, ...), so that a slow spell of the machine
/// falls on every row alike instead of on one row's block of runs; the times
/// are kept per number of workers, in `jobs_list`'s order. `time_run` runs
/// once with that many workers and returns its seconds.
///
/// # Errors
/// The first error `time_run` returns; no run is timed after it.
fn time_in_rounds<E>(
    jobs_list: &[usize],
    repeat: usize,
    mut time_run: impl FnMut(usize) -> std::result::Result<f64, E>,
) -> std::result::Result<Vec<Measurement>, E> {
    let mut runs: Vec<Measurement> = jobs_list
        .iter()
        .map(|&workers| Measurement {
            workers,
            times: Vec::with_capacity(repeat),
        })
        .collect();
    for _ in 0..repeat {
        for measurement in &mut runs {
            measurement.times.push(time_run(measurement.workers)?);
        }
    }
    Ok(runs)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_time_every_number_of_workers_in_turn() {
        // A machine of our own: -j N takes 1/N s, but three times as long
        // during a slow spell over the 4th to 6th runs.
        let mut order = Vec::new();
        let runs = time_in_rounds(&[1, 2, 4], 3, |workers| {
            order.push(workers);
            let slow = (4..=6).contains(&order.len());
            Ok::<_, ()>(if slow { 3.0 } else { 1.0 } / workers as f64)
        })
        .unwrap();
        assert_eq!(order, [1, 2, 4, 1, 2, 4, 1, 2, 4]);
        // The spell fell on the second round of every row, not on one row's
        // block of runs: each median is the machine's usual time.
        let times: Vec<(usize, Vec<f64>)> =
            runs.iter().map(|m| (m.workers, m.times.clone())).collect();
        assert_eq!(
            times,
            [
                (1, vec![1.0, 3.0, 1.0]),
                (2, vec![0.5, 1.5, 0.5]),
                (4, vec![0.25, 0.75, 0.25]),
            ]
        );
        let medians: Vec<f64> = runs.iter().map(Measurement::median).collect();
        assert_eq!(medians, [1.0, 0.5, 0.25]);
    }

    #[test]
    fn an_error_stops_the_rounds() {
        let mut calls = 0;
        let result = time_in_rounds(&[1, 2], 3, |workers| {
            calls += 1;
            if calls == 3 {
                Err(workers)
            } else {
                Ok(1.0)
            }
        });
        assert_eq!((result, calls), (Err(1), 3));
    }
}
