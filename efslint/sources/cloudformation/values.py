"""Resolved CloudFormation property values read as the model's types, for every resource mapper.

A value is a string, a number, a list, a :class:`~efslint.sources.cloudformation.resolve.ResourceRef`
to another resource, or Unknown; each reader returns the model's type, None when absent, or Unknown
with the reason.
"""

from __future__ import annotations

import re
from typing import Any

from ...model import Unknown
from .resolve import ResourceRef

CREATED = "assigned by CloudFormation at deployment"


def get_key(container: Any, key: str) -> Any:
    return container.get(key) if isinstance(container, dict) else None


def as_str(value: Any) -> Any:
    if value is None or isinstance(value, (str, Unknown)):
        return value
    if isinstance(value, ResourceRef):
        return Unknown(f"a value of {value.logical_id}, {CREATED}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return Unknown(f"expected a string, got {type(value).__name__}")


def as_int(value: Any) -> Any:
    if value is None or isinstance(value, Unknown):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return Unknown(f"{value!r} is not an integer")


def as_list(value: Any) -> Any:
    """A resolved list, Unknown, or None when absent."""
    if value is None or isinstance(value, (list, Unknown)):
        return value
    return Unknown(f"expected a list, got {type(value).__name__}")


def items_of(value: Any) -> list[Any]:
    """The items of a resolved list; nothing for None or Unknown (callers note the Unknown)."""
    return value if isinstance(value, list) else []
