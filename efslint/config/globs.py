"""Path globs for ``exclude`` and ``per-path-ignores``, the way ruff and .gitignore read them.

* ``*`` and ``?`` stay inside one path segment, ``**`` crosses segments, ``[abc]``/``[!abc]`` are
  character classes.
* A glob without ``/`` (``cdk.out``, ``*.generated.json``) matches a file or folder name at any depth.
* A glob with ``/`` is anchored at the configuration's folder (``legacy/**``, ``infra/old.yaml``).
* Matching a folder matches everything below it.

``PurePath.full_match`` would do most of this but needs Python 3.13.

A live scan locates findings at resources, not files: their "path" is an ARN (or ``aws://region/
account/...`` for things without one).  A ``per-path-ignores`` key that starts with ``arn:`` or
``aws://`` is a resource pattern, matched against the whole ARN the way IAM matches ``Resource``
ARNs: ``*`` is any run of characters (``/`` and ``:`` included), ``?`` one character, everything
else literal and case-sensitive.  Path globs never match resources, nor resource patterns files.
"""

from __future__ import annotations

import re


class GlobError(ValueError):
    """A glob that cannot be compiled (for example an unterminated ``[``)."""


def _translate(glob: str) -> str:
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = i + 1
            if end < n and glob[end] in "!^":
                end += 1
            if end < n and glob[end] == "]":
                end += 1
            while end < n and glob[end] != "]":
                end += 1
            if end >= n:
                raise GlobError(f"unterminated character class '[' at position {i + 1}")
            body = glob[i + 1 : end]
            if body.startswith(("!", "^")):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\").replace("/", "") + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def compile_glob(glob: str) -> re.Pattern[str]:
    """A regex matching relative POSIX paths selected by ``glob`` (or anything below them)."""
    text = glob.strip()
    if not text:
        raise GlobError("empty glob")
    if text.startswith("./"):
        text = text[2:]
    text = text.strip("/")
    if not text:
        raise GlobError("a glob must name something below the configuration's folder")
    body = _translate(text)
    prefix = "" if "/" in text else "(?:.*/)?"
    try:
        return re.compile(f"{prefix}{body}(?:/.*)?")
    except re.error as exc:
        raise GlobError(str(exc)) from None


def compile_resource_glob(glob: str) -> re.Pattern[str]:
    """A regex matching ARNs selected by ``glob`` with IAM's ``Resource`` wildcards."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob.strip())
    return re.compile(body, re.DOTALL)


class GlobSet:
    """Several globs; ``match(relative_posix_path)`` says whether any selects the path."""

    def __init__(self, globs: list[str]) -> None:
        self.globs = list(globs)
        self._patterns = [compile_glob(g) for g in self.globs]

    def match(self, relative: str) -> bool:
        return any(p.fullmatch(relative) for p in self._patterns)

    def __bool__(self) -> bool:
        return bool(self._patterns)
