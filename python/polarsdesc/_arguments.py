"""The public functions' arguments checked before the engine sees them: a wrong type is a TypeError, a wrong value a ValueError, each naming the argument.

Checks that need the engine's knowledge (pandas' names of the percentiles,
for ``stat``; percentiles out of range or too close together) are made in
the extension, with messages in the same form.
"""

from __future__ import annotations

import datetime as _dt
import numbers
import operator
import sys
from typing import Any, List, Optional

_LIST_OF_FRACTIONS = "percentiles must be a list of numbers between 0 and 1, such as [0.1, 0.9]"
#: The largest count the extension takes (a thread count, a number of labels).
_LARGEST = sys.maxsize


def percentiles(value: Any) -> Optional[List[float]]:
    """``None``, or the fractions as floats. A string is refused as a value
    (``"0.1,0.9"``, as the CLI spells it), not read character by character."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{_LIST_OF_FRACTIONS}, not the string {value!r}")
    try:
        items = list(value)
    except TypeError:
        raise TypeError(f"{_LIST_OF_FRACTIONS}, got {value!r}") from None
    return [number("percentiles", item, plural=True) for item in items]


def number(name: str, value: Any, plural: bool = False) -> float:
    """A real number (numpy's included; not a bool) as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {'numbers' if plural else 'a number'}, got {value!r}")
    return float(value)


def optional_number(name: str, value: Any) -> Optional[float]:
    return None if value is None else number(name, value)


def whole(name: str, value: Any, minimum: int, maximum: int = _LARGEST) -> int:
    """An integer (numpy's included; not a bool) from ``minimum`` to ``maximum``."""
    if isinstance(value, bool) or not hasattr(type(value), "__index__"):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    whole_number = operator.index(value)
    if whole_number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {whole_number}")
    if whole_number > maximum:
        raise ValueError(f"{name} must be at most {_spelled(maximum)}, got {whole_number}")
    return whole_number


def optional_whole(name: str, value: Any, minimum: int, maximum: int = _LARGEST) -> Optional[int]:
    return None if value is None else whole(name, value, minimum, maximum)


def seed(value: Any) -> Optional[int]:
    return optional_whole("seed", value, 0, 2**64 - 1)


def _spelled(limit: int) -> str:
    return "2**64 - 1" if limit == 2**64 - 1 else str(limit)


def flag(name: str, value: Any) -> bool:
    """``True`` or ``False`` (numpy's included): ``recursive="no"`` is a mistake, not a truth."""
    if isinstance(value, bool):
        return value
    kind = type(value)
    if kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_"):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {value!r}")


def text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {value!r}")
    return value


def separator(value: Any) -> str:
    """One ASCII character, as ``read_csv(sep=...)`` takes without a regex."""
    if len(text("sep", value)) != 1 or not value.isascii():
        raise ValueError(f"sep must be one ASCII character, got {value!r}")
    return value


def memory(value: Any) -> Optional[str]:
    """``None``, or the memory ceiling as the CLI's ``--max-memory`` takes it:
    a number of bytes, or a size such as ``"512M"`` (its form and its least
    value are checked by the extension)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(operator.index(value))
    raise TypeError(f"max_memory must be a number of bytes or a size such as '512M', got {value!r}")


def date(name: str, value: Any) -> Optional[str]:
    """``None``, or the date as ``YYYY-MM-DD`` (its form is checked by the extension)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, _dt.date):
        return value.isoformat()[:10]
    raise TypeError(f"{name} must be a date or a string 'YYYY-MM-DD', got {value!r}")


#: pandas' names of the kinds of column ``describe(include=...)`` takes.
# pandas 3: "object" selects str columns too (for compatibility), "str"
# selects them alone.
_KIND_NAMES = {"all": "all", "number": "number", "object": "object", "O": "object",
               "text": "object", "str": "str", "string": "str", "bool": "bool",
               "category": "category"}


def kinds(name: str, value: Any) -> List[str]:
    """The kinds of column of ``include`` or ``exclude``: ``None``, a name
    (``"all"``, ``"number"``, ``"object"``, ``"str"``, ``"bool"``, ``"category"``), a type
    (``bool``, ``object``, ``str``, ``numpy.number``), or a list of them; an
    empty list is refused, as pandas refuses it."""
    if value is None:
        return []
    items = [value] if isinstance(value, (str, type)) else value
    try:
        items = list(items)
    except TypeError:
        raise TypeError(f"{name} must be a kind of column or a list of them, got {value!r}") from None
    if not items:
        raise ValueError(f"{name} must name at least one kind of column (or be None), got {value!r}")
    return [_kind(name, item) for item in items]


def _kind(name: str, item: Any) -> str:
    if isinstance(item, str):
        if item in _KIND_NAMES:
            return _KIND_NAMES[item]
        raise ValueError(
            f"{name} must name kinds of column among 'all', 'number', 'object', 'str', 'bool' and 'category', got {item!r}"
        )
    if item is bool:
        return "bool"
    if item is object:
        return "object"
    if item is str:
        return "str"
    if isinstance(item, type) and item.__module__ == "numpy" and item.__name__ in ("number", "integer", "floating"):
        return "number"
    raise TypeError(f"{name} must name kinds of column ('number', 'object', 'bool'), got {item!r}")


def keys(value: Any) -> List[str]:
    """The key columns of ``by``: ``None``, a column name, or a list of them
    (pandas' ``groupby(by=...)``)."""
    if value is None:
        return []
    if isinstance(value, (bytes, bytearray)):
        raise TypeError(f"by must be a column name (a str) or a list of them, got {value!r}")
    items = [value] if isinstance(value, str) else value
    try:
        items = list(items)
    except TypeError:
        raise TypeError(f"by must be a column name or a list of them, got {value!r}") from None
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"by must name columns with strings, got {item!r}")
    return items
