"""describe_wide's frame: the tidy table turned into pandas' shape in one step, its columns built as ``pd.concat`` builds them from one ``describe()`` frame per file.

A frame per file and one concat of them all cost about 1 ms a file (see
docs/python.md); here the values are the tidy table's, transposed, and the
column MultiIndex is made from levels and codes by the rules of pandas'
``_make_concat_multiindex``: the labels in order; the second level the
files' shared columns in their order when every file has the same columns,
else every column name once, sorted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

if TYPE_CHECKING:  # pragma: no cover
    import numpy
    import pandas


def wide_frame(table: "pandas.DataFrame", stats: List[str]) -> "pandas.DataFrame":
    """``pd.concat({label: frame, ...}, axis=1)`` of each file's frame (the
    ``stats`` as rows, the file's columns as columns), in the table's order.

    Raises:
        ValueError: two files have the same label.
    """
    import numpy as np
    import pandas as pd

    index = pd.Index(stats)
    if table.empty:
        return pd.DataFrame(index=index)
    labels = table["label"].to_numpy()
    paths = table["path"].to_numpy()
    # A file's rows are next to each other: the table is sorted by label and path.
    new_file = np.ones(len(table), dtype=bool)
    new_file[1:] = (labels[1:] != labels[:-1]) | (paths[1:] != paths[:-1])
    starts = np.flatnonzero(new_file)
    keys = labels[starts].tolist()
    _refuse_shared_labels(keys, paths[starts].tolist())
    sizes = np.diff(np.append(starts, len(table)))
    column_level, column_codes = _column_level(table["column"].tolist(), starts, sizes)
    columns = pd.MultiIndex(
        levels=[pd.Index(keys), column_level],
        codes=[np.repeat(np.arange(len(keys)), sizes), column_codes],
        names=[None, None],
        verify_integrity=False,
    )
    return pd.DataFrame(table[stats].to_numpy(dtype="float64").T, index=index, columns=columns)


def _refuse_shared_labels(labels: Sequence[str], paths: Sequence[str]) -> None:
    """One file per label: a second would be hidden under the first's name."""
    seen = {}
    for label, path in zip(labels, paths):
        if label in seen:
            raise ValueError(
                f"two files have the label {label!r} ({seen[label]} and {path}): "
                "describe_wide needs one file per label"
            )
        seen[label] = path


def _column_level(
    names: List[str], starts: "numpy.ndarray", sizes: "numpy.ndarray"
) -> Tuple["pandas.Index", "numpy.ndarray"]:
    """The second level of the columns and its codes, as pandas' concat makes them."""
    import numpy as np
    import pandas as pd

    first = names[: sizes[0]]
    if (sizes == sizes[0]).all() and names == first * len(starts):
        # Every file has the same columns: pandas keeps the first's, in order.
        level = pd.Index(first).unique()
        return level, np.tile(level.get_indexer_for(pd.Index(first)), len(starts))
    # Otherwise it factorizes all of them, sorted (Categorical's categories).
    every = pd.Categorical(pd.Index(names), ordered=False)
    return every.categories, every.codes


#: The rows pandas gives a column that is not numeric.
_CATEGORICAL_ROWS = ["count", "unique", "top", "freq"]


def pandas_frames(
    table: "pandas.DataFrame", stats: List[str], top_values: List[Optional[str]]
) -> "pandas.DataFrame":
    """``pd.concat({label: frame, ...}, axis=1)`` of each file's
    ``describe(include=...)`` frame, each built as pandas' ``describe_frame``
    builds it: one Series per column (an object Series of count, unique, top
    and freq for text, booleans and Python integers, a float64 one for
    numbers; ``top_values`` says what each ``top`` is), reindexed to
    the union of their rows, shortest first, and put side by side.

    Raises:
        ValueError: two files have the same label.
    """
    import pandas as pd

    if table.empty:
        return pd.DataFrame(index=pd.Index(stats))
    numeric_rows = ["count"] + [name for name in stats if name not in _CATEGORICAL_ROWS]
    records = table.to_dict("records")
    files = {}
    for record, values in zip(records, top_values):
        files.setdefault((record["label"], record["path"]), []).append((record, values))
    keys = [label for label, _ in files]
    _refuse_shared_labels(keys, [path for _, path in files])
    frames = {
        label: _file_frame(rows, numeric_rows) for (label, _), rows in files.items()
    }
    return pd.concat(frames, axis=1)


def _file_frame(rows: list, numeric_rows: List[str]) -> "pandas.DataFrame":
    import pandas as pd

    described = [_column_series(record, values, numeric_rows) for record, values in rows]
    # pandas' reorder_columns: every Series' rows once, the shortest Series first.
    names: List[str] = []
    for index in sorted((series.index for series in described), key=len):
        names.extend(name for name in index if name not in names)
    frame = pd.concat([series.reindex(names) for series in described], axis=1, sort=False)
    frame.columns = pd.Index([record["column"] for record, _ in rows])
    return frame


def _column_series(record: dict, values: Optional[str], numeric_rows: List[str]) -> "pandas.Series":
    """One column's describe() Series, as pandas' describe_1d functions build it."""
    import numpy as np
    import pandas as pd

    unique = record.get("unique")
    if unique is None or np.isnan(unique):
        values = [record[name] for name in numeric_rows]
        return pd.Series(values, index=numeric_rows, dtype="float64", name=record["column"])
    count = np.int64(record["count"])
    if unique == 0:
        values = [count, 0, np.nan, np.nan]
        return pd.Series(values, index=_CATEGORICAL_ROWS, dtype="object", name=record["column"])
    top = {"bool": lambda text: text == "True", "int": int}.get(values, str)(record["top"])
    values = [count, int(unique), top, np.int64(record["freq"])]
    return pd.Series(values, index=_CATEGORICAL_ROWS, name=record["column"])


def grouped_frame(
    table: "pandas.DataFrame", stats: List[str], key_columns: List[str], by: List[str]
) -> "pandas.DataFrame":
    """``pd.concat({label: frame, ...})`` of each file's ``groupby(by).describe()``
    frame (the groups as rows, (column, statistic) as columns), in the
    table's order; ``key_columns`` are the keys' columns in ``table``.

    Raises:
        ValueError: two files have the same label.
    """
    import pandas as pd

    frames = {}
    paths = {}
    for (label, path), rows in table.groupby(["label", "path"], sort=False):
        _refuse_shared_labels([*paths, label], [*paths.values(), path])
        paths[label] = path
        groups = list(dict.fromkeys(zip(*(rows[key].tolist() for key in key_columns))))
        columns = list(dict.fromkeys(rows["column"].tolist()))
        values = rows[stats].to_numpy(dtype="float64")
        values = values.reshape(len(groups), len(columns) * len(stats))
        if len(by) == 1:
            index = pd.Index([group[0] for group in groups], name=by[0])
        else:
            index = pd.MultiIndex.from_tuples(groups, names=by)
        frames[label] = pd.DataFrame(
            values, index=index, columns=pd.MultiIndex.from_product([columns, stats])
        )
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames)
