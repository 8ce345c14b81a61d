"""CloudFormation: the EC2 container instances a workload's tasks may run on (``bridge``/``host`` mode).

In those network modes the EFS mount leaves from the instance's network interface, so EFS304/EFS305
need the instances' subnets and security groups.  They come from an Auto Scaling group
(``VPCZoneIdentifier``) and its launch template (``NetworkInterfaces[0].Groups``,
``SecurityGroupIds`` or ``SecurityGroups``) or launch configuration (``SecurityGroups``), linked to
the workload through a capacity provider: the workload's own strategy, its cluster's default
strategy, or — for launch type ``EC2`` — any capacity provider associated with its cluster.

Only links the template proves are followed: a provider with weight 0 and no base gets no tasks,
and anything we cannot resolve simply adds no capacity (the checks stay quiet).
"""

from __future__ import annotations

from typing import Any

from ...model import InstanceCapacity, Unknown
from ..capacity_strategy import gets_tasks, uses_instance_network
from .resolve import ResourceRef
from .values import get_key, items_of

_SERVICE_TYPES = ("AWS::ECS::Service", "AWS::ECS::TaskSet")


def link_instance_capacity(mapper: Any) -> None:
    """Fill ``Workload.instance_capacity`` for the services and task sets not in ``awsvpc`` mode."""
    workloads = [w for w in mapper.model.workloads if uses_instance_network(w)]
    if not workloads:
        return
    finder = _CapacityFinder(mapper)
    for workload in workloads:
        resource = workload.loc.logical_name.split("/", 1)[0]
        res = mapper.resources.get(resource)
        if not isinstance(res, dict) or res.get("Type") not in _SERVICE_TYPES:
            continue
        for asg in finder.groups_for(mapper.props(resource)):
            capacity = finder.capacity(asg)
            if capacity is not None:
                workload.instance_capacity.append(capacity)


