"""Terraform (HCL and plan): the EC2 container instances a workload's tasks may run on.

The Terraform twin of :mod:`efslint.sources.cloudformation.capacity`: in ``bridge``/``host`` network mode the
EFS mount leaves from the instance's network interface, so EFS304/EFS305 need the instances' subnets
and security groups.  They come from an ``aws_autoscaling_group`` (``vpc_zone_identifier``) and its
``aws_launch_template`` (``network_interfaces[device_index 0].security_groups``,
``vpc_security_group_ids`` or ``security_group_names``) or ``aws_launch_configuration``
(``security_groups``), linked to the workload through an ``aws_ecs_capacity_provider``: the
service's own strategy, its cluster's default strategy (``aws_ecs_cluster`` or
``aws_ecs_cluster_capacity_providers``), or — for launch type ``EC2`` — any capacity provider of its
cluster.  Only links the configuration proves are followed; anything else adds no capacity.
"""

from __future__ import annotations

from typing import Any

from ...model import InstanceCapacity, Unknown
from ..capacity_strategy import gets_tasks, uses_instance_network
from .evaluate import Ref

_SERVICE_TYPES = ("aws_ecs_service", "aws_ecs_task_set")


def _blocks(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value]
    return [b for b in value if isinstance(b, dict)] if isinstance(value, list) else []


def _first(value: Any) -> Any:
    blocks = _blocks(value)
    return blocks[0] if len(blocks) == 1 else None


def link_instance_capacity(mapper: Any) -> None:
    """Fill ``Workload.instance_capacity`` for services and task sets not in ``awsvpc`` mode."""
    workloads = [w for w in mapper.model.workloads if uses_instance_network(w)]
    if not workloads:
        return
    finder = _CapacityFinder(mapper)
    by_address = {r.address: r for r in mapper.records if r.mode == "managed"}
    for workload in workloads:
        rec = by_address.get(workload.loc.logical_name)
        if rec is None or rec.type not in _SERVICE_TYPES:
            continue
        for asg in finder.groups_for(rec.doc):
            capacity = finder.capacity(asg)
            if capacity is not None:
                workload.instance_capacity.append(capacity)


