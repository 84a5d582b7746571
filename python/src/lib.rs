//! The extension module `polarsdesc._polarsdesc`: the library's `collect` and `generate` called from Python, the GIL released, Ctrl-C heard, panics turned into exceptions.
//!
//! This crate only converts: Python arguments into the library's config
//! structs (as the CLI's `cli.rs` converts its flags), the library's table
//! into plain Python lists, and its errors into exceptions. The DataFrames
//! are built in Python (`polarsdesc/__init__.py`), so that neither pandas nor
//! Polars is needed beyond the one asked for.

use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use polars::prelude::{Column, DataType};
use polarsdesc::config::{DiscoverOptions, GenerateConfig, RunConfig};
use polarsdesc::describe::{Include, Kind, MemoryShare, Options, Percentiles};
use polarsdesc::progress::Console;
use polarsdesc::thresholds::{StatColumns, Thresholds, DEFAULT_STAT};
use polarsdesc::{interrupt, parallel, Error};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyFileNotFoundError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

create_exception!(
    _polarsdesc,
    PolarsdescError,
    PyException,
    "A run of polarsdesc that could not be done (an input folder that cannot be listed, a bucket that refuses access, ...)."
);

/// How often the waiting Python thread looks for Ctrl-C.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// Describes the inputs; returns the table as columns of Python values and
/// what went wrong per file.
#[pyfunction]
#[pyo3(signature = (paths, percentiles=None, jobs=None, recursive=false, threshold=None, thresholds=None, stat=DEFAULT_STAT, sep=",", progress=false, max_memory=None, include=Vec::new(), exclude=Vec::new(), by=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn describe_table(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    percentiles: Option<Vec<f64>>,
    jobs: Option<usize>,
    recursive: bool,
    threshold: Option<f64>,
    thresholds: Option<PathBuf>,
    stat: &str,
    sep: &str,
    progress: bool,
    max_memory: Option<&str>,
    include: Vec<String>,
    exclude: Vec<String>,
    by: Vec<String>,
) -> PyResult<Py<PyDict>> {
    let config = run_config(
        paths,
        percentiles,
        jobs,
        recursive,
        threshold,
        thresholds,
        stat,
        sep,
        max_memory,
        (&include, &exclude),
        by,
    )
    .map_err(to_python)?;
    let console = if progress {
        Console::stderr(false)
    } else {
        Console::silent()
    };
    let collected = run_detached(py, || polarsdesc::summary::collect(&config, &console))?;
    let result = PyDict::new(py);
    let columns = PyList::empty(py);
    for column in collected.frame.columns() {
        columns.append((column.name().as_str(), column_values(py, column)?))?;
    }
    result.set_item("columns", columns)?;
    result.set_item("files", collected.files)?;
    let failures = PyList::empty(py);
    for failure in &collected.failures {
        let row = failure.row();
        failures.append((row.path, row.line, row.reason))?;
    }
    result.set_item("failures", failures)?;
    let warnings = PyList::empty(py);
    for (path, messages) in &collected.warnings {
        for message in messages {
            warnings.append((polarsdesc::sources::display_path(path), message))?;
        }
    }
    result.set_item("warnings", warnings)?;
    result.set_item("notes", collected.notes)?;
    result.set_item("top_values", collected.top_values)?;
    result.set_item("key_columns", collected.key_columns)?;
    Ok(result.unbind())
}

/// The run's config, as the CLI would build it from the same options; no
/// output, journal or cache.
#[allow(clippy::too_many_arguments)]
fn run_config(
    paths: Vec<PathBuf>,
    percentiles: Option<Vec<f64>>,
    jobs: Option<usize>,
    recursive: bool,
    threshold: Option<f64>,
    thresholds: Option<PathBuf>,
    stat: &str,
    sep: &str,
    max_memory: Option<&str>,
    (include, exclude): (&[String], &[String]),
    by: Vec<String>,
) -> polarsdesc::Result<RunConfig> {
    if paths.is_empty() {
        return Err(Error::InvalidConfig("no paths given".into()));
    }
    let percentiles = match percentiles {
        Some(requested) => Percentiles::new(&requested)?,
        None => Percentiles::default(),
    };
    let separator = match sep.as_bytes() {
        [byte] if sep.is_ascii() => *byte,
        _ => {
            return Err(Error::InvalidConfig(format!(
                "sep must be one ASCII character, got {sep:?}"
            )))
        }
    };
    let include = Include::resolve(&kinds("include", include)?, &kinds("exclude", exclude)?)
        .map_err(|problem| Error::InvalidConfig(problem.replace("--", "")))?;
    polarsdesc::describe::groups::check_keys(&by)
        .map_err(|problem| Error::InvalidConfig(problem.replace("--by", "by").replace("--", "")))?;
    let columns = StatColumns {
        percentiles: &percentiles,
        include,
    };
    check_stat(stat, &columns, threshold.is_some() || thresholds.is_some())?;
    let thresholds = match (thresholds, threshold) {
        (Some(file), fallback) => Some(Thresholds::from_file(&file, fallback, stat, &columns)?),
        (None, Some(threshold)) => Some(Thresholds::fixed(threshold, stat, &columns)?),
        (None, None) => None,
    };
    let jobs = match jobs {
        Some(0) => return Err(Error::InvalidConfig("jobs must be at least 1".into())),
        Some(jobs) => jobs,
        None => parallel::available_cores(),
    };
    let ceiling = match max_memory {
        Some(text) => polarsdesc::config::memory_ceiling("max_memory", text)?,
        None => MemoryShare::DEFAULT_CEILING,
    };
    let describe = Options {
        percentiles,
        separator,
        include,
        by,
        memory: MemoryShare::of(ceiling, jobs),
    };
    Ok(RunConfig::in_memory(
        paths,
        DiscoverOptions { recursive },
        describe,
        jobs,
        thresholds,
    ))
}

