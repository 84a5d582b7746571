"""pandas' ``describe()`` for many CSV files at once, computed by polarsdesc's Rust engine.

>>> import polarsdesc
>>> table = polarsdesc.describe("data/")        # doctest: +SKIP
>>> table.head()                                 # doctest: +SKIP
  label         path column  count      mean       std  ...
0    AB  data/AB.csv   data   4409  0.499183  0.287150  ...

Every number equals what ``pandas.read_csv(path).describe()`` gives for that
file (std with ddof=1, linear-interpolated percentiles, missing values not
counted), and the files are read in parallel with the GIL released.

Functions:

- :func:`describe` -- one row per file and numeric column (a pandas, or with
  ``as_polars=True`` a Polars, DataFrame); the table ``polarsdesc run`` writes.
- :func:`describe_wide` -- pandas' own shape: each label's ``describe()``
  frame, side by side under the label.
- :func:`summarize` -- :func:`describe` with the failures and warnings
  returned beside the table instead of warned about.
- :func:`generate` -- the demo data set: one CSV of random values per label.

Neither pandas nor Polars is imported until a function needs it.
"""

from __future__ import annotations

import datetime as _dt
import os
import warnings
from typing import TYPE_CHECKING, Any, Iterable, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import _arguments, _polarsdesc, _wide
from ._polarsdesc import PolarsdescError, __version__

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars

__all__ = [
    "describe",
    "describe_wide",
    "summarize",
    "generate",
    "Summary",
    "Failure",
    "GenerateReport",
    "FileWarning",
    "DescribeError",
    "PolarsdescError",
    "__version__",
]

PathLike = Union[str, "os.PathLike[str]"]
Paths = Union[PathLike, Iterable[PathLike]]

#: The columns of the table that are not statistics.
_KEYS = ("label", "path", "column")
#: What ``by`` takes: a column name, or a list of them.
Keys = Union[str, Sequence[str], None]

#: What ``include`` and ``exclude`` take: a kind of column, or a list of them.
Kinds = Union[str, type, Sequence[Union[str, type]], None]
_THRESHOLD_COLUMNS = ("threshold", "above_threshold")
_ERRORS = ("warn", "raise", "ignore")


class Failure(NamedTuple):
    """A file that could not be described: its path, the line (when known) and why."""

    path: str
    line: Optional[int]
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{self.path}: {where}{self.reason}"


class FileWarning(UserWarning):
    """Files failed (or columns were dropped) in a call; ``failures`` lists the failed files."""

    def __init__(self, message: str, failures: Sequence[Failure] = ()) -> None:
        super().__init__(message)
        self.failures: List[Failure] = list(failures)


class DescribeError(PolarsdescError):
    """Raised with ``errors="raise"`` when a file fails; ``failures`` lists every failed file."""

    def __init__(self, message: str, failures: Sequence[Failure] = ()) -> None:
        super().__init__(message)
        self.failures: List[Failure] = list(failures)


class Summary(NamedTuple):
    """What :func:`summarize` found: the table and everything that went wrong."""

    #: The table of :func:`describe` (pandas, or Polars with ``as_polars=True``).
    table: Any
    #: Files that could not be described, sorted by path.
    failures: List[Failure]
    #: ``(path, message)`` for columns dropped or files with nothing to describe.
    warnings: List[Tuple[str, str]]
    #: Notes that change nothing wrong (subfolders not searched without ``recursive``).
    notes: List[str]
    #: Files found.
    files: int


class GenerateReport(NamedTuple):
    """What :func:`generate` wrote."""

    files: int
    rows_per_file: int
    bytes: int
    seed: int
    seconds: float


