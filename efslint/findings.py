"""What a rule reports."""

from __future__ import annotations

from enum import IntEnum

from .model import Entity, Location
from .record import Record, field


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


class Related(Record, frozen=True):
    """A secondary location of a finding, with what it is."""

    location: Location
    message: str


class Finding(Record):
    """One problem found: rule, severity, message and where it is."""

    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    location: Location
    related: list[Related] = field(default_factory=list)
    # What the finding is about, independent of line numbers (entity logical name + field).
    anchor: str = ""
    # Set when an in-source suppression, config or baseline matched: (kind, reason).
    suppressed: tuple[str, str] | None = None

    @property
    def fingerprint(self) -> str:
        """Stable under edits elsewhere in the file: rule, file and what the finding is about."""
        basis = "\x1f".join((self.rule_id, self.location.file, self.anchor or self.location.logical_name))
        import hashlib  # OpenSSL's binding costs 2 ms at start-up; text output never needs it

        return hashlib.sha256(basis.encode()).hexdigest()[:32]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule_id, self.message)


def related(entity: Entity | Location, message: str) -> Related:
    """A related location pointing at ``entity`` (or at a location directly)."""
    loc = entity if isinstance(entity, Location) else entity.loc
    return Related(loc, message)