/// The kinds of column named by `include` or `exclude` (the argument `name`).
fn kinds(name: &str, names: &[String]) -> polarsdesc::Result<Vec<Kind>> {
    names
        .iter()
        .map(|kind| {
            Kind::parse(kind).ok_or_else(|| {
                Error::InvalidConfig(format!(
                    "{name} must name kinds of column among 'all', 'number', 'object' (or \
                     'text'), 'str', 'bool' and 'category', got {kind:?}"
                ))
            })
        })
        .collect()
}

/// Refuses a `stat` that is not a statistic of the table, whatever the
/// thresholds, and one other than the default without a threshold to
/// compare it with (as the CLI refuses `--stat` alone).
fn check_stat(stat: &str, columns: &StatColumns, compared: bool) -> polarsdesc::Result<()> {
    let stats = columns.names();
    if !stats.iter().any(|name| name == stat) {
        return Err(Error::InvalidConfig(format!(
            "stat must be one of {}, got '{stat}'",
            stats.join(", ")
        )));
    }
    if !compared && stat != DEFAULT_STAT {
        return Err(Error::InvalidConfig(
            "stat needs threshold or thresholds".into(),
        ));
    }
    Ok(())
}

/// A column of the table as a Python list (nulls as `None`).
fn column_values<'py>(py: Python<'py>, column: &Column) -> PyResult<Bound<'py, PyList>> {
    let series = column.as_materialized_series();
    let unexpected = |err: polars::prelude::PolarsError| PyRuntimeError::new_err(err.to_string());
    let rows = 0..series.len();
    match series.dtype() {
        DataType::String => {
            let values = series.str().map_err(unexpected)?;
            PyList::new(py, rows.map(|row| values.get(row)))
        }
        DataType::UInt64 => {
            let values = series.u64().map_err(unexpected)?;
            PyList::new(py, rows.map(|row| values.get(row)))
        }
        DataType::Int64 => {
            let values = series.i64().map_err(unexpected)?;
            PyList::new(py, rows.map(|row| values.get(row)))
        }
        DataType::Float64 => {
            let values = series.f64().map_err(unexpected)?;
            PyList::new(py, rows.map(|row| values.get(row)))
        }
        DataType::Boolean => {
            let values = series.bool().map_err(unexpected)?;
            PyList::new(py, rows.map(|row| values.get(row)))
        }
        other => Err(PyRuntimeError::new_err(format!(
            "polarsdesc: column {} has the unexpected type {other}",
            column.name()
        ))),
    }
}

/// Writes the demo data set: one CSV per label, as pandas writes it.
#[pyfunction]
#[pyo3(signature = (dir, labels=None, start=None, end=None, seed=None, jobs=None))]
fn generate(
    py: Python<'_>,
    dir: PathBuf,
    labels: Option<usize>,
    start: Option<&str>,
    end: Option<&str>,
    seed: Option<u64>,
    jobs: Option<usize>,
) -> PyResult<Py<PyDict>> {
    let mut config =
        GenerateConfig::default_data_set(&dir, jobs.unwrap_or_else(parallel::available_cores));
    config.label_limit = labels;
    config.seed = seed;
    if let Some(start) = start {
        config.start = date(start, "start")?;
    }
    if let Some(end) = end {
        config.end = date(end, "end")?;
    }
    if config.jobs == 0 {
        return Err(PyValueError::new_err("jobs must be at least 1"));
    }
    let report = run_detached(py, || {
        polarsdesc::generate::generate(&config, &Console::silent())
    })?;
    let result = PyDict::new(py);
    result.set_item("files", report.files)?;
    result.set_item("rows_per_file", report.rows_per_file)?;
    result.set_item("bytes", report.bytes)?;
    result.set_item("seed", report.seed)?;
    result.set_item("seconds", report.elapsed.as_secs_f64())?;
    Ok(result.unbind())
}

