"""EFS204: container instances' agent version and EFS capabilities.

moto reports every container instance with agent 1.0.0 and cannot be told otherwise, so the firing
case runs on the moto server and the other agent versions/attributes use botocore's Stubber.
"""

from __future__ import annotations

from typing import Any

from botocore.stub import Stubber

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.model import EfsVolume, Location, TaskDefinition
from efslint.sources.aws import inventory as inv
from efslint.sources.aws.mapping import RegionMapper
from efslint.sources.aws.reader import Reader
from efslint.sources.aws.session import ClientFactory

from .conftest import run_scan
from .seed import Account, ec2_capacity, healthy

CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/ec2"
INSTANCE = "arn:aws:ecs:us-east-1:123456789012:container-instance/ec2/0123456789abcdef"


def test_old_agent_on_moto_fires(account: Account) -> None:
    ids = healthy(account)
    cluster = account.cluster("ec2-cluster")
    instance = ec2_capacity(account, cluster, ids["a"])
    td = account.task_definition("ec2-app", ids["fs"], compatibilities=("EC2",))
    account.service(cluster, "ec2-svc", td, [ids["a"], ids["b"]], [ids["task_sg"]], launch_type="EC2")
    run = run_scan(account, "--select", "EFS204")
    [finding] = run.of("EFS204")
    assert finding["location"]["file"] == instance
    assert "runs ECS agent 1.0.0, older than 1.38.0" in finding["message"] and "ec2-svc" in finding["message"]


def test_fargate_only_cluster_is_not_read(account: Account) -> None:
    ids = healthy(account)
    ec2_capacity(account, ids["cluster"], ids["a"])  # an instance, but the service is FARGATE
    run = run_scan(account, "--select", "EFS204")
    assert run.of("EFS204") == []


class _Factory(ClientFactory):
    def __init__(self, client: Any) -> None:
        super().__init__(endpoint_url="http://127.0.0.1:9")
        self._stubbed = client

    def client(self, service: str, region: str) -> Any:
        return self._stubbed


def _instances(version: str, attributes: list[str]) -> list[dict[str, Any]]:
    factory = ClientFactory(endpoint_url="http://127.0.0.1:9")
    client = factory.client("ecs", "us-east-1")
    with Stubber(client) as stub:
        stub.add_response(
            "list_container_instances",
            {"containerInstanceArns": [INSTANCE]},
            {"cluster": CLUSTER, "maxResults": 100},
        )
        stub.add_response(
            "describe_container_instances",
            {
                "containerInstances": [
                    {
                        "containerInstanceArn": INSTANCE,
                        "versionInfo": {"agentVersion": version},
                        "attributes": [{"name": name} for name in attributes],
                    }
                ]
            },
            {"cluster": CLUSTER, "containerInstances": [INSTANCE]},
        )
        reader = Reader(_Factory(client), concurrent=False)
        data = inv.RegionData("us-east-1", "123456789012")
        inv.run_together(reader, inv.container_instance_jobs(reader, data, [CLUSTER]))
        assert reader.gaps == [], reader.gaps
        stub.assert_no_pending_responses()
    assert reader.gaps == []
    return data.container_instances[CLUSTER] or []


def _findings(version: str, attributes: list[str], transit: str = "ENABLED") -> list[Any]:
    data = inv.RegionData("us-east-1", "123456789012")
    data.container_instances[CLUSTER] = _instances(version, attributes)
    model = RegionMapper(data, {}).build()
    td = TaskDefinition(loc=Location("td"), family="app")
    td.efs_volumes.append(
        EfsVolume(
            loc=Location("td"),
            name="data",
            file_system_id="fs-12345678",
            transit_encryption=transit,
            task_definition=td,
        )
    )
    from efslint.model import Workload

    model.task_definitions.append(td)
    model.workloads.append(
        Workload(loc=Location("svc"), name="svc", task_definition=td, launch_type="EC2", cluster=CLUSTER)
    )
    engine = Engine(Catalog.load())
    return [f for f in engine.run(model) if f.rule_id == "EFS204"]


def test_current_agent_with_volume_plugin_is_quiet() -> None:
    assert _findings("1.80.0", ["ecs.capability.efs", "ecs.capability.efsAuth", "ecs.os-type"]) == []


def test_current_agent_without_volume_plugin_fires_for_tls() -> None:
    [finding] = _findings("1.80.0", ["ecs.capability.efs"])
    assert finding.location.file == INSTANCE
    assert "does not advertise ecs.capability.efsAuth" in finding.message


def test_missing_plugin_is_fine_without_tls_iam_or_access_point() -> None:
    assert _findings("1.80.0", ["ecs.capability.efs"], transit="DISABLED") == []


def test_agent_1_37_fires() -> None:
    [finding] = _findings("1.37.2", ["ecs.capability.efs", "ecs.capability.efsAuth"])
    assert "runs ECS agent 1.37.2, older than 1.38.0" in finding.message
