"""Suppressions from every source, merged onto findings, and audited (EFS001).

Sources, in the order their kind wins when several match one finding (reasons are all kept):

* ``inSource``: a comment ``# efslint: ignore[EFS104] reason`` on or above the line, or
  CloudFormation ``Metadata: {efslint: {ignore: [...]}}`` (set by the engine per entity);
* ``config``: ``per-path-ignores`` in the configuration file;
* ``baseline``: an entry of ``--baseline FILE`` (see ``baseline.py``).

Parse errors (EFS000) are never suppressed: an unreadable file is not a decision one can accept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..findings import Finding
from ..model import ENTITY_KINDS, Location, Model, is_resource_id

if TYPE_CHECKING:
    from ..config.settings import Config
    from .catalog import Catalog
    from .runner import Engine

KINDS = ("inSource", "config", "baseline")
UNSUPPRESSIBLE = frozenset({"EFS000"})
UNUSED_RULE = "EFS001"


def suppress(finding: Finding, kind: str, reason: str = "") -> None:
    """Mark ``finding`` suppressed, merging with a suppression it already has."""
    if finding.suppressed is None:
        finding.suppressed = (kind, reason)
        return
    old_kind, old_reason = finding.suppressed
    winner = min(old_kind, kind, key=lambda k: KINDS.index(k) if k in KINDS else len(KINDS))
    reasons = "; ".join(dict.fromkeys(r for r in (*old_reason.split("; "), reason) if r))
    finding.suppressed = (winner, reasons)


def unused_finding(engine: Engine, message: str, location: Location, anchor: str) -> Finding:
    rule = engine.catalog.rules[UNUSED_RULE]
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=engine.severity[rule.id],
        message=message,
        location=location,
        anchor=anchor,
    )


def apply_in_source(engine: Engine, findings: list[Finding], model: Model) -> None:
    """Match comment suppressions to findings; report (EFS001) the ones that matched nothing."""
    used: set[tuple[str, int, str]] = set()
    for finding in findings:
        if finding.rule_id in UNSUPPRESSIBLE:
            continue
        per_line = model.line_suppressions.get(finding.location.file)
        if not per_line:
            continue
        line = finding.location.line
        for candidate in (line, line - 1):
            for key, reason in per_line.get(candidate, {}).items():
                if key in (finding.rule_id, finding.rule_name):
                    # Also when another source already suppressed it: this comment is not stale.
                    suppress(finding, "inSource", reason)
                    used.add((finding.location.file, candidate, key))
    if UNUSED_RULE not in engine.active:
        return
    findings.extend(_unused_entity_suppressions(engine, findings, model))
    for file, per_line in model.line_suppressions.items():
        seen: dict[str, int] = {}
        for line in sorted(per_line):
            for key in per_line[line]:
                # Anchored on the key's ordinal in the file, not its line, so baselines survive edits.
                seen[key] = seen.get(key, 0) + 1
                if (file, line, key) in used:
                    continue
                rule = engine.catalog.get(key)
                if rule is not None and rule.id not in engine.active:
                    # A rule switched off by select/ignore cannot match; that is not a stale comment.
                    continue
                what = f"suppression of {key} matches no finding; remove it"
                if rule is None:
                    what = f"suppression names unknown rule {key!r}; correct or remove it"
                findings.append(
                    unused_finding(engine, what, Location(file, line, 1), f"suppression|{key}|{seen[key]}")
                )


def _resource(logical_name: str) -> str:
    # Entities made from one resource share its name as the first part (``TaskDef/Volumes/data``).
    return logical_name.split("/", 1)[0]


def _unused_entity_suppressions(engine: Engine, findings: list[Finding], model: Model) -> list[Finding]:
    """Suppressions set on entities by the source (CloudFormation ``Metadata``) that matched nothing.

    Every entity made from one resource carries the resource's suppressions; one report per
    resource and rule, at the resource.
    """
    matched = {
        (f.location.file, _resource(f.anchor.split("|", 1)[0]), key)
        for f in findings
        if f.suppressed is not None and f.anchor
        for key in (f.rule_id, f.rule_name)
    }
    reported: set[tuple[str, str, str]] = set()
    unused: list[Finding] = []
    for kind in ENTITY_KINDS:
        for entity in model.entities(kind):
            if not entity.suppressions or not entity.loc.logical_name:
                continue
            resource = _resource(entity.loc.logical_name)
            for key in entity.suppressions:
                where = (entity.loc.file, resource, key)
                if where in matched or where in reported:
                    continue
                rule = engine.catalog.get(key)
                if rule is not None and rule.id not in engine.active:
                    continue
                reported.add(where)
                what = f"suppression of {key} on {resource} matches no finding; remove it"
                if rule is None:
                    what = f"suppression on {resource} names unknown rule {key!r}; correct or remove it"
                loc = entity.loc if entity.loc.logical_name == resource else entity.loc.named(resource)
                unused.append(unused_finding(engine, what, loc, f"suppression|{resource}|{key}"))
    return unused


def apply_path_ignores(findings: list[Finding], config: Config, catalog: Catalog) -> None:
    """Suppress findings in files selected by ``per-path-ignores`` globs."""
    if not config.per_path_ignores:
        return
    resolved = [
        (entry, {rule.id for selector in entry.rules for rule in catalog.resolve(selector)})
        for entry in config.per_path_ignores
    ]
    for finding in findings:
        if finding.rule_id in UNSUPPRESSIBLE:
            continue
        # A live finding sits at a resource: its ARN meets the resource patterns (arn:…), a file's
        # path the globs (see globs.py).
        resource = is_resource_id(finding.location.file)
        subject = finding.location.file if resource else config.relative(finding.location.file)
        if subject is None:
            continue
        for entry, rule_ids in resolved:
            if is_resource_id(entry.glob) != resource:
                continue
            if finding.rule_id in rule_ids and entry.pattern.fullmatch(subject):
                suppress(finding, "config", entry.reason or f"per-path-ignores {entry.glob!r}")