fn date(text: &str, name: &str) -> PyResult<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        PyValueError::new_err(format!("{name} must be a date (YYYY-MM-DD), got {text:?}"))
    })
}

/// Panics inside a call, as a bug would: for the tests that show a panic
/// becomes an exception and leaves the interpreter usable.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>, message: String) -> PyResult<()> {
    run_detached(py, move || -> polarsdesc::Result<()> {
        panic!("{message}")
    })
}

/// Runs `work` on a thread of its own, the GIL released, while this thread
/// looks for Ctrl-C every 50 ms: on `KeyboardInterrupt` the run is asked to
/// stop (as SIGINT stops the CLI), is waited for, and the interrupt is
/// raised, the process still usable. A panic becomes an exception.
///
/// The run is in an interrupt scope of its own: Ctrl-C stops this call
/// only, not the calls other Python threads are making meanwhile.
fn run_detached<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> polarsdesc::Result<T> + Send,
) -> PyResult<T> {
    let (sender, mut receiver) = mpsc::channel();
    let call = interrupt::Scope::new();
    let in_call = call.clone();
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("polarsdesc-call".into())
            .spawn_scoped(scope, move || {
                let _entered = in_call.enter();
                let outcome = panic::catch_unwind(AssertUnwindSafe(work));
                let _ = sender.send(outcome);
            })
            .map_err(|err| {
                PyRuntimeError::new_err(format!("polarsdesc: cannot start a thread: {err}"))
            })?;
        loop {
            let (waited, back) = wait(py, receiver, Some(SIGNAL_POLL));
            receiver = back;
            match waited {
                Ok(Ok(result)) => return result.map_err(to_python),
                Ok(Err(payload)) => return Err(internal_error(payload.as_ref())),
                Err(RecvTimeoutError::Timeout) => {
                    if let Err(interrupt) = py.check_signals() {
                        call.cancel();
                        let _ = wait(py, receiver, None);
                        return Err(interrupt);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(PyRuntimeError::new_err(
                        "polarsdesc: the call's thread stopped without an answer",
                    ))
                }
            }
        }
    })
}

type Outcome<T> = std::thread::Result<polarsdesc::Result<T>>;

/// Waits (at most `timeout`) for the outcome, the GIL released; gives the
/// receiver back.
fn wait<T: Send>(
    py: Python<'_>,
    receiver: Receiver<Outcome<T>>,
    timeout: Option<Duration>,
) -> (Result<Outcome<T>, RecvTimeoutError>, Receiver<Outcome<T>>) {
    py.detach(move || {
        let waited = match timeout {
            Some(timeout) => receiver.recv_timeout(timeout),
            None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        (waited, receiver)
    })
}

/// The library's error as the Python exception a user expects.
fn to_python(error: Error) -> PyErr {
    match &error {
        Error::InvalidConfig(message) => PyValueError::new_err(message.clone()),
        Error::Input { path, cause } if cause.kind() == io::ErrorKind::NotFound => {
            not_found(path, cause)
                .unwrap_or_else(|| PyFileNotFoundError::new_err(error.to_string()))
        }
        Error::NoInputs(_) | Error::Input { .. } => PyFileNotFoundError::new_err(error.to_string()),
        _ => PolarsdescError::new_err(error.to_string()),
    }
}

/// A missing input as `open()` reports one: `errno`, the system's words
/// and the path in `filename`, so that `err.filename` names it.
fn not_found(path: &Path, cause: &io::Error) -> Option<PyErr> {
    let code = cause.raw_os_error()?;
    let text = cause.to_string();
    let words = text
        .strip_suffix(&format!(" (os error {code})"))
        .unwrap_or(&text);
    let path = polarsdesc::sources::display_path(path);
    Some(PyFileNotFoundError::new_err((
        code,
        words.to_string(),
        path,
    )))
}

fn internal_error(payload: &(dyn std::any::Any + Send)) -> PyErr {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    PyRuntimeError::new_err(format!(
        "polarsdesc: internal error (a bug; please report it): {message}"
    ))
}

#[pymodule]
fn _polarsdesc(module: &Bound<'_, PyModule>) -> PyResult<()> {
    // A panic on a worker is its file's failure: keep it off stderr, as the CLI does.
    parallel::quiet_worker_panics();
    module.add_function(wrap_pyfunction!(describe_table, module)?)?;
    module.add_function(wrap_pyfunction!(generate, module)?)?;
    module.add_function(wrap_pyfunction!(_panic_for_tests, module)?)?;
    module.add("PolarsdescError", module.py().get_type::<PolarsdescError>())?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