def summarize(
    paths: Paths,
    percentiles: Optional[Sequence[float]] = None,
    jobs: Optional[int] = None,
    recursive: bool = False,
    threshold: Optional[float] = None,
    thresholds: Optional[PathLike] = None,
    stat: str = "mean",
    sep: str = ",",
    as_polars: bool = False,
    progress: bool = False,
    max_memory: Union[int, str, None] = None,
    include: Kinds = None,
    exclude: Kinds = None,
    by: Keys = None,
) -> Summary:
    """Describe the CSV files ``paths`` name; return the table with the failures beside it.

    Takes the arguments of :func:`describe` (``include`` and ``exclude``
    too) but ``errors``: nothing is warned
    about or raised for a file that fails; the :class:`Summary` lists them.

    Raises:
        FileNotFoundError: no CSV file is found, the only inputs are files
            that do not exist (``filename`` names the first), or an input
            cannot be listed.
        TypeError: an argument is of the wrong type.
        ValueError: an argument is out of range.
        PolarsdescError: the run cannot be done (a bucket refuses access, ...).
        KeyboardInterrupt: on Ctrl-C; the run stops between files.
    """
    summary, _ = _summarize(
        paths,
        percentiles=percentiles,
        jobs=jobs,
        recursive=recursive,
        threshold=threshold,
        thresholds=thresholds,
        stat=stat,
        sep=sep,
        as_polars=as_polars,
        progress=progress,
        max_memory=max_memory,
        include=include,
        exclude=exclude,
        by=by,
    )
    return summary


def _summarize(
    paths: Paths,
    percentiles: Optional[Sequence[float]],
    jobs: Optional[int],
    recursive: bool,
    threshold: Optional[float],
    thresholds: Optional[PathLike],
    stat: str,
    sep: str,
    as_polars: bool,
    progress: bool,
    max_memory: Union[int, str, None],
    include: Kinds,
    exclude: Kinds,
    by: Keys = None,
) -> Tuple[Summary, Optional[List[Optional[str]]]]:
    """:func:`summarize`, and what each row's ``top`` is to pandas:
    ``"text"``, ``"bool"`` or ``"int"`` (``None`` without text or bool
    columns)."""
    as_polars = _arguments.flag("as_polars", as_polars)
    found = _polarsdesc.describe_table(
        _path_list(paths),
        percentiles=_arguments.percentiles(percentiles),
        jobs=_arguments.optional_whole("jobs", jobs, 1),
        recursive=_arguments.flag("recursive", recursive),
        threshold=_arguments.optional_number("threshold", threshold),
        thresholds=None if thresholds is None else os.fspath(thresholds),
        stat=_arguments.text("stat", stat),
        sep=_arguments.separator(sep),
        progress=_arguments.flag("progress", progress),
        max_memory=_arguments.memory(max_memory),
        include=_arguments.kinds("include", include),
        exclude=_arguments.kinds("exclude", exclude),
        by=_arguments.keys(by),
    )
    columns = found["columns"]
    key_columns = list(found["key_columns"])
    table = _polars_table(columns, key_columns) if as_polars else _pandas_table(columns, key_columns)
    if not as_polars:
        table.attrs["key_columns"] = key_columns
    failures = [Failure(path, line, reason) for path, line, reason in found["failures"]]
    if not as_polars:
        table.attrs["failures"] = failures
    summary = Summary(table, failures, list(found["warnings"]), list(found["notes"]), found["files"])
    return summary, found["top_values"]


