"""`efslint scan` applies the configuration, per-path ignores and baselines exactly as `lint` does,
keyed by resource ARN (moto server, real HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_scan
from .seed import Account, healthy

# EFS109: moto's ids are short; EFS302: the one remaining mount target also fires at the file system.
IGNORE_MOTO_IDS = ("--ignore", "EFS109,EFS302")


def _one_az_short(account: Account) -> dict[str, str]:
    """The healthy setup with the mount target in AZ b removed: EFS301 at the service's ARN."""
    ids = healthy(account)
    efs = account.client("efs")
    targets = efs.describe_mount_targets(FileSystemId=ids["fs"])["MountTargets"]
    efs.delete_mount_target(
        MountTargetId=next(t for t in targets if t["SubnetId"] == ids["b"])["MountTargetId"]
    )
    return ids


def _config(tmp_path: Path, text: str) -> str:
    path = tmp_path / ".efslint.yaml"
    path.write_text(text)
    return str(path)


def test_resource_pattern_in_per_path_ignores_suppresses_a_scan_finding(
    account: Account, tmp_path: Path
) -> None:
    ids = _one_az_short(account)
    service_name = ids["service"].rsplit("/", 1)[-1]
    config = _config(
        tmp_path,
        "per-path-ignores:\n"
        f"  'arn:aws:ecs:*:*:service/*/{service_name}':\n"
        "    rules: [EFS301]\n"
        "    reason: capacity is pinned to AZ a\n",
    )
    run = run_scan(account, *IGNORE_MOTO_IDS, "--config", config)
    [finding] = run.of("EFS301")
    assert finding["location"]["file"] == ids["service"]
    assert finding["suppressed"] == {"kind": "config", "reason": "capacity is pinned to AZ a"}
    assert run.exit_code == 0, run.findings


def test_path_globs_never_match_a_resource(account: Account, tmp_path: Path) -> None:
    _one_az_short(account)
    # `**` selects every file below the configuration's folder, but an ARN is not a file there.
    config = _config(
        tmp_path, "per-path-ignores:\n  '**': [EFS301]\n  'arn:aws:ecs:*:*:service/other': [EFS301]\n"
    )
    run = run_scan(account, *IGNORE_MOTO_IDS, "--config", config)
    [finding] = run.of("EFS301")
    assert finding["suppressed"] is None
    assert run.exit_code == 1


def test_baseline_round_trip_keyed_by_arn(
    account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _one_az_short(account)
    baseline = tmp_path / "scan-baseline.json"
    written = run_scan(account, *IGNORE_MOTO_IDS, "--write-baseline", str(baseline))
    assert written.exit_code == 0
    entries = json.loads(baseline.read_text())["findings"]
    assert {"rule": "EFS301", "file": ids["service"]} in [
        {"rule": e["rule"], "file": e["file"]} for e in entries
    ]

    # The key is the ARN, not a path: the same baseline works from another working directory.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    run = run_scan(account, *IGNORE_MOTO_IDS, "--baseline", str(baseline))
    [finding] = run.of("EFS301")
    assert finding["suppressed"]["kind"] == "baseline"
    assert run.exit_code == 0, run.findings


def test_a_baseline_entry_for_a_fixed_resource_is_reported_stale(account: Account, tmp_path: Path) -> None:
    ids = _one_az_short(account)
    baseline = tmp_path / "scan-baseline.json"
    assert run_scan(account, *IGNORE_MOTO_IDS, "--write-baseline", str(baseline)).exit_code == 0
    mt_sg = ids["mt_sg"]
    account.mount_target(ids["fs"], ids["b"], [mt_sg])  # fixed in the account
    run = run_scan(account, *IGNORE_MOTO_IDS, "--baseline", str(baseline))
    assert not run.of("EFS301")
    [stale] = run.of("EFS001")
    assert "baseline entry for EFS301" in stale["message"] and ids["service"] in stale["message"]


def test_scan_reads_custom_rules_and_refuses_a_bad_baseline(account: Account, tmp_path: Path) -> None:
    _one_az_short(account)
    missing = run_scan(account, "--baseline", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "baseline file not found" in missing.stderr
    bad_rules = run_scan(account, "--rules", str(tmp_path / "no-rules"))
    assert bad_rules.exit_code == 2 and "rule directory does not exist" in bad_rules.stderr
