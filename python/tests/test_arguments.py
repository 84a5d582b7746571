"""What a call does with what it is given: a missing input is FileNotFoundError, a wrong argument a TypeError or ValueError that names it."""

import errno
import math
import sys

import pytest

import polarsdesc


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("few")
    polarsdesc.generate(folder, labels=3, start="2024-01-01", end="2024-01-31", seed=5)
    return folder


@pytest.mark.parametrize("call", [polarsdesc.describe, polarsdesc.describe_wide, polarsdesc.summarize])
def test_a_missing_input_is_file_not_found_naming_it(tmp_path, call):
    missing = tmp_path / "nope.csv"
    with pytest.raises(FileNotFoundError) as raised:
        call(missing)
    # As open() says it: errno, the system's words and the path.
    assert raised.value.errno == errno.ENOENT
    assert raised.value.filename == str(missing)
    assert str(raised.value) == f"[Errno 2] No such file or directory: '{missing}'"


def test_only_missing_inputs_name_the_first(tmp_path):
    first, second = tmp_path / "nope.csv", tmp_path / "gone.csv"
    with pytest.raises(FileNotFoundError) as raised:
        polarsdesc.describe([first, second])
    assert raised.value.filename == str(first)


def test_a_missing_input_among_others_is_a_failed_file_as_in_the_cli(folder, tmp_path):
    # `polarsdesc run a.csv nope.csv` summarizes a.csv and lists nope.csv as
    # failed (exit 1): here the failure is warned about, the table holds the rest.
    missing = tmp_path / "nope.csv"
    with pytest.warns(polarsdesc.FileWarning) as caught:
        table = polarsdesc.describe([folder, missing])
    assert len(table) == 3
    (failure,) = caught[0].message.failures
    assert failure.path == str(missing) and "No such file or directory" in failure.reason
    with pytest.raises(polarsdesc.DescribeError):
        polarsdesc.describe([folder, missing], errors="raise")


BAD_ARGUMENTS = [
    # (arguments, exception, words the message must hold)
    (dict(percentiles="0.1,0.9"), ValueError, "percentiles must be a list of numbers"),
    (dict(percentiles=b"0.5"), ValueError, "percentiles must be a list of numbers"),
    (dict(percentiles=0.5), TypeError, "percentiles must be a list of numbers"),
    (dict(percentiles=[0.1, "0.9"]), TypeError, "percentiles must be numbers, got '0.9'"),
    (dict(percentiles=[True]), TypeError, "percentiles must be numbers, got True"),
    (dict(percentiles=[None]), TypeError, "percentiles must be numbers, got None"),
    (dict(percentiles=[1.5]), ValueError, "percentiles must be between 0 and 1, got 1.5"),
    (dict(percentiles=[-0.1]), ValueError, "percentiles must be between 0 and 1, got -0.1"),
    (dict(percentiles=[math.nan]), ValueError, "percentiles must be between 0 and 1, got NaN"),
    (dict(percentiles=[0.2, 0.2]), ValueError, "percentiles cannot contain duplicates"),
    (dict(jobs=-1), ValueError, "jobs must be at least 1, got -1"),
    (dict(jobs=0), ValueError, "jobs must be at least 1, got 0"),
    (dict(jobs=2.0), TypeError, "jobs must be a whole number, got 2.0"),
    (dict(jobs="2"), TypeError, "jobs must be a whole number, got '2'"),
    (dict(jobs=True), TypeError, "jobs must be a whole number, got True"),
    (dict(sep="::"), ValueError, "sep must be one ASCII character, got '::'"),
    (dict(sep=""), ValueError, "sep must be one ASCII character, got ''"),
    (dict(sep="é"), ValueError, "sep must be one ASCII character, got 'é'"),
    (dict(sep=b","), TypeError, "sep must be a string, got b','"),
    (dict(stat="average", threshold=0.5), ValueError, "stat must be one of count, mean, std, min, 25%, 50%, 75%, max, got 'average'"),
    (dict(stat="10%", threshold=0.5), ValueError, "stat must be one of count, mean, std, min, 25%, 50%, 75%, max, got '10%'"),
    (dict(stat="max"), ValueError, "stat needs threshold or thresholds"),
    (dict(stat=3, threshold=0.5), TypeError, "stat must be a string, got 3"),
    (dict(threshold="0.5"), TypeError, "threshold must be a number, got '0.5'"),
    (dict(recursive="no"), TypeError, "recursive must be True or False, got 'no'"),
    (dict(progress=1), TypeError, "progress must be True or False, got 1"),
    (dict(as_polars=None), TypeError, "as_polars must be True or False, got None"),
    (dict(max_memory="lots"), ValueError, "max_memory must be a size such as 512M or 2G, got 'lots'"),
    (dict(max_memory="10M"), ValueError, "max_memory 10M is below 64 MiB, the least a run needs"),
    (dict(max_memory=2**20), ValueError, "max_memory 1048576 is below 64 MiB"),
    (dict(max_memory=1.5e9), TypeError, "max_memory must be a number of bytes or a size such as '512M', got 1500000000.0"),
    (dict(max_memory=True), TypeError, "max_memory must be a number of bytes or a size such as '512M', got True"),
    (dict(include="nothing"), ValueError, "include must name kinds of column among 'all', 'number', 'object', 'str', 'bool' and 'category', got 'nothing'"),
    (dict(include=[]), ValueError, "include must name at least one kind of column (or be None), got []"),
    (dict(exclude=()), ValueError, "exclude must name at least one kind of column (or be None), got ()"),
    (dict(by=b"a"), TypeError, "by must be a column name (a str) or a list of them, got b'a'"),
    (dict(include=3), TypeError, "include must be a kind of column or a list of them, got 3"),
    (dict(exclude=[float]), TypeError, "exclude must name kinds of column ('number', 'object', 'bool'), got <class 'float'>"),
    (dict(include="all", exclude="object"), ValueError, "exclude cannot be combined with include all"),
    (dict(include="bool", exclude=bool), ValueError, "'bool' is both included and excluded"),
    (dict(exclude=["number", "object", "bool", "category"]), ValueError, "exclude leaves no kind of column to describe"),
    (dict(stat="freq", threshold=1), ValueError, "stat must be one of count, mean, std, min, 25%, 50%, 75%, max, got 'freq'"),
]


