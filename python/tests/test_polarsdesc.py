"""The Python face of polarsdesc, judged by pandas itself: the tidy table and the wide one equal pandas' own describe(), errors, Ctrl-C, the GIL and panics."""

import os
import pathlib
import signal
import threading
import time
import warnings

import numpy as np
import pandas as pd
import pytest

import polarsdesc

REPO = pathlib.Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "fixtures" / "pandas_corpus"
STATS = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]


def pandas_tidy(files, percentiles=None):
    """What polarsdesc.describe should return, from pandas' describe() of each
    file: a file without a numeric column is described by its text (count,
    unique, top, freq), and the table then has those columns."""
    rows, stats, text = [], [], False
    for path in files:
        with np.errstate(all="ignore"):  # pandas' own overflow warnings on extreme files
            described = pd.read_csv(path).describe(percentiles=percentiles)
        label = pathlib.Path(path).stem
        by_text = described.index[1] != "mean"
        text |= by_text
        stats = stats or ([] if by_text else list(described.index[1:]))
        for column in described.columns:
            values = described[column].to_dict()
            if by_text:
                top = values["top"]
                values = {"count": values["count"], "unique": float(values["unique"]),
                          "top": None if pd.isna(top) else str(top), "freq": float(values["freq"])}
            rows.append({"label": label, "path": str(path), "column": column, **values})
    columns = ["label", "path", "column", "count"] + (["unique", "top", "freq"] if text else []) + stats
    frame = pd.DataFrame(rows).reindex(columns=columns)
    frame["count"] = frame["count"].astype("int64")
    for name in stats + (["unique", "freq"] if text else []):
        frame[name] = frame[name].astype("float64")
    return frame.sort_values(["label", "path"], kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    polarsdesc.generate(folder, labels=40, start="2020-01-01", end="2020-12-31", seed=3)
    return folder


@pytest.fixture(scope="module")
def article(tmp_path_factory):
    """The article's data set: 1,326 files of 4,409 business days."""
    folder = tmp_path_factory.mktemp("article")
    polarsdesc.generate(folder, start="2010-01-01", end="2026-11-25", seed=42)
    return folder


def test_generate_reports_what_it_wrote_and_a_seed_repeats_it(tmp_path):
    first = polarsdesc.generate(tmp_path / "a", labels=5, start="2024-01-01", end="2024-01-31", seed=7)
    again = polarsdesc.generate(tmp_path / "b", labels=5, start=pd.Timestamp("2024-01-01").date(), end="2024-01-31", seed=7)
    assert (first.files, first.rows_per_file, first.seed) == (5, 23, 7)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    frame = pd.read_csv(tmp_path / "a" / names[0])
    assert list(frame.columns) == ["Unnamed: 0", "data"] and len(frame) == 23
    with pytest.raises(ValueError, match="start must be a date"):
        polarsdesc.generate(tmp_path / "c", start="January")


def test_the_table_equals_pandas_describe_of_each_file(small):
    table = polarsdesc.describe(small)
    expected = pandas_tidy(sorted(small.glob("*.csv")))
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    assert table["count"].dtype == "int64"
    assert all(table[stat].dtype == "float64" for stat in STATS[1:])


def test_percentiles_as_pandas_with_the_median_always_kept(small):
    table = polarsdesc.describe(small, percentiles=[0.1, 0.5, 0.9])
    expected = pandas_tidy(sorted(small.glob("*.csv")), percentiles=[0.1, 0.5, 0.9])
    pd.testing.assert_frame_equal(table, expected, check_exact=True)


def test_awkward_files_give_pandas_numbers_or_fail_where_pandas_fails():
    files = sorted(CORPUS.glob("*.csv"))
    readable, unreadable = [], []
    for path in files:
        try:
            pd.read_csv(path)
            readable.append(path)
        except Exception:
            unreadable.append(path)
    summary = polarsdesc.summarize(CORPUS)
    assert summary.files == len(files)
    assert sorted(f.path for f in summary.failures) == sorted(str(p) for p in unreadable)
    expected = pandas_tidy(readable)
    table = summary.table
    # Within 1e-12 relative, as tests/pandas_differential.rs: a "+" sign with
    # spaces makes pandas parse with its legacy algorithm, 1 ulp off where
    # polarsdesc rounds correctly (docs/pandas-compatibility.md).
    pd.testing.assert_frame_equal(table, expected, check_exact=False, rtol=1e-12, atol=0)


def assert_same_wide(wide, expected):
    """Equal as frames, and built alike: the levels of the columns, their codes and names, every dtype."""
    pd.testing.assert_frame_equal(wide, expected, check_exact=True)
    pd.testing.assert_index_equal(wide.index, expected.index, exact=True)
    assert wide.columns.names == expected.columns.names
    assert wide.columns.nlevels == expected.columns.nlevels
    for ours, theirs in zip(wide.columns.levels, expected.columns.levels):
        pd.testing.assert_index_equal(ours, theirs, exact=True)
    for ours, theirs in zip(wide.columns.codes, expected.columns.codes):
        np.testing.assert_array_equal(ours, theirs)
        assert ours.dtype == theirs.dtype
    assert list(wide.dtypes) == list(expected.dtypes)


def test_describe_wide_is_pandas_concat_of_describe(small):
    files = sorted(small.glob("*.csv"))
    expected = pd.concat({path.stem: pd.read_csv(path).describe() for path in files}, axis=1)
    wide = polarsdesc.describe_wide(small)
    assert_same_wide(wide, expected)
    assert wide.columns.nlevels == 2 and list(wide.index) == STATS


def test_describe_wide_with_files_of_different_columns_and_percentiles(tmp_path):
    # Files with other columns take pandas' other way of building the levels
    # (the second one sorted); a file with no numeric column is described by
    # its text, as pandas' describe() falls back to every column.
    (tmp_path / "b.csv").write_text("z,a\n1,2\n3,4.5\n")
    (tmp_path / "a.csv").write_text("a,y\n5,1\n6,\n7,2\n")
    (tmp_path / "c.csv").write_text(",m\n2024-01-01,3\n2024-01-02,-1\n")
    (tmp_path / "d.csv").write_text("t\nx\n")
    files = ["a.csv", "b.csv", "c.csv", "d.csv"]
    for percentiles in (None, [0.1, 0.5, 0.9]):  # polarsdesc always adds the median
        expected = pd.concat(
            {name[0]: pd.read_csv(tmp_path / name).describe(percentiles=percentiles) for name in files}, axis=1
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error", polarsdesc.FileWarning)  # nothing to warn of
            wide = polarsdesc.describe_wide(tmp_path, percentiles=percentiles)
        assert_same_wide(wide, expected)
    # All files alike but with two columns: pandas keeps their order in the level.
    (tmp_path / "same").mkdir()
    for name in "ab":
        (tmp_path / "same" / f"{name}.csv").write_text("z,a\n1,2\n3,4\n")
    expected = pd.concat({name: pd.read_csv(tmp_path / "same" / f"{name}.csv").describe() for name in "ab"}, axis=1)
    assert_same_wide(polarsdesc.describe_wide(tmp_path / "same"), expected)
    assert list(expected.columns.levels[1]) == ["z", "a"]


MIXED_FILES = {
    # text, booleans (every spelling), booleans with a missing value (object),
    # numbers among text, an empty column, ties for top
    "a.csv": "flag,name,n,maybe,code,empty\nTrue,x,1,true,1.50,\nfalse,y,2,,x,\n"
    "TRUE,x,3,False,2,\nFalse,\"a,b\",4,true,1.50,\n",
    "b.csv": "name,n\nq,1.5\np,\np,2\nq,3\n",
    "c.csv": "word,flag\nz,True\ny,False\n",
    "d.csv": "x,y\n1,2\n3,4\n",
    "e.csv": "only,header\n",
    # integers too wide for 64 bits: pandas' object column of Python integers
    "f.csv": "big,n\n123456789012345678901234567890,1\n+05,2\n5,3\n",
    # above int64 beside a missing value: pandas keeps every token as text
    "g.csv": "u,n\n9223372036854775808,1\nNA,2\nNA,3\n",
}


@pytest.mark.parametrize(
    "include", [None, "all", "object", "bool", ["number", "bool"], ["object", "number"], "str", [str, "bool"], "O"]
)
def test_describe_wide_with_include_is_pandas_concat_of_describe_include(tmp_path, include):
    for name, text in MIXED_FILES.items():
        (tmp_path / name).write_text(text)
    expected = {}
    for path in sorted(tmp_path.glob("*.csv")):
        try:
            with warnings.catch_warnings():  # pandas 3: "object" selecting str columns
                warnings.simplefilter("ignore")
                expected[path.stem] = pd.read_csv(path).describe(include=include)
        except ValueError:  # pandas: no column of these kinds; polarsdesc: no rows
            pass
    expected = pd.concat(expected, axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", polarsdesc.FileWarning)
        wide = polarsdesc.describe_wide(tmp_path, include=include)
    assert_same_wide(wide, expected)


def test_describe_with_include_all_adds_unique_top_and_freq(tmp_path):
    (tmp_path / "a.csv").write_text(MIXED_FILES["a.csv"])
    table = polarsdesc.describe(tmp_path, include="all")
    assert list(table.columns[:7]) == ["label", "path", "column", "count", "unique", "top", "freq"]
    assert table["top"].tolist()[:2] == ["True", "x"]
    assert table["unique"].dtype == "float64" and table["freq"].dtype == "float64"
    polars_table = polarsdesc.describe(tmp_path, include="all", as_polars=True)
    assert str(polars_table.schema["unique"]) == "UInt64"
    assert polars_table["freq"].to_list() == [2, 2, None, 2, 2, None]
    # Numbers only: today's columns.
    assert "top" not in polarsdesc.describe(tmp_path, errors="ignore").columns


LONG_FILES = {
    "a.csv": "ticker,store,value,n\nb,2,1.5,3\na,1,2.5,4\nb,2,,5\n,1,9,9\na,01,0.5,1\n",
    "b.csv": "ticker,store,value,n\nz,7,1,1\nz,7,2,2\ny,3,-4,3\n",
}


@pytest.mark.parametrize("by", ["ticker", ["store", "ticker"], ["ticker", "store"]])
def test_describe_wide_with_by_is_pandas_concat_of_groupby_describe(tmp_path, by):
    for name, text in LONG_FILES.items():
        (tmp_path / name).write_text(text)
    files = sorted(tmp_path.glob("*.csv"))
    expected = pd.concat({path.stem: pd.read_csv(path).groupby(by).describe() for path in files})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", polarsdesc.FileWarning)
        wide = polarsdesc.describe_wide(tmp_path, by=by)
    pd.testing.assert_frame_equal(wide, expected, check_exact=False, rtol=1e-12)


def test_describe_with_by_gives_typed_key_columns(tmp_path):
    for name, text in LONG_FILES.items():
        (tmp_path / name).write_text(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", polarsdesc.FileWarning)
        table = polarsdesc.describe(tmp_path, by=["store", "ticker"])
        polars_table = polarsdesc.describe(tmp_path, by="store", as_polars=True)
    assert list(table.columns[:4]) == ["label", "store", "ticker", "path"]
    assert table["store"].dtype == "int64" and table["store"].tolist()[:2] == [1, 1]
    assert str(polars_table.schema["store"]) == "Int64"
    assert polars_table["store"].to_list() == [1, 1, 2, 2, 3, 3, 7, 7]
    with pytest.raises(ValueError, match="given twice"):
        polarsdesc.describe(tmp_path, by=["store", "store"])
    with pytest.raises(TypeError, match="by must"):
        polarsdesc.describe(tmp_path, by=3)


def test_describe_wide_of_ndjson_and_parquet_is_pandas_describe_of_each(tmp_path):
    (tmp_path / "a.ndjson").write_text('{"x": 1, "t": " 2 "}\n{"x": 2.5, "t": "3"}\n{"t": "4"}\n')
    pd.DataFrame({"x": [1.5, None, 3.0], "n": [1, 2, 3]}).to_parquet(tmp_path / "b.parquet")
    expected = pd.concat(
        {
            "a": pd.read_json(tmp_path / "a.ndjson", lines=True).describe(),
            "b": pd.read_parquet(tmp_path / "b.parquet").describe(),
        },
        axis=1,
    )
    wide = polarsdesc.describe_wide(tmp_path)
    pd.testing.assert_frame_equal(wide, expected, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("include", [None, "all", "str", "bool", "object"])
def test_describe_wide_of_parquet_and_feather_text_is_pandas_describe_of_each(tmp_path, include):
    frame = pd.DataFrame(
        {
            "s": pd.Series(["b", "a", None, "NA", "", "a"], dtype="str"),
            "flag": [True, False, True, True, False, True],
            "maybe": [True, None, False, False, None, True],
            "x": [1.5, 2.0, None, 4.0, 5.0, 6.0],
        }
    )
    frame.to_parquet(tmp_path / "a.parquet")
    frame.drop(columns="x").to_feather(tmp_path / "b.feather")  # text alone: the default falls back
    expected = {}
    for name, reader in [("a", pd.read_parquet), ("b", pd.read_feather)]:
        path = tmp_path / (name + (".parquet" if name == "a" else ".feather"))
        with warnings.catch_warnings():  # pandas 3: "object" selecting str columns
            warnings.simplefilter("ignore")
            expected[name] = reader(path).describe(include=include)
    expected = pd.concat(expected, axis=1)
    wide = polarsdesc.describe_wide(tmp_path, include=include)
    assert_same_wide(wide, expected)


def test_describe_wide_of_nothing_numeric_is_pandas_description_of_its_text(tmp_path):
    (tmp_path / "t.csv").write_text("t\nx\n")
    expected = pd.concat({"t": pd.read_csv(tmp_path / "t.csv").describe()}, axis=1)
    assert_same_wide(polarsdesc.describe_wide(tmp_path), expected)


def test_describe_wide_of_nothing_is_the_empty_frame(tmp_path):
    (tmp_path / "t.csv").write_text("t\nx\n")
    wide = polarsdesc.describe_wide(tmp_path, errors="ignore", include="number")
    assert wide.shape == (8, 0) and list(wide.index) == STATS


def test_describe_wide_refuses_two_files_with_one_label(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.csv").write_text("v\n1\n")
    (tmp_path / "b" / "x.csv").write_text("v\n2\n")
    with pytest.raises(ValueError, match="two files have the label 'x'"):
        polarsdesc.describe_wide([tmp_path / "a", tmp_path / "b"])


def test_as_polars_gives_the_same_table_with_nulls(small, tmp_path):
    if os.environ.get("POLARSDESC_REQUIRE_POLARS"):  # CI: a skip would hide a failure
        import polars as pl
    else:
        pl = pytest.importorskip("polars")
    (tmp_path / "one.csv").write_text("v\n5\n")
    frame = polarsdesc.describe([small, tmp_path / "one.csv"], as_polars=True)
    pandas_frame = polarsdesc.describe([small, tmp_path / "one.csv"])
    assert isinstance(frame, pl.DataFrame)
    assert frame.schema["count"] == pl.UInt64 and frame.schema["std"] == pl.Float64
    assert frame.columns == list(pandas_frame.columns)
    # One value has no std: null in Polars (as in the Parquet of `run`), NaN in pandas.
    assert frame["std"].null_count() == 1 and pandas_frame["std"].isna().sum() == 1
    for column in frame.columns:
        values = frame[column].to_list()
        if column in ("label", "path", "column", "count"):
            assert values == pandas_frame[column].to_list()
        else:
            as_pandas = [np.nan if value is None else value for value in values]
            np.testing.assert_array_equal(np.array(as_pandas, dtype="float64"), pandas_frame[column].to_numpy())


def test_thresholds_add_their_columns(small, tmp_path):
    table = polarsdesc.describe(small, threshold=0.5)
    assert list(table.columns[-2:]) == ["threshold", "above_threshold"]
    assert table["above_threshold"].dtype == "bool"
    assert (table["above_threshold"] == (table["mean"] > 0.5)).all()
    rules = tmp_path / "rules.csv"
    rules.write_text("label,threshold\nA*,0.9\n")
    table = polarsdesc.describe(small, thresholds=rules, threshold=0.1, stat="max")
    expected = np.where(table["label"].str.startswith("A"), 0.9, 0.1)
    np.testing.assert_array_equal(table["threshold"].to_numpy(), expected)


def broken(tmp_path):
    (tmp_path / "good.csv").write_text("a,b\n1,2\n3,4\n")
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n3,4,5\n")
    (tmp_path / "text.csv").write_text("a,b\n1,x\n2,y\n")
    return tmp_path


def test_errors_warn_by_default_and_keep_the_other_files(tmp_path):
    folder = broken(tmp_path)
    with pytest.warns(polarsdesc.FileWarning) as caught:
        table = polarsdesc.describe(folder)
    failure = polarsdesc.Failure(str(folder / "bad.csv"), 3, "3 fields, but the header has 2")
    assert caught[0].message.failures == [failure]
    assert str(failure) in str(caught[0].message)
    assert table.attrs["failures"] == [failure]
    assert list(table["label"]) == ["good", "good", "text"]


def test_errors_raise_and_ignore(tmp_path):
    folder = broken(tmp_path)
    with pytest.raises(polarsdesc.DescribeError, match="1 of 3 files could not be described") as raised:
        polarsdesc.describe(folder, errors="raise")
    assert [f.path for f in raised.value.failures] == [str(folder / "bad.csv")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = polarsdesc.describe(folder, errors="ignore")
    assert len(table) == 3
    summary = polarsdesc.summarize(folder)
    assert summary.warnings == []
    assert summary.files == 3 and len(summary.failures) == 1


def test_bad_arguments_are_python_errors(tmp_path):
    with pytest.raises(ValueError, match="errors must be one of"):
        polarsdesc.describe(tmp_path, errors="loud")
    with pytest.raises(ValueError, match="percentiles must be between 0 and 1"):
        polarsdesc.describe(tmp_path, percentiles=[1.5])
    with pytest.raises(ValueError, match="sep must be one ASCII character"):
        polarsdesc.describe(tmp_path, sep="::")
    with pytest.raises(FileNotFoundError, match="no CSV, Parquet, Arrow or NDJSON files found"):
        polarsdesc.describe(tmp_path)


def test_a_panic_is_an_exception_and_the_interpreter_goes_on(small):
    with pytest.raises(RuntimeError, match="internal error .*boom"):
        polarsdesc._polarsdesc._panic_for_tests("boom")
    assert len(polarsdesc.describe(small)) == 40


def test_ctrl_c_stops_a_long_describe_promptly_and_the_next_one_runs(article):
    started = time.perf_counter()
    whole = polarsdesc.describe(article, jobs=1)
    uninterrupted = time.perf_counter() - started
    assert len(whole) == 1326
    main = threading.main_thread().ident
    timer = threading.Timer(uninterrupted / 5, signal.pthread_kill, args=(main, signal.SIGINT))
    started = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        polarsdesc.describe(article, jobs=1)
    stopped_after = time.perf_counter() - started
    timer.join()
    assert stopped_after < uninterrupted * 0.7, (stopped_after, uninterrupted)
    again = polarsdesc.describe(article, jobs=1)
    pd.testing.assert_frame_equal(again, whole)


@pytest.fixture(scope="module")
def large_file(article, tmp_path_factory):
    """One 40 MB file (the bodies of 300 of the article's files): read in
    blocks of 8 MiB, so that a call stops only after the block in hand."""
    files = sorted(article.glob("*.csv"))[:300]
    large = tmp_path_factory.mktemp("large") / "large.csv"
    with large.open("wb") as out:
        out.write(files[0].read_bytes().split(b"\n", 1)[0] + b"\n")
        for path in files:
            out.write(path.read_bytes().split(b"\n", 1)[1])
    return large


def test_ctrl_c_stops_only_its_own_call_not_another_thread_s(article, large_file):
    # Two calls at once, one per core. Ctrl-C reaches the main thread's call,
    # which stops after its block in hand (some 30 ms); meanwhile the other
    # thread's call, which looks for an interrupt before each of its small
    # files, must carry on, and complete.
    expected = polarsdesc.describe(article, jobs=1)
    started = time.perf_counter()
    polarsdesc.describe(large_file, jobs=1)
    large_call = time.perf_counter() - started
    other_call = {}

    def describe_on_another_thread():
        started = time.perf_counter()
        try:
            other_call["outcome"] = polarsdesc.describe(article, jobs=1)
        except Exception as error:  # reported below
            other_call["outcome"] = error
        other_call["span"] = (started, time.perf_counter())

    interrupted_at = []

    def interrupt_main_thread():
        interrupted_at.append(time.perf_counter())
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    other = threading.Thread(target=describe_on_another_thread)
    timer = threading.Timer(large_call / 4, interrupt_main_thread)
    other.start()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            polarsdesc.describe(large_file, jobs=1)
        raised_at = time.perf_counter()
    finally:
        timer.join()
        other.join()
    outcome = other_call["outcome"]
    assert isinstance(outcome, pd.DataFrame), repr(outcome)
    pd.testing.assert_frame_equal(outcome, expected)
    start, end = other_call["span"]
    assert start < interrupted_at[0] < raised_at < end, "the other call was not under way throughout"


def test_the_gil_is_released_while_describing(article):
    counted = [0]
    stop = threading.Event()

    def count():
        while not stop.is_set():
            counted[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        time.sleep(0.05)
        before = counted[0]
        polarsdesc.describe(article, jobs=1)
        during = counted[0] - before
    finally:
        stop.set()
        counter.join()
    # Held for the whole call, the GIL would let the counter run only in
    # Python's 5 ms switch intervals before and after it: a few thousand.
    assert during > 100_000, during


def test_help_shows_the_docstrings_and_the_types_ship():
    assert "one row per file and numeric column" in polarsdesc.describe.__doc__
    assert "pd.concat" in polarsdesc.describe_wide.__doc__
    package = pathlib.Path(polarsdesc.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "_polarsdesc.pyi").exists()
    assert polarsdesc.__version__
