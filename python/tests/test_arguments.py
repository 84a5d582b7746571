"""What a call does with what it is given: a missing input is FileNotFoundError, as open() raises it."""

import errno

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
