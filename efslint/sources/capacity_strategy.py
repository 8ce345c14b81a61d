"""ECS rules about where tasks land, shared by the CloudFormation and Terraform capacity mappers."""

from __future__ import annotations

from typing import Any

from ..model import Workload


def gets_tasks(weight: Any, base: Any) -> bool:
    """A capacity provider strategy item places tasks only with a weight or a base above 0."""
    return _positive(weight) or _positive(base)


def _positive(value: Any) -> bool:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def uses_instance_network(workload: Workload) -> bool:
    """Tasks in ``bridge``/``host`` mode (the default on EC2) use the container instance's ENI."""
    td = workload.task_definition
    return td is not None and td.network_mode in ("bridge", "host", None)
