"""The one exception front-ends raise for input they cannot read (reported as EFS000)."""

from __future__ import annotations


class InputError(Exception):
    """The input cannot be read or parsed. ``line``/``column`` are 1-based, 0 when unknown.

    ``file`` names the file when the error surfaces away from where that file was read (a
    Terraform expression is built on first read, while its module is already being evaluated).
    """

    def __init__(self, message: str, line: int = 0, column: int = 0, file: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.file = file

    def __str__(self) -> str:
        return self.message