def describe(
    paths: Paths,
    percentiles: Optional[Sequence[float]] = None,
    jobs: Optional[int] = None,
    recursive: bool = False,
    threshold: Optional[float] = None,
    thresholds: Optional[PathLike] = None,
    stat: str = "mean",
    errors: str = "warn",
    sep: str = ",",
    as_polars: bool = False,
    progress: bool = False,
    max_memory: Union[int, str, None] = None,
    include: Kinds = None,
    exclude: Kinds = None,
    by: Keys = None,
) -> Any:
    """Describe every CSV file ``paths`` name: one row per file and numeric column.

    The numbers equal ``pandas.read_csv(path, sep=sep).describe(percentiles=...)``
    for each file. The table has the columns ``label`` (the file's name without
    its extensions), ``path``, ``column``, ``count`` (int64), ``mean``, ``std``,
    ``min``, the percentiles (``25%``, ``50%``, ``75%`` by default) and ``max``
    (float64), sorted by label, path and the column's place in its file; with
    a threshold, also ``threshold`` and ``above_threshold``.

    Args:
        paths: a file, a folder (its ``*.csv`` files, compressed ones
            included, its ``*.parquet``, ``*.arrow``, ``*.feather``,
            ``*.ipc``, ``*.ndjson`` and ``*.jsonl`` files), a glob pattern,
            an ``s3://`` URL, or a list of them.
        percentiles: fractions between 0 and 1, as pandas' ``describe``; the
            median is always reported.
        jobs: worker threads (default: every core).
        recursive: search the subfolders of folders too.
        threshold: compare ``stat`` with this value (``above_threshold``).
        thresholds: a CSV ``label,threshold`` of thresholds per label (glob
            patterns allowed, the first match wins); ``threshold`` is then the
            fallback.
        stat: the statistic compared with the thresholds (a column of the
            table: ``"count"``, ``"mean"``, ..., ``"max"``).
        errors: what a file that cannot be described does: ``"warn"`` (a
            :class:`FileWarning` listing them; the table holds the others),
            ``"raise"`` (a :class:`DescribeError`), or ``"ignore"``. The
            failures are also in ``table.attrs["failures"]`` (pandas).
        sep: the field separator, as ``read_csv(sep=...)``.
        as_polars: return a Polars DataFrame (undefined statistics null, as
            in the Parquet of ``polarsdesc run``) instead of a pandas one
            (NaN, as pandas).
        progress: draw a progress bar on stderr when it is a terminal.
        max_memory: the most memory the call may take, shared by its workers:
            a number of bytes or a size such as ``"512M"`` or ``"2G"`` (the
            CLI's ``--max-memory``; default 1 GiB, at least 64 MiB). A large
            file is read in blocks within its share whatever its size; one
            that needs more (a record longer than a quarter of its share)
            fails alone.
        include: the kinds of column described, as pandas'
            ``describe(include=...)``: ``"all"``, or one or a list of
            ``"number"``, ``"object"`` (text: pandas' ``object`` and ``str``
            columns; ``"text"`` and ``str`` say the same) and ``"bool"``
            (default: the numbers). With text or bool columns the table gains
            ``unique``, ``top`` (text; ``"True"``/``"False"`` for booleans)
            and ``freq``.
        exclude: kinds of column not described, as pandas'
            ``describe(exclude=...)``.
        by: key columns (a name or a list of names): each file described per
            group of their values, as ``df.groupby(by).describe()`` (groups
            sorted by key, rows with a missing key left out). Each key becomes
            a column of the table after ``label``, typed as pandas reads it
            (int64, float64, bool or str; str when files disagree), renamed
            ``by_<name>`` when the name is taken (``label``, ``count``, ...).
            Thresholds then match the keys (joined by ``/``).

    Returns:
        A ``pandas.DataFrame`` (or ``polars.DataFrame``).

    Raises:
        DescribeError: with ``errors="raise"``, when a file fails (a file
            named in ``paths`` that does not exist, beside others that do,
            is such a file).
        FileNotFoundError: no CSV file is found, the only inputs are files
            that do not exist (``filename`` names the first), or an input
            cannot be listed.
        TypeError: an argument is of the wrong type (``jobs=2.5``).
        ValueError: an argument is out of range (``jobs=0``,
            ``percentiles=[1.5]``, ``stat`` not a column of the table,
            ``max_memory="10M"``).
        PolarsdescError: the run cannot be done (a bucket refuses access, ...).
        KeyboardInterrupt: on Ctrl-C; the run stops between files and the
            interpreter stays usable. Calls made meanwhile by other threads
            go on.

    Example:
        >>> table = polarsdesc.describe("data/", percentiles=[0.1, 0.9])  # doctest: +SKIP
        >>> table[table["std"] > 0.29]                                     # doctest: +SKIP
    """
    if errors not in _ERRORS:
        raise ValueError(f"errors must be one of {', '.join(_ERRORS)}, got {errors!r}")
    summary = summarize(
        paths,
        percentiles=percentiles,
        jobs=jobs,
        recursive=recursive,
        threshold=threshold,
        thresholds=thresholds,
        stat=stat,
        sep=sep,
        as_polars=as_polars,
        progress=progress,
        max_memory=max_memory,
        include=include,
        exclude=exclude,
        by=by,
    )
    _report(summary, errors)
    return summary.table