class _CapacityFinder:
    def __init__(self, mapper: Any) -> None:
        self.mapper = mapper
        self.resources = mapper.resources
        # Capacity provider (logical id, or its Name) -> Auto Scaling group logical id.
        self.providers: dict[str, str] = {}
        for name, _ in mapper.of_type("AWS::ECS::CapacityProvider"):
            p = mapper.props(name)
            arn = get_key(get_key(p, "AutoScalingGroupProvider"), "AutoScalingGroupArn")
            asg = self._logical(arn, "AWS::AutoScaling::AutoScalingGroup")
            if asg is None:
                continue
            self.providers[name] = asg
            if isinstance(get_key(p, "Name"), str):
                self.providers[get_key(p, "Name")] = asg
        # Cluster logical id -> (associated providers, default strategy or None).
        self.clusters: dict[str, tuple[list[Any], Any]] = {}
        for name, _ in mapper.of_type("AWS::ECS::Cluster"):
            p = mapper.props(name)
            self.clusters[name] = (
                items_of(get_key(p, "CapacityProviders")),
                get_key(p, "DefaultCapacityProviderStrategy"),
            )
        for name, _ in mapper.of_type("AWS::ECS::ClusterCapacityProviderAssociations"):
            p = mapper.props(name)
            cluster = self._logical(get_key(p, "Cluster"), "AWS::ECS::Cluster")
            if cluster is not None:
                self.clusters[cluster] = (
                    items_of(get_key(p, "CapacityProviders")),
                    get_key(p, "DefaultCapacityProviderStrategy"),
                )

    def _logical(self, value: Any, rtype: str) -> str | None:
        if isinstance(value, ResourceRef) and get_key(self.resources.get(value.logical_id), "Type") == rtype:
            return value.logical_id
        return None

    def _provider_group(self, value: Any) -> str | None:
        if isinstance(value, ResourceRef):
            return self.providers.get(value.logical_id)
        return self.providers.get(value) if isinstance(value, str) else None

    def _strategy_groups(self, strategy: Any) -> list[str]:
        found = []
        for item in items_of(strategy):
            weight, base = get_key(item, "Weight"), get_key(item, "Base")
            # Weight defaults to 0; a provider with weight 0 and no base is given no tasks.
            if not gets_tasks(weight, base):
                continue
            asg = self._provider_group(get_key(item, "CapacityProvider"))
            if asg is not None and asg not in found:
                found.append(asg)
        return found

    def groups_for(self, p: Any) -> list[str]:
        """The Auto Scaling groups some of this workload's tasks are placed on."""
        strategy = get_key(p, "CapacityProviderStrategy")
        if strategy is not None:
            return self._strategy_groups(strategy)
        cluster = self._logical(get_key(p, "Cluster"), "AWS::ECS::Cluster")
        if cluster is None or cluster not in self.clusters:
            return []
        providers, default = self.clusters[cluster]
        launch = get_key(p, "LaunchType")
        if launch == "EC2":
            # Any container instance of the cluster may get the task.
            groups = [self._provider_group(v) for v in providers]
            return list(dict.fromkeys(g for g in groups if g is not None))
        if launch is None:
            return self._strategy_groups(default)
        return []

    def capacity(self, asg: str) -> InstanceCapacity | None:
        mapper = self.mapper
        p = mapper.props(asg)
        zones = get_key(p, "VPCZoneIdentifier")
        subnets = [mapper.subnet(s) for s in zones] if isinstance(zones, list) else None
        groups, loc = self._launch_groups(p)
        if groups is None:
            return None
        return InstanceCapacity(
            loc=loc or mapper.loc(asg), label=asg, subnets=subnets, security_groups=groups
        )

    def _launch_groups(self, asg_props: Any) -> tuple[Any, Any]:
        """(security groups, location of the list) of the group's launch template or configuration."""
        mapper = self.mapper
        spec = get_key(asg_props, "LaunchTemplate") or get_key(
            get_key(get_key(asg_props, "MixedInstancesPolicy"), "LaunchTemplate"),
            "LaunchTemplateSpecification",
        )
        if spec is not None:
            template = self._launch_template(spec)
            if template is None:
                return None, None
            data = get_key(mapper.props(template), "LaunchTemplateData")
            interfaces = items_of(get_key(data, "NetworkInterfaces"))
            primary = [n for n in interfaces if get_key(n, "DeviceIndex") in (0, None)]
            for container, key in (
                (primary[0] if len(primary) == 1 else None, "Groups"),
                (data, "SecurityGroupIds"),
                (data, "SecurityGroups"),
            ):
                value = get_key(container, key)
                if value is not None:
                    return self._groups(value), mapper.loc(template, container, key)
            # No group given: the VPC's default group, whose rules we cannot see.
            return Unknown("the launch template names no security group"), mapper.loc(template)
        config = self._logical(
            get_key(asg_props, "LaunchConfigurationName"), "AWS::AutoScaling::LaunchConfiguration"
        )
        if config is None:
            return None, None
        p = mapper.props(config)
        value = get_key(p, "SecurityGroups")
        if value is None:
            return Unknown("the launch configuration names no security group"), mapper.loc(config)
        return self._groups(value), mapper.loc(config, p, "SecurityGroups")

    def _launch_template(self, spec: Any) -> str | None:
        for key in ("LaunchTemplateId", "LaunchTemplateName"):
            found = self._logical(get_key(spec, key), "AWS::EC2::LaunchTemplate")
            if found is not None:
                return found
        name = get_key(spec, "LaunchTemplateName")
        if isinstance(name, str):
            for logical, _ in self.mapper.of_type("AWS::EC2::LaunchTemplate"):
                if get_key(self.mapper.props(logical), "LaunchTemplateName") == name:
                    return logical
        return None

    def _groups(self, value: Any) -> Any:
        if not isinstance(value, list):
            return Unknown("security groups known only at deployment")
        return [self.mapper.security_group(g) for g in value]
