"""EFS501–EFS506 on models: file systems and access points."""

from __future__ import annotations

from typing import Any

from model_builders import access_point, file_system, identity_model, loc, mounted, run, task_definition

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine, RunOptions
from efslint.findings import Severity
from efslint.model import AccessPoint, FileSystem, PosixUser, Unknown


def located_fs(**kw: Any) -> FileSystem:
    kw.setdefault("encrypted", True)
    kw.setdefault("backup", True)
    fs = file_system(**kw)
    for field in ("encrypted", "backup"):
        fs.field_locs[field] = loc(field)
    return fs


def located_ap(fs: FileSystem | None, **kw: Any) -> AccessPoint:
    ap = access_point(fs, **kw)
    for field in ("root_path", "posix_user"):
        ap.field_locs[field] = loc(field)
    return ap


def results(*roots: Any, rules: tuple[str, ...]) -> list[tuple[str, Any, str]]:
    return [(f.rule_id, f.location, f.message) for f in run(identity_model(*roots), *rules)]


# ---------------------------------------------------------------------------------------------
# EFS501 file-system-not-encrypted, EFS506 file-system-no-backup


def test_501_fires_on_encrypted_field() -> None:
    fs = located_fs(encrypted=False)
    ((rule, where, message),) = results(fs, rules=("EFS501",))
    assert (rule, where) == ("EFS501", fs.at("encrypted"))
    assert message.startswith(
        "File system 'FileSystem' is not encrypted at rest (Encrypted is false or omitted,"
    )


def test_501_quiet_when_encrypted_or_unknown() -> None:
    assert results(located_fs(encrypted=True), rules=("EFS501",)) == []
    assert results(located_fs(encrypted=Unknown("external file system")), rules=("EFS501",)) == []


def test_506_fires_on_backup_field() -> None:
    fs = located_fs(backup=False)
    ((rule, where, message),) = results(fs, rules=("EFS506",))
    assert (rule, where) == ("EFS506", fs.at("backup"))
    assert message.startswith("File system 'FileSystem' has automatic backups disabled")


def test_506_quiet_when_enabled_or_unknown() -> None:
    assert results(located_fs(backup=True), rules=("EFS506",)) == []
    assert results(located_fs(backup=Unknown("deployment")), rules=("EFS506",)) == []


def test_file_system_rules_apply_without_any_task_definition() -> None:
    fs = located_fs(encrypted=False, backup=False)
    assert sorted(r for r, *_ in results(fs, rules=("EFS501", "EFS506"))) == ["EFS501", "EFS506"]


# ---------------------------------------------------------------------------------------------
# EFS503 access-point-root-is-root, EFS504 access-point-no-posix-user


def test_503_fires_on_root_path() -> None:
    ap = located_ap(located_fs(), root_path="/")
    ((rule, where, message),) = results(ap, rules=("EFS503",))
    assert (rule, where) == ("EFS503", ap.at("root_path"))
    assert message.startswith("Access point 'AccessPoint' has root directory \"/\"")


def test_503_quiet_for_a_directory_or_unknown() -> None:
    assert results(located_ap(located_fs(), root_path="/app"), rules=("EFS503",)) == []
    assert results(located_ap(located_fs(), root_path=Unknown("parameter")), rules=("EFS503",)) == []


def test_504_fires_without_posix_user() -> None:
    ap = located_ap(located_fs(), posix_user=None)
    ((rule, where, message),) = results(ap, rules=("EFS504",))
    assert (rule, where) == ("EFS504", ap.at("posix_user"))
    assert message.startswith("Access point 'AccessPoint' has no PosixUser")


def test_504_quiet_with_posix_user_or_unknown() -> None:
    assert results(located_ap(located_fs(), posix_user=PosixUser(1000, 1000)), rules=("EFS504",)) == []
    assert results(located_ap(located_fs(), posix_user=Unknown("deployment")), rules=("EFS504",)) == []


# ---------------------------------------------------------------------------------------------
# EFS505 access-point-path-not-created


def test_505_fires_for_a_new_file_system_without_creation_info() -> None:
    fs = located_fs()
    ap = located_ap(fs, root_path="/app", creation_info=False)
    ((rule, where, message),) = results(ap, rules=("EFS505",))
    assert (rule, where) == ("EFS505", ap.at("root_path"))
    assert message.startswith(
        "Access point 'AccessPoint' has root directory '/app' but no CreationInfo, and file system 'FileSystem' "
        "is created by the same input, so the directory cannot exist yet"
    )