def describe_wide(
    paths: Paths,
    percentiles: Optional[Sequence[float]] = None,
    jobs: Optional[int] = None,
    recursive: bool = False,
    errors: str = "warn",
    sep: str = ",",
    max_memory: Union[int, str, None] = None,
    include: Kinds = None,
    exclude: Kinds = None,
    by: Keys = None,
) -> "pandas.DataFrame":
    """pandas' own shape: each label's ``describe()`` frame, side by side under its label.

    Equal, index and column levels included, to::

        pd.concat({label: pd.read_csv(path).describe() for label, path in files}, axis=1)

    with the files in the order of :func:`describe` (by label). The rows are
    ``count``, ``mean``, ``std``, ``min``, the percentiles and ``max``; the
    columns a MultiIndex of (label, column). A file with no numeric column is
    left out (pandas' describe() would describe its text columns instead),
    and two files with the same label are refused, since one would hide the
    other.

    With ``include``/``exclude``, each file's frame is pandas'
    ``describe(include=..., exclude=...)``: text and bool columns with
    ``count``, ``unique``, ``top`` and ``freq`` (object columns; ``top`` a
    boolean for booleans), numeric ones with their statistics, the rows
    those pandas gives (a file without numeric columns has no ``mean``).

    With ``by``, the frame is pandas' ``groupby(by).describe()`` of each
    file, one under the other under its label::

        pd.concat({label: pd.read_csv(path).groupby(by).describe() for label, path in files})

    (rows: the label and the keys; columns: (column, statistic)).

    Takes the arguments of :func:`describe` that apply.

    Raises:
        ValueError: two files have the same label; or as :func:`describe`.
    """
    if errors not in _ERRORS:
        raise ValueError(f"errors must be one of {', '.join(_ERRORS)}, got {errors!r}")
    summary, top_values = _summarize(
        paths,
        percentiles=percentiles,
        jobs=jobs,
        recursive=recursive,
        threshold=None,
        thresholds=None,
        stat="mean",
        sep=sep,
        as_polars=False,
        progress=False,
        max_memory=max_memory,
        include=include,
        exclude=exclude,
        by=by,
    )
    _report(summary, errors)
    table = summary.table
    key_columns = table.attrs.get("key_columns", [])
    stats = [name for name in table.columns if name not in _KEYS + _THRESHOLD_COLUMNS + tuple(key_columns)]
    if key_columns:
        return _wide.grouped_frame(table, stats, key_columns, _arguments.keys(by))
    if top_values is not None:
        return _wide.pandas_frames(table, stats, top_values)
    return _wide.wide_frame(table, stats)


def generate(
    dir: PathLike,
    labels: Optional[int] = None,
    start: Union[str, _dt.date, None] = None,
    end: Union[str, _dt.date, None] = None,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
) -> GenerateReport:
    """Write the demo data set into ``dir``: one ``<label>.csv`` per label, as pandas writes it.

    Each file holds business days from ``start`` to ``end`` (the index, an
    unnamed first column) and a ``data`` column of uniform random values,
    byte for byte what ``pandas.DataFrame.to_csv`` writes.

    Args:
        dir: the folder (made if missing; other files in it are left alone).
        labels: only the first N of the 1,326 two-letter labels.
        start: the first day (default 2010-01-01), a date or ``"YYYY-MM-DD"``.
        end: the last day (default today).
        seed: the same seed gives the same files; default a fresh one.
        jobs: worker threads (default: every core).

    Raises:
        TypeError: an argument is of the wrong type.
        ValueError: a date or an argument is out of range.
        PolarsdescError: a file cannot be written.
    """
    report = _polarsdesc.generate(
        os.fspath(dir),
        labels=_arguments.optional_whole("labels", labels, 1),
        start=_arguments.date("start", start),
        end=_arguments.date("end", end),
        seed=_arguments.seed(seed),
        jobs=_arguments.optional_whole("jobs", jobs, 1),
    )
    return GenerateReport(**report)


