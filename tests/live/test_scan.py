"""`efslint scan` against a moto server: findings, scoping, bad setups, read-only guarantees."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_checks import check_html, check_markdown

from efslint.cli.commands import cli
from efslint.sources.aws import session as aws_session

from .conftest import ACCESS_KEY, SECRET_KEY, rewrite, run_scan
from .seed import NFS_FROM, Account, healthy

IGNORE_MOTO_IDS = ("--ignore", "EFS109")
DNS_REASON = (
    "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: "
    'Failed to resolve "fs-12345678.efs.us-east-1.amazonaws.com" - check that your file system ID is '
    "correct, and ensure that the VPC has an EFS mount target for this file system ID. : unsuccessful "
    "EFS utils command execution; code: 1"
)  # moto's access point ids are 8 hex digits, AWS uses 17


def test_healthy_account_has_no_error_or_warning(account: Account) -> None:
    ids = healthy(account)
    run = run_scan(account, *IGNORE_MOTO_IDS)
    assert run.exit_code == 0, run.findings
    assert {f["severity"] for f in run.findings} <= {"info"}
    assert run.report is not None and run.report["summary"]["exit_code"] == 0
    assert ids["service"]  # the service exists, so "nothing to check" was not the outcome
    assert "nothing to check" not in run.stderr


def test_locations_are_arns(account: Account) -> None:
    ids = healthy(account)
    account.client("efs").delete_mount_target(
        MountTargetId=account.client("efs").describe_mount_targets(FileSystemId=ids["fs"])["MountTargets"][1][
            "MountTargetId"
        ]
    )
    run = run_scan(account, *IGNORE_MOTO_IDS)
    [finding] = run.of("EFS301")
    assert finding["location"]["file"] == ids["service"]
    assert finding["location"]["logical_name"] == ids["service"]
    assert run.exit_code == 1


def test_missing_file_system_and_access_point(account: Account) -> None:
    ids = healthy(account)
    td = account.task_definition("ghost", "fs-0123456789abcdef0", access_point="fsap-0123456789abcdef0")
    account.service(ids["cluster"], "ghost-svc", td, [ids["a"]], [ids["task_sg"]])
    run = run_scan(account, *IGNORE_MOTO_IDS)
    [fs] = run.of("EFS901")
    assert "fs-0123456789abcdef0" in fs["message"] and fs["location"]["file"] == td
    [ap] = run.of("EFS902")
    assert "fsap-0123456789abcdef0" in ap["message"]
    assert run.exit_code == 1


def test_stopped_task_with_efs_failure_is_explained(account: Account) -> None:
    ids = healthy(account)
    efs = account.client("efs")
    targets = efs.describe_mount_targets(FileSystemId=ids["fs"])["MountTargets"]
    efs.delete_mount_target(
        MountTargetId=next(t for t in targets if t["SubnetId"] == ids["b"])["MountTargetId"]
    )
    reason = DNS_REASON
    ecs = account.client("ecs")
    task = ecs.run_task(
        cluster=ids["cluster"], taskDefinition=ids["td"], launchType="FARGATE", startedBy="efslint-test",
        networkConfiguration={"awsvpcConfiguration": {"subnets": [ids["b"]], "securityGroups": [ids["task_sg"]]}},
    )["tasks"][0]  # fmt: skip
    ecs.stop_task(cluster=ids["cluster"], task=task["taskArn"], reason=reason)
    ok = ecs.run_task(
        cluster=ids["cluster"], taskDefinition=ids["td"], launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": {"subnets": [ids["a"]], "securityGroups": [ids["task_sg"]]}},
    )["tasks"][0]  # fmt: skip
    ecs.stop_task(
        cluster=ids["cluster"], task=ok["taskArn"], reason="Scaling activity initiated by deployment"
    )

    run = run_scan(account, *IGNORE_MOTO_IDS)
    [finding] = run.of("EFS903")
    assert finding["location"]["file"] == task["taskArn"]
    assert "Failed to resolve" in finding["message"]
    # The task was standalone (no service) and moto reports no AZ: the cause comes from the reason.
    assert "Likely cause: the file system's DNS name did not resolve" in finding["message"]


def test_stopped_task_in_az_without_mount_target(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = healthy(account)
    efs = account.client("efs")
    targets = efs.describe_mount_targets(FileSystemId=ids["fs"])["MountTargets"]
    efs.delete_mount_target(
        MountTargetId=next(t for t in targets if t["SubnetId"] == ids["b"])["MountTargetId"]
    )
    ecs = account.client("ecs")
    network = {"awsvpcConfiguration": {"subnets": [ids["b"]], "securityGroups": [ids["task_sg"]]}}
    task = ecs.run_task(cluster=ids["cluster"], taskDefinition=ids["td"], launchType="FARGATE",
                        networkConfiguration=network)["tasks"][0]  # fmt: skip
    ecs.stop_task(cluster=ids["cluster"], task=task["taskArn"], reason=DNS_REASON)
    # moto does not report the task's Availability Zone; ECS does.
    rewrite(
        monkeypatch,
        "DescribeTasks",
        lambda parsed: [t.update(availabilityZone="us-east-1b") for t in parsed["tasks"]],
    )
    [finding] = run_scan(account, "--select", "EFS903").of("EFS903")
    assert finding["message"].endswith(
        f"Cause: the task ran in us-east-1b, where file system {ids['fs']} has no mount target (only in "
        "us-east-1a); add a mount target in that AZ or keep the tasks out of it."
    )


def test_empty_account_is_nothing_to_check(account: Account) -> None:
    run = run_scan(account)
    assert run.exit_code == 0
    assert "nothing to check" in run.stderr


def test_print_policy_covers_every_operation_the_scanner_can_call() -> None:
    result = CliRunner().invoke(cli, ["scan", "--print-policy"])
    assert result.exit_code == 0
    policy = json.loads(result.stdout)
    allowed = {a for s in policy["Statement"] for a in s["Action"]}
    source = "\n".join(p.read_text() for p in Path(aws_session.__file__).parent.glob("*.py"))
    service_prefix = {
        "ecs": "ecs",
        "efs": "elasticfilesystem",
        "ec2": "ec2",
        "iam": "iam",
        "sts": "sts",
        "events": "events",
        "scheduler": "scheduler",
    }
    called = {
        f"{service_prefix[service]}:{op}"
        for service, op in re.findall(
            r'"(ecs|efs|ec2|iam|sts|events|scheduler)",\s*[\w.]+,\s*"([A-Z]\w+)"', source
        )
    }
    assert called, "no calls found: the source pattern changed"
    assert called <= allowed, called - allowed
    assert all(a.split(":")[1].startswith(("Describe", "List", "Get")) for a in allowed)


def test_calls_made_in_a_scan_are_all_in_the_policy(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    healthy(account)
    seen: list[str] = []
    original = aws_session.ClientFactory._count

    def spy(self, model=None, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(aws_session.iam_action(model.service_model.endpoint_prefix, model.name))
        return original(self, model=model, **kwargs)

    monkeypatch.setattr(aws_session.ClientFactory, "_count", spy)
    run_scan(account, *IGNORE_MOTO_IDS)
    policy = json.loads((Path(aws_session.__file__).parents[2] / "data" / "scan-policy.json").read_text())
    allowed = {a for s in policy["Statement"] for a in s["Action"]}
    assert seen and set(seen) <= allowed, set(seen) - allowed


def test_clients_refuse_write_operations(account: Account) -> None:
    factory = aws_session.ClientFactory(endpoint_url=account.endpoint)
    ecs = factory.client("ecs", "us-east-1")
    with pytest.raises(aws_session.WriteRefused, match="refuses to call CreateCluster"):
        ecs.create_cluster(clusterName="should-not-exist")
    with pytest.raises(aws_session.WriteRefused, match="DeleteFileSystem"):
        factory.client("efs", "us-east-1").delete_file_system(FileSystemId="fs-12345678")
    assert ecs.list_clusters()["clusterArns"] == []  # nothing was created behind the guard
    assert factory.calls["ecs:ListClusters"] == 1 and "ecs:CreateCluster" not in factory.calls


def test_credentials_never_in_output(account: Account) -> None:
    healthy(account)
    for fmt in ("json", "text", "sarif"):
        run = run_scan(account, fmt=fmt)
        assert ACCESS_KEY not in run.output + run.stderr
        assert SECRET_KEY not in run.output + run.stderr


# ---- bad setups: one line, exit 2 --------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["scan", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_unknown_profile(account: Account) -> None:
    code, out, err = _cli("--profile", "no-such-profile", "--endpoint-url", account.endpoint)
    assert code == 2 and out == ""
    assert err == "efslint: error: AWS profile 'no-such-profile' not found in the AWS config files\n"


def test_no_credentials(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, _, err = _cli("--endpoint-url", account.endpoint, "--region", "us-east-1")
    assert code == 2
    assert err.startswith("efslint: error: no AWS credentials found") and err.count("\n") == 1


def test_unreachable_endpoint(account: Account) -> None:
    code, _, err = _cli("--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1")
    assert code == 2
    assert err == "efslint: error: cannot reach the AWS endpoint http://127.0.0.1:9/\n"


def test_invalid_region(account: Account) -> None:
    code, _, err = _cli("--endpoint-url", account.endpoint, "--region", "mars")
    assert code == 2
    assert err == "efslint: error: invalid Region 'mars' (expected a Region code such as us-east-1)\n"


def test_endpoint_from_environment(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    healthy(account)
    monkeypatch.setenv("AWS_ENDPOINT_URL", account.endpoint)
    result = CliRunner().invoke(cli, ["scan", "--region", "us-east-1", "--format", "json", *IGNORE_MOTO_IDS])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["files"] == ["aws://us-east-1/123456789012"]


def test_service_filter(account: Account) -> None:
    ids = healthy(account)
    bad_td = account.task_definition("plain", ids["fs"], transit_encryption=None)
    account.service(ids["cluster"], "plain-svc", bad_td, [ids["a"], ids["b"]], [ids["task_sg"]])
    assert "EFS104" in run_scan(account, *IGNORE_MOTO_IDS).rules()
    only_good = run_scan(account, "--service", "good-svc", "--cluster", "good-cluster", *IGNORE_MOTO_IDS)
    assert "EFS104" not in only_good.rules() and only_good.exit_code == 0


def test_security_group_rules_are_read(account: Account) -> None:
    ids = healthy(account)
    ec2 = account.client("ec2")
    ec2.revoke_security_group_ingress(GroupId=ids["mt_sg"], IpPermissions=[NFS_FROM(ids["task_sg"])])
    run = run_scan(account, *IGNORE_MOTO_IDS)
    [finding] = run.of("EFS304")
    assert ids["mt_sg"] in finding["location"]["file"]


def test_unknown_cluster(account: Account) -> None:
    healthy(account)
    code, _, err = _cli("--endpoint-url", account.endpoint, "--region", "us-east-1", "--cluster", "nope")
    assert code == 2
    assert err == "efslint: error: cluster(s) not found in us-east-1: nope\n"


def test_several_regions_are_scanned(account: Account) -> None:
    healthy(account)
    europe = Account(account.endpoint, region="eu-west-1")
    vpc = europe.vpc()
    subnet = europe.subnet(vpc, "10.0.1.0/24", "eu-west-1a")
    fs = europe.file_system()
    td = europe.task_definition("plain", fs, transit_encryption=None)
    europe.service(europe.cluster("eu"), "eu-svc", td, [subnet], [europe.group(vpc, "eu-task")])
    run = run_scan(account, "--region", "eu-west-1", *IGNORE_MOTO_IDS)
    assert run.report is not None
    assert run.report["files"] == ["aws://eu-west-1/123456789012", "aws://us-east-1/123456789012"]
    [plain] = run.of("EFS104")
    assert plain["location"]["file"] == td and td.startswith("arn:aws:ecs:eu-west-1:")


def test_no_region(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION", raising=False)
    code, _, err = _cli("--endpoint-url", account.endpoint)
    assert code == 2
    assert err == "efslint: error: no AWS Region configured (pass --region or set AWS_REGION)\n"


def test_text_report_lines_are_arn_located(account: Account) -> None:
    ids = healthy(account)
    plain = account.task_definition("plain", ids["fs"], transit_encryption=None)
    account.service(ids["cluster"], "plain-svc", plain, [ids["a"], ids["b"]], [ids["task_sg"]])
    run = run_scan(account, "--select", "EFS104", fmt="text")
    assert run.output.splitlines()[0].startswith(f"{plain}: EFS104 [warning] EFS volume 'data'")
    assert run.exit_code == 1


def test_sequential_and_concurrent_scans_agree(account: Account) -> None:
    from efslint.engine.catalog import Catalog
    from efslint.engine.runner import Engine
    from efslint.pipeline.lint import lint_models
    from efslint.sources.aws.scan import ScanOptions, scan

    ids = healthy(account)
    plain = account.task_definition("plain", ids["fs"], transit_encryption=None)
    account.service(ids["cluster"], "plain-svc", plain, [ids["a"]], [ids["task_sg"]])
    results = []
    for workers in (1, 8):
        options = ScanOptions(regions=["us-east-1"], endpoint_url=account.endpoint, workers=workers)
        outcome = scan(options)
        findings = lint_models(Engine(Catalog.load()), outcome.models).findings
        results.append(([(f.rule_id, f.location.file, f.message) for f in findings], dict(outcome.calls)))
    assert results[0] == results[1]
    assert results[0][0], "the plain task definition gives findings"


def test_all_file_systems(account: Account) -> None:
    healthy(account)
    unused = account.file_system(encrypted=False)
    assert "EFS501" not in run_scan(account, "--select", "EFS501").rules()
    run = run_scan(account, "--select", "EFS501", "--all-file-systems")
    [finding] = run.of("EFS501")
    assert finding["location"]["file"].endswith(f"file-system/{unused}")


def test_unknown_service(account: Account) -> None:
    healthy(account)
    code, _, err = _cli(
        "--endpoint-url", account.endpoint, "--region", "us-east-1", "--service", "good-svc,nope"
    )
    assert code == 2
    assert err == "efslint: error: service(s) not found in us-east-1: nope\n"


def test_service_filter_limits_stopped_tasks(account: Account) -> None:
    ids = healthy(account)
    ecs = account.client("ecs")
    network = {"awsvpcConfiguration": {"subnets": [ids["a"]], "securityGroups": [ids["task_sg"]]}}
    for group in ("service:good-svc", "service:other-svc"):
        task = ecs.run_task(cluster=ids["cluster"], taskDefinition=ids["td"], launchType="FARGATE", group=group,
                            networkConfiguration=network)["tasks"][0]  # fmt: skip
        ecs.stop_task(
            cluster=ids["cluster"], task=task["taskArn"], reason=f"{group}: mount.nfs4: Connection timed out"
        )
    everything = run_scan(account, "--select", "EFS903")
    assert len(everything.of("EFS903")) == 2
    only = run_scan(account, "--select", "EFS903", "--service", "good-svc")
    [finding] = only.of("EFS903")
    assert "service:good-svc: mount.nfs4" in finding["message"]


@pytest.mark.parametrize("service", ["ecs", "efs", "ec2", "iam", "sts", "events", "scheduler"])
def test_read_only_hook_refuses_every_write_operation(service: str) -> None:
    import botocore.session

    model = botocore.session.get_session().get_service_model(service)
    refused, allowed = [], []
    for name in model.operation_names:
        try:
            aws_session.refuse_writes(model=model.operation_model(name))
            allowed.append(name)
        except aws_session.WriteRefused:
            refused.append(name)
    assert allowed and refused
    assert all(n.startswith(("Describe", "List", "Get")) for n in allowed)
    assert not any(n.startswith(("Describe", "List", "Get")) for n in refused)
    write = {"ecs": "CreateCluster", "efs": "DeleteFileSystem", "ec2": "RunInstances", "iam": "CreateRole",
             "sts": "AssumeRole", "events": "PutTargets", "scheduler": "CreateSchedule"}[service]  # fmt: skip
    assert write in refused


def test_each_resource_is_read_once_in_full_batches(account: Account) -> None:
    from efslint.sources.aws.scan import ScanOptions, scan

    ids = healthy(account)
    for i in range(11):  # 12 services in one cluster: two DescribeServices calls of up to 10
        account.service(ids["cluster"], f"more-{i}", ids["td"], [ids["a"], ids["b"]], [ids["task_sg"]])
    outcome = scan(ScanOptions(regions=["us-east-1"], endpoint_url=account.endpoint))
    assert dict(outcome.calls) == {
        "sts:GetCallerIdentity": 1,
        "ecs:ListClusters": 1,
        "ecs:DescribeClusters": 1,
        "ecs:ListServices": 1,
        "ecs:ListTasks": 1,
        "ecs:DescribeServices": 2,
        "events:ListRuleNamesByTarget": 1,
        "scheduler:ListSchedules": 1,
        "ecs:DescribeTaskDefinition": 1,  # twelve services, one revision
        "elasticfilesystem:DescribeFileSystems": 1,
        "elasticfilesystem:DescribeMountTargets": 1,
        "elasticfilesystem:DescribeAccessPoints": 1,
        "elasticfilesystem:DescribeFileSystemPolicy": 1,
        "elasticfilesystem:DescribeBackupPolicy": 1,
        "ec2:DescribeNetworkInterfaces": 1,  # both mount targets' groups in one call
        "ec2:DescribeSubnets": 1,
        "ec2:DescribeSecurityGroups": 1,
        "ec2:DescribeVpcAttribute": 2,
        "ec2:DescribeRouteTables": 1,
        "iam:ListRolePolicies": 1,
        "iam:GetRolePolicy": 1,
        "iam:ListAttachedRolePolicies": 1,
        # AWS Batch, read once each; no queue, so no ListJobs
        "batch:DescribeJobDefinitions": 1,
        "batch:DescribeComputeEnvironments": 1,
        "batch:DescribeJobQueues": 1,
    }


def test_progress_goes_to_stderr_only_on_a_tty(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from efslint.cli import scan as cli_scan

    class Terminal:
        def __init__(self, tty: bool) -> None:
            self.tty, self.text = tty, ""

        def isatty(self) -> bool:
            return self.tty

        def write(self, text: str) -> int:
            self.text += text
            return len(text)

        def flush(self) -> None:
            pass

    for tty in (True, False):
        terminal = Terminal(tty)
        monkeypatch.setattr(cli_scan.sys, "stderr", terminal)
        cli_scan._progress()("us-east-1: listing clusters and services")
        assert terminal.text == ("efslint: us-east-1: listing clusters and services\n" if tty else "")


def test_unknown_profile_from_environment(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "ghost")
    code, _, err = _cli("--endpoint-url", account.endpoint)
    assert code == 2
    assert err == "efslint: error: AWS profile 'ghost' not found in the AWS config files\n"


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_topology_reports_draw_the_live_account(account: Account, fmt: str) -> None:
    ids = healthy(account)
    efs = account.client("efs")
    targets = efs.describe_mount_targets(FileSystemId=ids["fs"])["MountTargets"]
    efs.delete_mount_target(
        MountTargetId=next(t for t in targets if t["SubnetId"] == ids["b"])["MountTargetId"]
    )
    run = run_scan(account, *IGNORE_MOTO_IDS, fmt=fmt)
    assert run.exit_code == 1, run.stderr
    if fmt == "markdown":
        [chart] = check_markdown(run.output)
        labels = " ".join(chart.nodes.values())
        broken = chart.classes.get("broken", set())
        [lonely] = [
            n for n, label in chart.nodes.items() if ids["b"] in label and label.startswith("Task subnet")
        ]
        assert lonely in broken and "EFS301" in chart.nodes[lonely]
    else:
        [svg] = check_html(run.output)
        labels = " ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    # The live names: the file system id, the subnets' ids and their AZ names.
    for expected in (ids["fs"], ids["a"], ids["b"], f"{account.region}a", f"{account.region}b", "good-svc"):
        assert expected in labels, expected