def test_505_quiet_cases() -> None:
    for kw in (
        {"creation_info": True},
        {"creation_info": Unknown("deployment")},
        {"creation_info": False, "root_path": "/"},
        {"creation_info": False, "root_path": Unknown("parameter")},
    ):
        kw.setdefault("root_path", "/app")
        assert results(located_ap(located_fs(), **kw), rules=("EFS505",)) == [], kw
    # Quiet whatever the file system when the path is root, created, or not known.
    external = located_fs(defined_here=False, id="fs-0123456789abcdef0")
    assert results(located_ap(external, root_path="/", creation_info=False), rules=("EFS505",)) == []
    assert results(located_ap(external, root_path="/app", creation_info=True), rules=("EFS505",)) == []


def test_505_is_a_warning_on_an_external_file_system() -> None:
    """An existing file system may hold the path: a warning, not an error (severity_when: external)."""
    external = located_fs(defined_here=False, id="fs-0123456789abcdef0")
    for ap in (
        located_ap(external, root_path="/app", creation_info=False),
        located_ap(None, file_system_id="fs-0123456789abcdef0", root_path="/app", creation_info=False),
        located_ap(None, file_system_id=Unknown("parameter"), root_path="/app", creation_info=False),
    ):
        (finding,) = run(identity_model(ap), "EFS505")
        assert finding.severity is Severity.WARNING
        assert (
            "EFS will not create it" in finding.message and "unless the directory exists" in finding.message
        )
    new = located_ap(located_fs(), root_path="/app", creation_info=False)
    assert [f.severity for f in run(identity_model(new), "EFS505")] == [Severity.ERROR]


def test_505_config_severity_override_sets_every_case() -> None:
    external = located_ap(located_fs(defined_here=False, id="fs-0123456789abcdef0"), root_path="/app",
                          creation_info=False)  # fmt: skip
    new = located_ap(located_fs(), root_path="/app", creation_info=False)
    for override in (Severity.ERROR, Severity.INFO):
        engine = Engine(
            Catalog.load(), RunOptions(select=["EFS505"], severity_overrides={"EFS505": override})
        )
        for ap in (external, new):
            assert [f.severity for f in engine.run(identity_model(ap))] == [override]


# ---------------------------------------------------------------------------------------------
# EFS502 access-point-of-other-file-system


def _volume_with(fs: FileSystem | None, ap: AccessPoint | None, **kw: Any) -> Any:
    td = mounted(task_definition(fs))
    volume = td.efs_volumes[0]
    volume.access_point = ap
    volume.field_locs["access_point_id"] = loc("accessPointId")
    for key, value in kw.items():
        setattr(volume, key, value)
    return td, volume


def test_502_fires_for_an_access_point_of_another_file_system_in_the_input() -> None:
    data, logs = located_fs(), located_fs(name="LogsFileSystem")
    ap = located_ap(logs, name="LogsAccessPoint")
    td, volume = _volume_with(data, ap)
    (finding,) = run(identity_model(td), "EFS502")
    assert finding.location == volume.at("access_point_id")
    assert finding.message.startswith(
        "EFS volume 'data' mounts file system 'FileSystem' through access point 'LogsAccessPoint', which "
        "belongs to file system 'LogsFileSystem': the mount fails."
    )
    assert [r.location for r in finding.related] == [ap.loc, data.loc]


def test_502_fires_on_literal_ids() -> None:
    ap = located_ap(None, id="fsap-0123456789abcdef0", file_system_id="fs-0fedcba987654321f")
    td, _ = _volume_with(None, ap, file_system_id="fs-0123456789abcdef0")
    ((_rule, _, message),) = results(td, rules=("EFS502",))
    assert "mounts file system fs-0123456789abcdef0 through access point fsap-0123456789abcdef0" in message
    assert "belongs to file system fs-0fedcba987654321f" in message


def test_502_quiet_cases() -> None:
    fs = located_fs()
    td, _ = _volume_with(fs, located_ap(fs))
    assert results(td, rules=("EFS502",)) == []
    # One file system reached two ways: an ARN and a bare id.
    ap = located_ap(
        None,
        file_system_id="arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0",
    )
    td, _ = _volume_with(None, ap, file_system_id="fs-0123456789abcdef0")
    assert results(td, rules=("EFS502",)) == []
    # Two external file systems whose ids are not known.
    one = located_fs(defined_here=False, id=Unknown("import"))
    two = located_fs(defined_here=False, id=Unknown("import"))
    td, _ = _volume_with(one, located_ap(two))
    assert results(td, rules=("EFS502",)) == []
    # No access point.
    td, _ = _volume_with(fs, None)
    assert results(td, rules=("EFS502",)) == []
