"""Three-valued logic: ``True``, ``False`` or :class:`Unknown` ("cannot be told from the input").

Policy evaluation must never turn "unknown" into a silent yes or no, so every partial answer is
combined with these helpers instead of Python's ``and``/``or`` (which would call ``bool()`` on an
Unknown and raise).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Unknown

Tri = bool | Unknown


def all3(values: Iterable[Tri]) -> Tri:
    """False if any is False, else Unknown if any is Unknown, else True."""
    result: Tri = True
    for value in values:
        if value is False:
            return False
        if isinstance(value, Unknown) and result is True:
            result = value
    return result


def any3(values: Iterable[Tri]) -> Tri:
    """True if any is True, else Unknown if any is Unknown, else False."""
    result: Tri = False
    for value in values:
        if value is True:
            return True
        if isinstance(value, Unknown) and result is False:
            result = value
    return result


def not3(value: Tri) -> Tri:
    return value if isinstance(value, Unknown) else not value