def test_paths_that_are_not_paths_are_a_type_error():
    with pytest.raises(TypeError, match=r"paths must be a path \(a file, a folder, a pattern\) or a list of them, got 3"):
        polarsdesc.describe(3)
    with pytest.raises(TypeError, match="paths must name files with strings or paths, got 3"):
        polarsdesc.describe(["a.csv", 3])


@pytest.mark.parametrize("arguments,exception,words", BAD_ARGUMENTS, ids=lambda x: repr(x)[:40])
def test_a_bad_argument_is_a_python_error_naming_it(folder, arguments, exception, words):
    with pytest.raises(exception) as raised:
        polarsdesc.summarize(folder, **arguments)
    assert words in str(raised.value)
    assert type(raised.value) is exception  # not a subclass such as OverflowError


def test_good_arguments_of_other_types_are_taken(folder):
    np = pytest.importorskip("numpy")
    table = polarsdesc.describe(
        str(folder),
        percentiles=np.array([0.1, 0.9]),
        jobs=np.int64(2),
        recursive=np.bool_(False),
        threshold=np.float32(0.5),
        stat="10%",
    )
    assert list(table.columns[3:]) == ["count", "mean", "std", "min", "10%", "50%", "90%", "max", "threshold", "above_threshold"]
    assert len(polarsdesc.describe([folder], percentiles=(0, 1), jobs=1)) == 3
    assert len(polarsdesc.describe(folder, max_memory=np.int64(2**30))) == 3


def test_max_memory_bounds_a_file_as_in_the_cli(tmp_path):
    # One record of 24 MiB (a zero written long): within a worker's share of
    # the default ceiling, longer than a quarter of the share of
    # max_memory="64M" (16 MiB, one worker), where it fails alone, saying so,
    # as under --max-memory 64M.
    (tmp_path / "good.csv").write_text("x\n1\n2\n")
    (tmp_path / "long.csv").write_text("x\n" + "0" * (24 << 20) + "\n")
    bounded = polarsdesc.summarize(tmp_path, jobs=1, max_memory="64M")
    assert [failure.path for failure in bounded.failures] == [str(tmp_path / "long.csv")]
    assert "a record (a line) longer than 16 MiB" in bounded.failures[0].reason
    assert list(bounded.table["label"]) == ["good"]
    unbounded = polarsdesc.summarize(tmp_path, jobs=1)
    assert unbounded.failures == []
    assert list(unbounded.table["label"]) == ["good", "long"]


@pytest.mark.parametrize(
    "arguments,exception,words",
    [
        (dict(jobs=-1), ValueError, "jobs must be at least 1, got -1"),
        (dict(labels=-3), ValueError, "labels must be at least 1, got -3"),
        (dict(labels=2.5), TypeError, "labels must be a whole number, got 2.5"),
        (dict(seed=-1), ValueError, "seed must be at least 0, got -1"),
        (dict(seed=2**64), ValueError, "seed must be at most 2**64 - 1, got 18446744073709551616"),
        (dict(jobs=2**70), ValueError, f"jobs must be at most {sys.maxsize}"),
        (dict(start=20240101), TypeError, "start must be a date or a string 'YYYY-MM-DD', got 20240101"),
    ],
    ids=lambda x: repr(x)[:40],
)
def test_generate_checks_its_arguments_too(tmp_path, arguments, exception, words):
    with pytest.raises(exception) as raised:
        polarsdesc.generate(tmp_path, **arguments)
    assert words in str(raised.value)
    assert type(raised.value) is exception
    assert not any(tmp_path.iterdir())