class _CapacityFinder:
    def __init__(self, mapper: Any) -> None:
        self.mapper = mapper
        self.managed = [r for r in mapper.records if r.mode == "managed"]
        self.by_target = {id(r.target): r for r in self.managed}
        # id(capacity provider record) -> Auto Scaling group record
        self.providers: dict[int, Any] = {}
        for rec in self._of_type("aws_ecs_capacity_provider"):
            provider = _first(rec.doc.get("auto_scaling_group_provider"))
            asg = self._record(_get(provider, "auto_scaling_group_arn"), "aws_autoscaling_group", "arn")
            if asg is not None:
                self.providers[id(rec)] = asg
        # id(cluster record) -> (capacity provider values, default strategy blocks)
        self.clusters: dict[int, tuple[list[Any], list[Any]]] = {}
        for rec in self._of_type("aws_ecs_cluster"):
            self.clusters[id(rec)] = (
                list(_items(rec.doc.get("capacity_providers"))),
                _blocks(rec.doc.get("default_capacity_provider_strategy")),
            )
        for rec in self._of_type("aws_ecs_cluster_capacity_providers"):
            cluster = self._record(rec.doc.get("cluster_name"), "aws_ecs_cluster", "name")
            if cluster is not None:
                self.clusters[id(cluster)] = (
                    list(_items(rec.doc.get("capacity_providers"))),
                    _blocks(rec.doc.get("default_capacity_provider_strategy")),
                )

    def _of_type(self, type_: str) -> list[Any]:
        return [r for r in self.managed if r.type == type_]

    def _record(self, value: Any, type_: str, attr: str) -> Any:
        """The record of ``type_`` that ``value`` names: a reference, or a known ``attr`` value."""
        if isinstance(value, Ref):
            rec = self.by_target.get(id(value.target))
            return rec if rec is not None and rec.type == type_ else None
        if isinstance(value, str) and value:
            found = [r for r in self._of_type(type_) if r.doc.get(attr) == value]
            return found[0] if len(found) == 1 else None
        return None

    def _provider_group(self, value: Any) -> Any:
        provider = self._record(value, "aws_ecs_capacity_provider", "name")
        return self.providers.get(id(provider)) if provider is not None else None

    def _strategy_groups(self, blocks: list[Any]) -> list[Any]:
        found: list[Any] = []
        for block in blocks:
            # weight defaults to 0; a provider with weight 0 and no base is given no tasks.
            if not gets_tasks(block.get("weight"), block.get("base")):
                continue
            asg = self._provider_group(block.get("capacity_provider"))
            if asg is not None and not any(asg is g for g in found):
                found.append(asg)
        return found

    def groups_for(self, doc: dict[str, Any]) -> list[Any]:
        """The Auto Scaling group records some of this service's tasks are placed on."""
        strategy = _blocks(doc.get("capacity_provider_strategy"))
        if strategy:
            return self._strategy_groups(strategy)
        cluster = self._record(doc.get("cluster"), "aws_ecs_cluster", "arn") or self._record(
            doc.get("cluster"), "aws_ecs_cluster", "name"
        )
        if cluster is None or id(cluster) not in self.clusters:
            return []
        providers, default = self.clusters[id(cluster)]
        launch = doc.get("launch_type")
        if launch == "EC2":
            # Any container instance of the cluster may get the task.
            found: list[Any] = []
            for value in providers:
                asg = self._provider_group(value)
                if asg is not None and not any(asg is g for g in found):
                    found.append(asg)
            return found
        if launch is None:
            return self._strategy_groups(default)
        return []

    def capacity(self, asg: Any) -> InstanceCapacity | None:
        mapper = self.mapper
        zones = asg.doc.get("vpc_zone_identifier")
        subnets = mapper.subnets_of(zones) if zones is not None else None
        groups, loc = self._launch_groups(asg)
        if groups is None:
            return None
        return InstanceCapacity(
            loc=loc or mapper.loc(asg), label=asg.address, subnets=subnets, security_groups=groups
        )

    def _launch_groups(self, asg: Any) -> tuple[Any, Any]:
        mapper = self.mapper
        spec = _first(asg.doc.get("launch_template"))
        if spec is None:
            mixed = _first(asg.doc.get("mixed_instances_policy"))
            spec = _first(_get(_first(_get(mixed, "launch_template")), "launch_template_specification"))
        if spec is not None:
            template = None
            for key, attr in (
                ("id", "id"),
                ("launch_template_id", "id"),
                ("name", "name"),
                ("launch_template_name", "name"),
            ):
                template = template or self._record(spec.get(key), "aws_launch_template", attr)
            if template is None:
                return None, None
            doc = template.doc
            primary = [
                n for n in _blocks(doc.get("network_interfaces")) if n.get("device_index") in (0, None)
            ]
            for container, key in (
                (primary[0] if len(primary) == 1 else None, "security_groups"),
                (doc, "vpc_security_group_ids"),
                (doc, "security_group_names"),
            ):
                value = _get(container, key)
                if value is not None and value != []:
                    return mapper.groups_of(value), mapper.loc(template, container, key)
            return Unknown("the launch template names no security group"), mapper.loc(template)
        config = self._record(asg.doc.get("launch_configuration"), "aws_launch_configuration", "name")
        if config is None:
            return None, None
        value = config.doc.get("security_groups")
        if value is None or value == []:
            return Unknown("the launch configuration names no security group"), mapper.loc(config)
        return mapper.groups_of(value), mapper.loc(config, config.doc, "security_groups")


def _get(container: Any, key: str) -> Any:
    return container.get(key) if isinstance(container, dict) else None


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []
