"""Tasks launched by EventBridge rules and EventBridge Scheduler are workloads too (ml-batch)."""

from __future__ import annotations

import json

from .conftest import run_scan
from .seed import Account, healthy

ROLE = "arn:aws:iam::123456789012:role/events-run-task"


def _ecs_parameters(
    ids: dict[str, str], platform_version: str, spelling: str = "awsvpcConfiguration"
) -> dict:
    return {
        "TaskDefinitionArn": ids["td"],
        "LaunchType": "FARGATE",
        "PlatformVersion": platform_version,
        "NetworkConfiguration": {
            spelling: {"Subnets": [ids["a"], ids["b"]], "SecurityGroups": [ids["task_sg"]]}
        },
    }


def test_eventbridge_rule_target(account: Account) -> None:
    ids = healthy(account)
    events = account.client("events")
    rule = events.put_rule(Name="nightly", ScheduleExpression="rate(1 day)")["RuleArn"]
    events.put_targets(
        Rule="nightly",
        Targets=[
            {
                "Id": "batch",
                "Arn": ids["cluster"],
                "RoleArn": ROLE,
                "EcsParameters": _ecs_parameters(ids, "1.3.0"),
            }
        ],
    )
    run = run_scan(account, "--select", "EFS201")
    [finding] = run.of("EFS201")
    assert finding["location"]["file"] == rule


def test_scheduler_schedule(account: Account) -> None:
    ids = healthy(account)
    scheduler = account.client("scheduler")
    arn = scheduler.create_schedule(
        Name="hourly",
        ScheduleExpression="rate(1 hour)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": ids["cluster"], "RoleArn": ROLE, "EcsParameters": _ecs_parameters(ids, "1.3.0")},
    )["ScheduleArn"]
    run = run_scan(account, "--select", "EFS201")
    [finding] = run.of("EFS201")
    assert finding["location"]["file"] == arn


def test_targets_of_other_clusters_and_non_ecs_targets_are_ignored(account: Account) -> None:
    healthy(account)
    events = account.client("events")
    events.put_rule(Name="other", ScheduleExpression="rate(1 day)")
    events.put_targets(
        Rule="other",
        Targets=[
            {"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:queue", "Input": json.dumps({"a": 1})}
        ],
    )
    run = run_scan(account, "--select", "EFS2")
    assert run.findings == []