def _path_list(paths: Paths) -> List[str]:
    if isinstance(paths, (str, bytes, os.PathLike)):
        return [os.fsdecode(paths)]
    try:
        items = list(paths)
    except TypeError:
        raise TypeError(
            f"paths must be a path (a file, a folder, a pattern) or a list of them, got {paths!r}"
        ) from None
    for path in items:
        if not isinstance(path, (str, bytes, os.PathLike)):
            raise TypeError(f"paths must name files with strings or paths, got {path!r}")
    return [os.fsdecode(path) for path in items]


def _pandas_table(columns: List[Tuple[str, list]], key_columns: List[str]) -> "pandas.DataFrame":
    import pandas as pd

    # pandas' own type for text: "str" from pandas 3 on, object before.
    text = pd.Series(["x"]).dtype

    def dtype(name: str, values: list) -> Any:
        if name in _KEYS:
            return text
        if name in key_columns:
            return _key_dtype(values, text)
        if name == "count":
            return "int64"
        if name == "top":
            return text
        if name == "above_threshold":
            return "boolean" if None in values else "bool"
        return "float64"

    return pd.DataFrame({name: pd.Series(values, dtype=dtype(name, values)) for name, values in columns})


def _key_dtype(values: list, text: Any) -> Any:
    """A key column's pandas type, from its values (one Python type each)."""
    present = next((value for value in values if value is not None), None)
    if isinstance(present, bool):
        return "bool"
    if isinstance(present, int):
        return "int64" if all(v is None or v < 2 ** 63 for v in values) else "uint64"
    if isinstance(present, float):
        return "float64"
    return text


def _polars_table(columns: List[Tuple[str, list]], key_columns: List[str]) -> "polars.DataFrame":
    import polars as pl

    polars_types = {"bool": pl.Boolean, "int64": pl.Int64, "uint64": pl.UInt64, "float64": pl.Float64}
    values_of = dict(columns)

    def dtype(name: str) -> Any:
        if name in key_columns:
            return polars_types.get(_key_dtype(values_of[name], None), pl.String)
        if name in _KEYS:
            return pl.String
        if name == "top":
            return pl.String
        integers = {"count": pl.UInt64, "unique": pl.UInt64, "freq": pl.UInt64}
        return {**integers, "above_threshold": pl.Boolean}.get(name, pl.Float64)

    return pl.DataFrame(
        {name: values for name, values in columns},
        schema={name: dtype(name) for name, _ in columns},
    )


def _report(summary: Summary, errors: str) -> None:
    """Warns about, or raises for, what went wrong, as ``errors`` says: one
    warning for the failed files, one for the files' own warnings, so that a
    folder of thousands does not flood a notebook."""
    if errors == "ignore":
        return
    if summary.failures:
        message = _listing(
            f"{len(summary.failures)} of {summary.files} files could not be described",
            [str(failure) for failure in summary.failures],
        )
        if errors == "raise":
            raise DescribeError(message, summary.failures)
        warnings.warn(FileWarning(message, summary.failures), stacklevel=3)
    if summary.warnings:
        files = len({path for path, _ in summary.warnings})
        message = _listing(
            f"{len(summary.warnings)} warnings in {files} files (columns pandas reads as text "
            "are left out, as pandas' describe() leaves them out)",
            [f"{path}: {text}" for path, text in summary.warnings],
        )
        warnings.warn(FileWarning(message), stacklevel=3)
    for note in summary.notes:
        warnings.warn(FileWarning(note), stacklevel=3)


def _listing(headline: str, lines: List[str], shown: int = 10) -> str:
    listed = "\n".join(f"  {line}" for line in lines[:shown])
    more = len(lines) - shown
    tail = f"\n  ... and {more} more (polarsdesc.summarize() returns them all)" if more > 0 else ""
    return f"{headline}:\n{listed}{tail}"
