"""Type hints of the extension module (Rust); use the functions of polarsdesc instead."""

from typing import List, Optional, Tuple, TypedDict

__version__: str

class PolarsdescError(Exception):
    """A run of polarsdesc that could not be done."""

class _Table(TypedDict):
    columns: List[Tuple[str, list]]
    files: int
    failures: List[Tuple[str, Optional[int], str]]
    warnings: List[Tuple[str, str]]
    notes: List[str]
    top_values: Optional[List[Optional[str]]]
    key_columns: List[str]

class _Generated(TypedDict):
    files: int
    rows_per_file: int
    bytes: int
    seed: int
    seconds: float

def describe_table(
    paths: List[str],
    percentiles: Optional[List[float]] = None,
    jobs: Optional[int] = None,
    recursive: bool = False,
    threshold: Optional[float] = None,
    thresholds: Optional[str] = None,
    stat: str = "mean",
    sep: str = ",",
    progress: bool = False,
    max_memory: Optional[str] = None,
    include: List[str] = ...,
    exclude: List[str] = ...,
    by: List[str] = ...,
) -> _Table: ...
def generate(
    dir: str,
    labels: Optional[int] = None,
    start: Optional[str] = None,
    end: Optional[str] = None,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
) -> _Generated: ...
def _panic_for_tests(message: str) -> None: ...
