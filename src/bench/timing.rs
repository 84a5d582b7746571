//! Timing a piece of work the way IPython's `%timeit` does: loops per run chosen to last at least 0.2 s, mean ± std over runs.

use std::fmt;
use std::time::{Duration, Instant};

/// Runs of the loop, as `%timeit` does by default.
pub const RUNS: usize = 7;

/// How long one run should last at least.
const MIN_RUN: Duration = Duration::from_millis(200);

/// The time per loop of some work.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeIt {
    /// Mean of the runs' time per loop, in seconds.
    pub mean: f64,
    /// Standard deviation of the runs' time per loop, in seconds.
    pub std: f64,
    pub runs: usize,
    pub loops: usize,
}

/// Times `work` like `%timeit`: finds the number of loops (1, 10, 100, ...)
/// that takes at least 0.2 s, then times [`RUNS`] runs of that many loops;
/// `after_run` is called after each run (for a progress bar).
///
/// # Errors
/// The first error `work` returns.
pub fn timeit<E>(
    work: impl FnMut() -> Result<(), E>,
    after_run: impl FnMut(),
) -> Result<TimeIt, E> {
    let origin = Instant::now();
    timeit_with_clock(work, after_run, || origin.elapsed())
}

/// [`timeit`] with the time read from `clock` (time since any fixed moment),
/// so that tests can use a clock of their own instead of a loaded machine's.
fn timeit_with_clock<E>(
    mut work: impl FnMut() -> Result<(), E>,
    mut after_run: impl FnMut(),
    clock: impl Fn() -> Duration,
) -> Result<TimeIt, E> {
    let time_loops = |work: &mut dyn FnMut() -> Result<(), E>, loops: usize| {
        let started = clock();
        for _ in 0..loops {
            work()?;
        }
        Ok(clock() - started)
    };
    let mut loops = 1;
    loop {
        let elapsed = time_loops(&mut work, loops)?;
        if elapsed >= MIN_RUN || loops >= 1_000_000 {
            break;
        }
        loops *= 10;
    }
    let mut per_loop = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        per_loop.push(time_loops(&mut work, loops)?.as_secs_f64() / loops as f64);
        after_run();
    }
    let mean = per_loop.iter().sum::<f64>() / RUNS as f64;
    let variance = per_loop.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / RUNS as f64;
    Ok(TimeIt {
        mean,
        std: variance.sqrt(),
        runs: RUNS,
        loops,
    })
}

impl fmt::Display for TimeIt {
    /// `351 µs ± 12.1 µs per loop (mean ± std. dev. of 7 runs, 1,000 loops each)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.loops == 1 { "" } else { "s" };
        write!(
            f,
            "{} ± {} per loop (mean ± std. dev. of {} runs, {} loop{plural} each)",
            seconds(self.mean),
            seconds(self.std),
            self.runs,
            crate::config::thousands(self.loops as u64)
        )
    }
}

/// A duration in seconds with three significant digits and a fitting unit, as `%timeit` prints it.
pub fn seconds(value: f64) -> String {
    let (scaled, unit) = match value {
        v if v >= 1.0 => (v, "s"),
        v if v >= 1e-3 => (v * 1e3, "ms"),
        v if v >= 1e-6 => (v * 1e6, "µs"),
        v => (v * 1e9, "ns"),
    };
    let decimals = if scaled >= 100.0 {
        0
    } else if scaled >= 10.0 {
        1
    } else {
        2
    };
    format!("{scaled:.decimals$} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_loops_that_last_and_reports_mean_and_std() {
        // A clock of our own: each call of the work takes 30 ms, then 31 ms
        // in the third run (whatever else the machine is doing).
        let now = std::cell::Cell::new(Duration::ZERO);
        let calls = std::cell::Cell::new(0u32);
        let mut runs_seen = 0;
        let timing = timeit_with_clock(
            || -> Result<(), ()> {
                calls.set(calls.get() + 1);
                // 1 + 10 calls to find the loops, then 10 per run.
                let third_run = (32..=41).contains(&calls.get());
                now.set(now.get() + Duration::from_millis(if third_run { 31 } else { 30 }));
                Ok(())
            },
            || runs_seen += 1,
            || now.get(),
        )
        .unwrap();
        // 1 loop takes 30 ms (< 0.2 s), 10 loops 0.3 s: runs of 10 loops.
        assert_eq!((timing.runs, timing.loops, runs_seen), (RUNS, 10, RUNS));
        let per_loop = [0.030, 0.030, 0.031, 0.030, 0.030, 0.030, 0.030];
        let mean = per_loop.iter().sum::<f64>() / 7.0;
        let std = (per_loop.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / 7.0).sqrt();
        assert!((timing.mean - mean).abs() < 1e-12, "{timing:?}");
        assert!((timing.std - std).abs() < 1e-12, "{timing:?}");
    }

    #[test]
    fn errors_stop_the_timing() {
        assert_eq!(timeit(|| Err::<(), _>("no"), || {}), Err("no"));
    }

    #[test]
    fn formats_like_timeit() {
        assert_eq!(seconds(0.000351), "351 µs");
        assert_eq!(seconds(0.0121), "12.1 ms");
        assert_eq!(seconds(2.5), "2.50 s");
        assert_eq!(seconds(5e-8), "50.0 ns");
        let t = TimeIt {
            mean: 0.000351,
            std: 0.0000121,
            runs: 7,
            loops: 1000,
        };
        assert_eq!(
            t.to_string(),
            "351 µs ± 12.1 µs per loop (mean ± std. dev. of 7 runs, 1,000 loops each)"
        );
    }
}
