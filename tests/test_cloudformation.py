"""The CloudFormation front-end: parsing, intrinsic resolution, resource mapping, bad input."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from efslint.cli.commands import cli
from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.findings import Finding
from efslint.model import Model, PartlyKnown, SecurityGroup, Subnet, Unknown, Vpc
from efslint.pipeline.lint import lint_paths
from efslint.sources.cloudformation import yaml_loader as cfn_yaml
from efslint.sources.cloudformation.resolve import AzList, Resolver, ResourceRef
from efslint.sources.cloudformation.template import load_yaml
from efslint.sources.errors import InputError


def template(body: str) -> str:
    return 'AWSTemplateFormatVersion: "2010-09-09"\n' + textwrap.dedent(body)


def model_of(text: str, name: str = "t.yaml") -> Model:
    model = load_yaml(name, text, explicit=True)
    assert model is not None
    return model


def lint(tmp_path: Path, text: str, name: str = "template.yaml") -> list[Finding]:
    path = tmp_path / name
    path.write_text(text)
    return lint_paths(Engine(Catalog.load()), [str(path)]).findings


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


# --------------------------------------------------------------------------------------------
# YAML reader


def test_short_forms_become_long_forms_with_positions() -> None:
    doc = cfn_yaml.loads("a: !Ref X\nb: !GetAtt R.Arn\nc: !Select [0, !GetAZs '']\nd: !Condition C\n")
    assert doc == {
        "a": {"Ref": "X"},
        "b": {"Fn::GetAtt": "R.Arn"},
        "c": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        "d": {"Condition": "C"},
    }
    assert doc.key_pos["c"] == (3, 1)
    assert doc.value_pos["c"] == (3, 4)


def test_keys_stay_as_written_and_dates_stay_strings() -> None:
    doc = cfn_yaml.loads("AWSTemplateFormatVersion: 2010-09-09\nYes: on\nMode: '0755'\nPerm: 0750\n")
    assert doc == {"AWSTemplateFormatVersion": "2010-09-09", "Yes": True, "Mode": "0755", "Perm": "0750"}


def test_duplicate_keys_are_recorded() -> None:
    doc = cfn_yaml.loads("a: 1\nb: 2\na: 3\n")
    assert doc.duplicates == [("a", (3, 1))]


def test_merge_keys_and_aliases() -> None:
    doc = cfn_yaml.loads("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n")
    assert doc["m"] == {"x": 1, "y": 3}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [1, 2\n", "invalid YAML"),
        ("a: !Foo x\n", "unknown tag '!Foo' at line 1"),
        ("a: !!python/object:os.system x\n", "unknown tag '!!python/object:os.system'"),
        ("a: " + "[" * 10_000 + "]" * 10_000 + "\n", "invalid YAML"),
        ("a:\n  " + "- " * 10_000 + "x\n", "invalid YAML"),
        ("{[1]: 2}\n", "a mapping key must be a plain value"),
    ],
)
def test_bad_yaml_is_an_input_error(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        cfn_yaml.loads(text)
    assert message in info.value.message


def test_nesting_beyond_the_limit_is_refused_with_the_line() -> None:
    text = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 230)) + "  " * 230 + "v: 1\n"
    with pytest.raises(InputError, match="nesting deeper than 200 levels at line"):
        cfn_yaml.loads(text)


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


def test_alias_bomb_is_refused() -> None:
    with pytest.raises(InputError, match="alias bomb"):
        cfn_yaml.loads(ALIAS_BOMB)


# --------------------------------------------------------------------------------------------
# Bad input through the command line: EFS000, exit 2, never a traceback


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invalid.yaml", "Resources:\n  A: [\n", "invalid YAML"),
        (
            "unknown-tag.yaml",
            "Resources:\n  A:\n    Type: AWS::EFS::FileSystem\n    X: !Bogus y\n",
            "unknown tag",
        ),
        ("list.yaml", "Resources:\n  - Type: AWS::EFS::FileSystem\n", "Resources must be a mapping"),
        ("list.json", '{"Resources": [{"Type": "AWS::EFS::FileSystem"}]}', "Resources must be a mapping"),
        (
            "dup.json",
            '{"Resources": {"A": {"Type": "AWS::EFS::FileSystem"},\n "A": {"Type": "AWS::EFS::FileSystem"}}}',
            "duplicate key 'A' at line 2",
        ),
        (
            "scalar.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources: AWS::EFS::FileSystem\n",
            "Resources must be a mapping of logical ids to resources, not a string",
        ),
        ("bomb.yaml", "Resources: {}\n# AWS::\n" + ALIAS_BOMB, "alias bomb"),
        (
            "dup.yaml",
            "Resources:\n  A:\n    Type: AWS::EFS::FileSystem\n  A:\n    Type: AWS::EFS::FileSystem\n",
            "duplicate key 'A' at line 4",
        ),
    ],
)
def test_bad_templates_give_efs000_and_exit_2(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    code, out = run_cli(str(path))
    assert code == 2
    (line,) = [line for line in out.splitlines() if " EFS000 [error] " in line]
    assert line.startswith(f"{path.name}: EFS000") or f"{path.name}:" in line
    assert message in line
    assert "Traceback" not in out


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_huge_template_is_refused_before_parsing(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"huge{suffix}"
    item = '"R{i}": {{"Type": "AWS::EC2::SecurityGroup", "Properties": {{"GroupDescription": "{pad}"}}}}'
    body = ", ".join(item.format(i=i, pad="x" * 400) for i in range(120_000))
    path.write_text('{"Resources": {' + body + "}}")
    assert path.stat().st_size > 50_000_000
    code, out = run_cli(str(path))
    assert code == 2
    assert "EFS000 [error] template is 5" in out and "CloudFormation accepts at most 1 MB" in out


def test_yaml_that_is_not_a_template_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("replicaCount: 2\nimage: {repository: nginx}\n")
    code, out = run_cli(str(path))
    assert code == 0
    assert "EFS000" not in out


# --------------------------------------------------------------------------------------------
# Intrinsic functions


def resolver(text: str) -> Resolver:
    return Resolver(cfn_yaml.loads(template(text)))


RESOLVE = """
Parameters:
  WithDefault: {Type: String, Default: ENABLED}
  NoDefault: {Type: String}
  Subnets: {Type: CommaDelimitedList, Default: "subnet-a, subnet-b"}
  FromSsm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /efs/mode}
Mappings:
  Env: {prod: {Mode: ENABLED}}
Conditions:
  IsEnabled: !Equals [!Ref WithDefault, ENABLED]
  Unknowable: !Equals [!Ref NoDefault, x]
  Both: !And [!Condition IsEnabled, !Not [!Condition IsEnabled]]
  Either: !Or [!Condition IsEnabled, !Condition Unknowable]
  Loop: !Not [!Condition Loop]
Resources:
  FS: {Type: AWS::EFS::FileSystem}
"""


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ({"Ref": "WithDefault"}, "ENABLED"),
        ({"Fn::Select": [1, {"Ref": "Subnets"}]}, "subnet-b"),
        ({"Fn::Select": [1, {"Fn::GetAZs": ""}]}, "GetAZs('')#1"),
        ({"Fn::Select": [0, {"Fn::GetAZs": {"Ref": "AWS::Region"}}]}, "GetAZs('')#0"),
        ({"Fn::FindInMap": ["Env", "prod", "Mode"]}, "ENABLED"),
        ({"Fn::If": ["IsEnabled", "yes", "no"]}, "yes"),
        ({"Fn::If": ["Unknowable", "same", "same"]}, "same"),
        ({"Fn::Join": ["-", ["a", {"Ref": "WithDefault"}]]}, "a-ENABLED"),
        ({"Fn::Sub": "x-${WithDefault}-${!Literal}"}, "x-ENABLED-${Literal}"),
        ({"Fn::Sub": ["${A}/${B}", {"A": "1", "B": {"Ref": "WithDefault"}}]}, "1/ENABLED"),
        ({"Fn::Split": [",", "a,b"]}, ["a", "b"]),
        ({"Ref": "FS"}, ResourceRef("FS")),
        ({"Fn::GetAtt": ["FS", "Arn"]}, ResourceRef("FS", "Arn")),
        ({"Fn::GetAtt": "FS.FileSystemId"}, ResourceRef("FS", "FileSystemId")),
    ],
)
def test_resolved_values(expression: object, expected: object) -> None:
    assert resolver(RESOLVE).resolve(expression) == expected


@pytest.mark.parametrize(
    ("expression", "text"),
    [
        # The partition is the deployment's (aws, aws-cn, aws-us-gov): a placeholder, never "aws".
        ({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/P"]]},
         "arn:${AWS::Partition}:iam::aws:policy/P"),
        ({"Fn::Sub": "arn:${AWS::Partition}:iam::123456789012:role/${WithDefault}"},
         "arn:${AWS::Partition}:iam::123456789012:role/ENABLED"),
    ],
)  # fmt: skip
def test_partition_stays_a_placeholder_in_known_text(expression: object, text: str) -> None:
    assert resolver(RESOLVE).resolve(expression) == text


@pytest.mark.parametrize(
    ("expression", "text"),
    [
        ({"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "iam", "", {"Ref": "AWS::AccountId"}, "root"]]},
         "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"),
        ({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${WithDefault}"},
         "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/ENABLED"),
        ({"Fn::Sub": "arn:aws-cn:iam::${NoDefault}:role/x"}, "arn:aws-cn:iam::${NoDefault}:role/x"),
    ],
)  # fmt: skip
def test_deployment_values_stay_placeholders(expression: object, text: str) -> None:
    value = resolver(RESOLVE).resolve(expression)
    assert isinstance(value, PartlyKnown) and value.template == text


@pytest.mark.parametrize(
    "expression",
    [
        {"Ref": "NoDefault"},
        {"Ref": "FromSsm"},
        {"Ref": "AWS::Region"},
        {"Ref": "Missing"},
        {"Fn::ImportValue": "shared"},
        {"Fn::If": ["Unknowable", "a", "b"]},
        {"Fn::If": ["NotDefined", "a", "b"]},
        {"Fn::Sub": "arn:aws:elasticfilesystem:${AWS::Region}:x:file-system/${FS}"},
        {"Fn::Select": [5, {"Fn::Split": [",", "a,b"]}]},
        {"Fn::Base64": "x"},
    ],
)
def test_unresolvable_values_are_unknown(expression: object) -> None:
    assert isinstance(resolver(RESOLVE).resolve(expression), Unknown)


def test_conditions() -> None:
    r = resolver(RESOLVE)
    assert r.condition("IsEnabled") is True
    assert r.condition("Both") is False
    assert r.condition("Either") is True
    assert isinstance(r.condition("Unknowable"), Unknown)
    assert isinstance(r.condition("Loop"), Unknown)


def test_no_value_removes_keys_and_items() -> None:
    value = resolver(RESOLVE).resolve(
        {"a": {"Ref": "AWS::NoValue"}, "b": [1, {"Fn::If": ["IsEnabled", {"Ref": "AWS::NoValue"}, 2]}]}
    )
    assert value == {"b": [1]}


def test_parameter_default_is_noted() -> None:
    value, note = resolver(RESOLVE).resolve_noted({"Ref": "WithDefault"})
    assert value == "ENABLED"
    assert note == "from the default of parameter WithDefault: 'ENABLED'"


def test_get_azs_alone_is_not_a_value() -> None:
    assert resolver(RESOLVE).resolve({"Fn::GetAZs": ""}) == AzList("GetAZs('')")


def test_large_condition_sets_resolve_in_linear_time() -> None:
    # Each condition refers to the previous one twice: naive re-evaluation would be 2**400 steps.
    conditions = "\n".join(
        f"  C{i}: !Or [!Condition C{i - 1}, !Not [!Condition C{i - 1}]]" for i in range(1, 400)
    )
    text = f"Parameters:\n  P: {{Type: String}}\nConditions:\n  C0: !Equals [!Ref P, x]\n{conditions}\nResources: {{}}\n"
    assert isinstance(resolver(text).condition("C399"), Unknown)


# --------------------------------------------------------------------------------------------
# Resource mapping


NETWORK = """
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, AvailabilityZone: !Select [1, !GetAZs ""], CidrBlock: 10.0.1.0/24}
  Open:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: no egress rules
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: -1, SourceSecurityGroupId: !GetAtt Closed.GroupId}
        - {IpProtocol: "6", FromPort: "2049", ToPort: 2049, CidrIp: 10.0.0.0/16}
        - {IpProtocol: tcp, FromPort: 2049, ToPort: 2049, SourceSecurityGroupId: sg-0123456789abcdef0}
  Closed:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: separate egress, VpcId: !Ref Vpc}
  ClosedEgress:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: {GroupId: !Ref Closed, IpProtocol: "17", FromPort: 53, ToPort: 53, CidrIp: 10.0.0.2/32}
"""


def test_security_groups_normalise_protocols_and_link_peers() -> None:
    model = model_of(template(NETWORK))
    open_, closed = model.security_groups
    external = open_.ingress[2].peer_group
    assert [(r.protocol, r.from_port, r.to_port) for r in open_.ingress] == [
        ("-1", None, None),
        ("tcp", 2049, 2049),
        ("tcp", 2049, 2049),
    ]
    assert open_.ingress[0].peer_group is closed
    assert open_.ingress[1].cidr_ipv4 == "10.0.0.0/16"
    assert isinstance(external, SecurityGroup) and external.id == "sg-0123456789abcdef0"
    assert external.rules_known is False
    # No egress rules: EC2's allow-all egress (IPv4 and IPv6) is materialised.
    assert [(r.protocol, r.cidr_ipv4, r.cidr_ipv6) for r in open_.egress] == [
        ("-1", "0.0.0.0/0", None),
        ("-1", None, "::/0"),
    ]
    # A separate egress resource removes the default rule.
    assert [(r.protocol, r.from_port) for r in closed.egress] == [("udp", 53)]


def test_conditional_separate_egress_may_leave_the_default_rule(tmp_path: Path) -> None:
    # Only when the condition holds does the separate egress rule replace EC2's allow-all egress;
    # otherwise the task can still reach 2049, so EFS305 cannot be proved.
    text = template("""
    Conditions:
      Restrict: !Equals [!Ref AWS::Region, eu-west-1]
    Resources:
      FS: {Type: AWS::EFS::FileSystem, Properties: {Encrypted: true}}
      MtSg:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: mount targets
          VpcId: vpc-0123456789abcdef0
          SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 2049, ToPort: 2049, SourceSecurityGroupId: !Ref TaskSg}]
      MT:
        Type: AWS::EFS::MountTarget
        Properties: {FileSystemId: !Ref FS, SubnetId: subnet-0123456789abcdef0, SecurityGroups: [!Ref MtSg]}
      TaskSg:
        Type: AWS::EC2::SecurityGroup
        Properties: {GroupDescription: tasks, VpcId: vpc-0123456789abcdef0}
      HttpsOnly:
        Type: AWS::EC2::SecurityGroupEgress
        Condition: Restrict
        Properties: {GroupId: !Ref TaskSg, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
      TD:
        Type: AWS::ECS::TaskDefinition
        Properties:
          NetworkMode: awsvpc
          RequiresCompatibilities: [FARGATE]
          ContainerDefinitions: [{Name: app, Image: nginx, MountPoints: [{SourceVolume: data, ContainerPath: /d}]}]
          Volumes: [{Name: data, EFSVolumeConfiguration: {FilesystemId: !Ref FS, TransitEncryption: ENABLED}}]
      Service:
        Type: AWS::ECS::Service
        DependsOn: MT
        Properties:
          LaunchType: FARGATE
          TaskDefinition: !Ref TD
          NetworkConfiguration:
            AwsvpcConfiguration: {Subnets: [subnet-0123456789abcdef0], SecurityGroups: [!Ref TaskSg]}
    """)
    task_sg = model_of(text).security_groups[1]
    assert [(r.protocol, r.cidr_ipv4, r.cidr_ipv6, r.conditional) for r in task_sg.egress] == [
        ("tcp", "0.0.0.0/0", None, True),
        ("-1", "0.0.0.0/0", None, True),
        ("-1", None, "::/0", True),
    ]
    assert [f.rule_id for f in lint(tmp_path, text) if f.rule_id == "EFS305"] == []
    # Without the condition the default rule is gone and the finding is proved.
    unconditional = text.replace("    Condition: Restrict\n", "")
    assert unconditional != text
    assert [f.rule_id for f in lint(tmp_path, unconditional) if f.rule_id == "EFS305"] == ["EFS305"]


def test_authorization_config_chosen_by_a_condition_is_unknown(tmp_path: Path) -> None:
    # Both branches enable IAM: "omitted means DISABLED" must not apply to a block we cannot read.
    text = template("""
    Parameters:
      Env: {Type: String}
    Conditions:
      Prod: !Equals [!Ref Env, prod]
    Resources:
      FS: {Type: AWS::EFS::FileSystem, Properties: {Encrypted: true}}
      AP: {Type: AWS::EFS::AccessPoint, Properties: {FileSystemId: !Ref FS}}
      TD:
        Type: AWS::ECS::TaskDefinition
        Properties:
          TaskRoleArn: arn:aws:iam::111122223333:role/app
          ContainerDefinitions: [{Name: app, Image: nginx, MountPoints: [{SourceVolume: data, ContainerPath: /d}]}]
          Volumes:
            - Name: data
              EFSVolumeConfiguration:
                FilesystemId: !Ref FS
                TransitEncryption: ENABLED
                AuthorizationConfig: !If [Prod, {IAM: ENABLED, AccessPointId: !Ref AP}, {IAM: ENABLED}]
    """)
    (volume,) = model_of(text).task_definitions[0].efs_volumes
    assert isinstance(volume.iam, Unknown)
    assert isinstance(volume.access_point_id, Unknown) and volume.access_point is None
    found = {f.rule_id for f in lint(tmp_path, text)}
    assert not found & {"EFS105", "EFS112"}


def test_a_name_known_only_at_deployment_reads_as_unknown_in_messages(tmp_path: Path) -> None:
    text = template("""
    Parameters:
      Env: {Type: String}
    Resources:
      TD:
        Type: AWS::ECS::TaskDefinition
        Properties:
          ContainerDefinitions: [{Name: app, Image: nginx, MountPoints: [{SourceVolume: !Sub "${Env}-data"}]}]
          Volumes:
            - Name: !Sub "${Env}-data"
              EFSVolumeConfiguration: {FilesystemId: fs-0123456789abcdef0, TransitEncryption: ENABLED}
    """)
    (message,) = [f.message for f in lint(tmp_path, text) if f.rule_id == "EFS112"]
    assert message.startswith("EFS volume 'unknown' mounts the file system directly")


def test_subnet_vpc_and_symbolic_az() -> None:
    model = model_of(template(NETWORK))
    (subnet,) = model.subnets
    (vpc,) = model.vpcs
    assert isinstance(subnet, Subnet) and subnet.vpc is vpc
    assert subnet.availability_zone == "GetAZs('')#1"
    assert subnet.route_to_igw is False and subnet.map_public_ip is False
    assert isinstance(vpc, Vpc) and vpc.dns_support is True and vpc.dns_hostnames is False


WORKLOADS = """
Parameters:
  Subnet: {Type: String}
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      DefaultCapacityProviderStrategy: [{CapacityProvider: FARGATE, Weight: 1}]
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: app, Image: nginx}]
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref TaskDefinition
      NetworkConfiguration:
        AwsvpcConfiguration: {Subnets: [subnet-0123456789abcdef0]}
  WrongSpelling:
    Type: AWS::ECS::Service
    Properties:
      LaunchType: FARGATE
      TaskDefinition: !Ref TaskDefinition
      NetworkConfiguration:
        AwsVpcConfiguration: {Subnets: [subnet-0123456789abcdef0]}
  TaskSet:
    Type: AWS::ECS::TaskSet
    Properties:
      Cluster: external
      Service: !Ref Service
      TaskDefinition: !Ref TaskDefinition
      NetworkConfiguration:
        AwsVpcConfiguration: {Subnets: [!Ref Subnet]}
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets:
        - Id: batch
          Arn: !GetAtt Cluster.Arn
          EcsParameters:
            TaskDefinitionArn: !Ref TaskDefinition
            LaunchType: FARGATE
            PlatformVersion: 1.3.0
            NetworkConfiguration:
              AwsVpcConfiguration: {Subnets: [subnet-0123456789abcdef0]}
  Schedule:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: rate(1 hour)
      FlexibleTimeWindow: {Mode: "OFF"}
      Target:
        Arn: !GetAtt Cluster.Arn
        RoleArn: arn:aws:iam::111122223333:role/scheduler
        EcsParameters:
          TaskDefinitionArn: !Ref TaskDefinition
          CapacityProviderStrategy: [{CapacityProvider: FARGATE_SPOT}]
          NetworkConfiguration:
            AwsvpcConfiguration: {Subnets: [subnet-0123456789abcdef0]}
"""


def test_workloads_of_every_kind() -> None:
    model = model_of(template(WORKLOADS))
    by_name = {w.loc.logical_name: w for w in model.workloads}
    assert set(by_name) == {"Service", "WrongSpelling", "TaskSet", "Rule/Targets/batch", "Schedule"}
    (td,) = model.task_definitions
    assert all(w.task_definition is td for w in model.workloads)
    service = by_name["Service"]
    assert service.launch_type is None and service.capacity_providers == ["FARGATE"]
    assert [s.id for s in service.subnets] == ["subnet-0123456789abcdef0"]
    # The same literal subnet id is one external entity everywhere.
    assert by_name["Schedule"].subnets[0] is service.subnets[0]
    # AwsVpcConfiguration is the task-set/events spelling, not the service's: claim nothing.
    assert isinstance(by_name["WrongSpelling"].subnets, Unknown)
    assert isinstance(by_name["TaskSet"].capacity_providers, Unknown)
    assert isinstance(by_name["TaskSet"].subnets[0], Unknown)
    rule = by_name["Rule/Targets/batch"]
    assert (rule.workload_type, rule.launch_type, rule.platform_version) == (
        "events_rule",
        "FARGATE",
        "1.3.0",
    )
    assert by_name["Schedule"].capacity_providers == ["FARGATE_SPOT"]


def test_waits_for_is_transitive_over_depends_on_and_references() -> None:
    text = template("""
    Resources:
      FS: {Type: AWS::EFS::FileSystem}
      MT1: {Type: AWS::EFS::MountTarget, Properties: {FileSystemId: !Ref FS, SubnetId: subnet-0123456789abcdef0, SecurityGroups: []}}
      MT2: {Type: AWS::EFS::MountTarget, Properties: {FileSystemId: !Ref FS, SubnetId: subnet-0fedcba987654321f, SecurityGroups: []}}
      Gate: {Type: AWS::CloudFormation::WaitConditionHandle, DependsOn: MT1}
      Param: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: !Sub "${MT2}"}}
      TD: {Type: AWS::ECS::TaskDefinition, Properties: {Tags: [{Key: k, Value: !Ref Param}]}}
      Service: {Type: AWS::ECS::Service, DependsOn: [Gate], Properties: {TaskDefinition: !Ref TD}}
    """)
    model = model_of(text)
    (service,) = model.workloads
    assert {e.label for e in service.waits_for} >= {"MT1", "MT2", "TD"}


def test_conditional_resources_and_metadata_suppressions() -> None:
    text = template("""
    Conditions:
      Never: !Equals [a, b]
    Resources:
      FS:
        Type: AWS::EFS::FileSystem
        Condition: Never
        Metadata:
          efslint:
            ignore: [EFS501, {rule: file-system-no-backup, reason: archive only}]
    """)
    (fs,) = model_of(text).file_systems
    assert fs.conditional is True
    assert fs.suppressions == {"EFS501": "Metadata efslint ignore", "file-system-no-backup": "archive only"}


def test_task_role_and_policies_attach_to_the_role() -> None:
    text = template("""
    Resources:
      FS: {Type: AWS::EFS::FileSystem}
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument: {}
          ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonElasticFileSystemClientReadWriteAccess]
      Extra:
        Type: AWS::IAM::Policy
        Properties:
          Roles: [!Ref Role]
          PolicyDocument:
            Statement: [{Effect: Deny, Action: "elasticfilesystem:*", Resource: !GetAtt FS.Arn}]
      Unknowable:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument: {}
          ManagedPolicyArns: [arn:aws:iam::111122223333:policy/custom]
      TD:
        Type: AWS::ECS::TaskDefinition
        Properties: {TaskRoleArn: !GetAtt Role.Arn}
    """)
    model = model_of(text)
    role, unknowable = model.roles
    (fs,) = model.file_systems
    assert model.task_definitions[0].task_role_entity is role
    assert [s.effect for s in role.statements] == ["Allow", "Deny"]
    assert role.statements[1].resources == [fs]
    assert role.statements_known is True
    assert unknowable.statements_known is False


def test_external_file_system_from_a_literal_id() -> None:
    text = template("""
    Resources:
      MT: {Type: AWS::EFS::MountTarget, Properties: {FileSystemId: fs-0123456789abcdef0, SubnetId: subnet-0123456789abcdef0, SecurityGroups: [sg-0123456789abcdef0]}}
      TD:
        Type: AWS::ECS::TaskDefinition
        Properties:
          Volumes: [{Name: data, EFSVolumeConfiguration: {FilesystemId: fs-0123456789abcdef0}}]
    """)
    model = model_of(text)
    (volume,) = model.task_definitions[0].efs_volumes
    (mt,) = model.mount_targets
    assert volume.file_system is mt.file_system
    assert volume.file_system.defined_here is False
    assert volume.file_system.mount_targets_known is False
    assert isinstance(volume.file_system.encrypted, Unknown)


# --------------------------------------------------------------------------------------------
# Messages, suppressions, CDK, SAM


FIXTURES = Path(__file__).parent / "fixtures" / "cloudformation"


def test_message_says_the_value_comes_from_a_parameter_default() -> None:
    findings = lint_paths(Engine(Catalog.load()), [str(FIXTURES / "EFS102-fire.yaml")]).findings
    (finding,) = [f for f in findings if f.rule_id == "EFS102"]
    assert finding.message.endswith("(value from the default of parameter Encryption: 'DISABLED')")


def test_cdk_construct_path_is_shown(tmp_path: Path) -> None:
    doc = {
        "Resources": {
            "TaskDef1A2B3C": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "ContainerDefinitions": [
                        {"Name": "app", "MountPoints": [{"SourceVolume": "data", "ContainerPath": "/d"}]}
                    ],
                    "Volumes": [
                        {"Name": "data", "EFSVolumeConfiguration": {"FilesystemId": "fs-0123456789abcdef0"}}
                    ],
                },
                "Metadata": {"aws:cdk:path": "AppStack/TaskDef/Resource"},
            }
        }
    }
    (tmp_path / "cdk.out").mkdir()
    findings = lint(tmp_path, json.dumps(doc, indent=1), "cdk.out/AppStack.template.json")
    (finding,) = [f for f in findings if f.rule_id == "EFS104"]
    assert finding.message.endswith("(CDK construct AppStack/TaskDef/Resource)")
    assert finding.location.logical_name == "TaskDef1A2B3C/Volumes/data"


VOLUME = """
Resources:
  TD:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: app, MountPoints: [{SourceVolume: data, ContainerPath: /d}]}]
      Volumes:
        - Name: data
          # efslint: ignore[EFS105, EFS106] two at once
          EFSVolumeConfiguration:
            FilesystemId: fs-0123456789abcdef0
            TransitEncryption: DISABLED # efslint: ignore[transit-encryption-disabled] lab only
"""


def test_comment_suppressions_and_unused_ones(tmp_path: Path) -> None:
    findings = lint(tmp_path, template(VOLUME))
    assert {(f.rule_id, f.location.line, f.suppressed) for f in findings if f.rule_id != "EFS001"} == {
        ("EFS104", 13, ("inSource", "lab only")),
        ("EFS105", 11, ("inSource", "two at once")),
        ("EFS112", 11, None),
    }
    (unused,) = [f for f in findings if f.rule_id == "EFS001"]
    assert (unused.location.line, unused.message) == (
        10,
        "suppression of EFS106 matches no finding; remove it",
    )


def test_metadata_suppression_silences_the_volume(tmp_path: Path) -> None:
    text = template(VOLUME).replace(
        "    Type: AWS::ECS::TaskDefinition\n",
        "    Type: AWS::ECS::TaskDefinition\n    Metadata: {efslint: {ignore: [EFS112]}}\n",
    )
    findings = lint(tmp_path, text)
    (finding,) = [f for f in findings if f.rule_id == "EFS112"]
    assert finding.suppressed == ("inSource", "Metadata efslint ignore")


def test_sam_template_is_linted(tmp_path: Path) -> None:
    text = template("""
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function: {Timeout: 3}
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties: {Handler: index.handler, Runtime: python3.12, InlineCode: "def handler(e, c): pass"}
      FS:
        Type: AWS::EFS::FileSystem
    """)
    findings = lint(tmp_path, text)
    assert [(f.rule_id, f.location.line) for f in findings if f.rule_id == "EFS501"] == [("EFS501", 10)]


def test_language_extensions_foreach_makes_lists_incomplete() -> None:
    text = template("""
    Transform: AWS::LanguageExtensions
    Resources:
      FS: {Type: AWS::EFS::FileSystem}
      SG: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x}}
      Fn::ForEach::Targets:
        - Subnet
        - [subnet-0123456789abcdef0, subnet-0fedcba987654321f]
        - MountTarget${Subnet}:
            Type: AWS::EFS::MountTarget
            Properties: {FileSystemId: !Ref FS, SubnetId: !Ref Subnet, SecurityGroups: [!Ref SG]}
    """)
    model = model_of(text)
    assert [n for n, *_ in model.notes] == []
    assert model.file_systems[0].mount_targets_known is False
    assert model.security_groups[0].rules_known is False


def test_other_yaml_dialects_with_aws_mentions_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "ci"
    path.mkdir()
    (path / "gitlab-ci.yml").write_text(
        "deploy:\n  script: [!reference [.aws, script], 'echo AWS::Region']\n"
    )
    code, out = run_cli(str(path))
    assert code == 0
    assert "EFS000" not in out
    # Named explicitly it is reported, as any unreadable input is.
    code, out = run_cli(str(path / "gitlab-ci.yml"))
    assert code == 2 and "unknown tag '!reference'" in out


def test_metadata_suppresses_front_end_findings_too(tmp_path: Path) -> None:
    text = (FIXTURES / "EFS104-quiet.yaml").read_text()
    assert [f.rule_id for f in lint(tmp_path, text) if f.rule_id == "EFS109"] == ["EFS109"]
    quiet = text.replace(
        "    Type: AWS::ECS::TaskDefinition\n",
        "    Type: AWS::ECS::TaskDefinition\n    Metadata: {efslint: {ignore: [invalid-efs-volume]}}\n",
    )
    findings = lint(tmp_path, quiet)
    assert [f.suppressed for f in findings if f.rule_id == "EFS109"] == [
        ("inSource", "Metadata efslint ignore")
    ]
    # The suppression is used, so it is not reported as stale.
    assert [f for f in findings if f.rule_id == "EFS001"] == []


def test_nested_stack_templates_are_linted_as_their_own(tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "storage.yaml").write_text(
        template("""
        Resources:
          FS:
            Type: AWS::EFS::FileSystem
        """)
    )
    (tmp_path / "parent.yaml").write_text(
        template("""
        Resources:
          Storage:
            Type: AWS::CloudFormation::Stack
            Properties:
              TemplateURL: nested/storage.yaml
          Remote:
            Type: AWS::CloudFormation::Stack
            Properties:
              TemplateURL: https://s3.amazonaws.com/bucket/other.yaml
        """)
    )
    engine = Engine(Catalog.load())
    for paths in (
        [tmp_path / "parent.yaml"],
        [tmp_path / "parent.yaml", tmp_path / "nested" / "storage.yaml"],
    ):
        findings = lint_paths(engine, [str(p) for p in paths]).findings
        # Linted once, whether or not it was also named.
        assert [(Path(f.location.file).name, f.rule_id) for f in findings if f.rule_id == "EFS501"] == [
            ("storage.yaml", "EFS501")
        ]


def test_linting_a_template_imports_neither_cfn_lint_nor_the_pure_python_parser() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from efslint.cli.commands import cli\n"
        "try:\n"
        f"    cli([{str(FIXTURES / 'EFS101-fire.yaml')!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('cfnlint', 'boto', 'jsonschema', 'hcl2'))))\n"
        "print('yaml._yaml' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-2:] == ["[]", "True"]


BACKUP = """
Resources:
  Named: {Type: AWS::EFS::FileSystem, Properties: {Encrypted: true}}
  Other: {Type: AWS::EFS::FileSystem, Properties: {Encrypted: true}}
  Plan:
    Type: AWS::Backup::BackupPlan
    Properties: {BackupPlan: {BackupPlanName: daily, BackupPlanRule: []}}
  Selection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref Plan
      BackupSelection:
        SelectionName: efs
        IamRoleArn: arn:aws:iam::111122223333:role/backup
        Resources: [!GetAtt Named.Arn]
"""


def test_aws_backup_selection_counts_as_backup() -> None:
    named, other = model_of(template(BACKUP)).file_systems
    assert (named.backup, other.backup) == (True, False)
    named, other = model_of(template(BACKUP.replace("[!GetAtt Named.Arn]", "['*']"))).file_systems
    assert isinstance(named.backup, Unknown) and isinstance(other.backup, Unknown)


@pytest.mark.parametrize(
    ("fixture", "rule", "old", "new"),
    [
        (
            "EFS301-fire.yaml",
            "EFS301",
            "  TaskDefinition:\n",
            "  MountTargetC:\n    Type: AWS::EFS::MountTarget\n    Properties:\n      FileSystemId: !Ref FileSystem\n"
            "      SubnetId: !Ref SubnetC\n      SecurityGroups: [!Ref EfsSecurityGroup]\n  TaskDefinition:\n",
        ),
        (
            "EFS304-fire.yaml",
            "EFS304",
            "FromPort: 2048\n          ToPort: 2048",
            "FromPort: 2049\n          ToPort: 2049",
        ),
        ("EFS305-fire.yaml", "EFS305", "FromPort: 443, ToPort: 443", "FromPort: 2049, ToPort: 2049"),
        (
            "EFS309-fire.yaml",
            "EFS309",
            "  Service:\n    Type: AWS::ECS::Service\n",
            "  Service:\n    Type: AWS::ECS::Service\n    DependsOn: [MountTargetA, MountTargetB]\n",
        ),
        (
            "EFS401-fire.yaml",
            "EFS401",
            "Action: elasticfilesystem:ClientMount\n",
            "Action: [elasticfilesystem:ClientMount, elasticfilesystem:ClientWrite]\n",
        ),
    ],
)
def test_fixing_the_template_removes_the_finding(
    tmp_path: Path, fixture: str, rule: str, old: str, new: str
) -> None:
    text = (FIXTURES / fixture).read_text()
    assert rule in {f.rule_id for f in lint(tmp_path, text)}
    assert old in text
    assert rule not in {f.rule_id for f in lint(tmp_path, text.replace(old, new))}


def test_policies_attached_by_role_name_or_under_a_condition() -> None:
    text = template("""
    Parameters:
      Name: {Type: String}
    Conditions:
      Maybe: !Equals [!Ref Name, x]
    Resources:
      Named: {Type: AWS::IAM::Role, Properties: {RoleName: app-task, AssumeRolePolicyDocument: {}}}
      FromParameter: {Type: AWS::IAM::Role, Properties: {RoleName: !Ref Name, AssumeRolePolicyDocument: {}}}
      Anonymous: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
      ByName:
        Type: AWS::IAM::Policy
        Properties:
          Roles: [app-task]
          PolicyDocument: {Statement: [{Effect: Allow, Action: "elasticfilesystem:*", Resource: "*"}]}
      Conditional:
        Type: AWS::IAM::Policy
        Condition: Maybe
        Properties:
          Roles: [!Ref Anonymous]
          PolicyDocument: {Statement: [{Effect: Deny, Action: "*", Resource: "*"}]}
    """)
    named, from_parameter, anonymous = model_of(text).roles
    assert [s.effect for s in named.statements] == ["Allow"] and named.statements_known is True
    assert from_parameter.statements_known is False
    assert anonymous.statements_known is False


@pytest.mark.parametrize(
    "arn",
    [
        "!GetAtt Role.Arn",
        "!Ref Role",
        "arn:aws:iam::111122223333:role/app-task",
        "!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Role}",
    ],
)
def test_task_role_is_linked_however_its_arn_is_written(arn: str) -> None:
    text = template(f"""
    Resources:
      Role: {{Type: AWS::IAM::Role, Properties: {{RoleName: app-task, AssumeRolePolicyDocument: {{}}}}}}
      TD:
        Type: AWS::ECS::TaskDefinition
        Properties:
          TaskRoleArn: {arn}
    """)
    model = model_of(text)
    assert model.task_definitions[0].task_role_entity is model.roles[0]
    assert isinstance(model.task_definitions[0].task_role, Unknown)


def test_task_role_of_another_account_is_not_linked() -> None:
    text = template("""
    Resources:
      Role: {Type: AWS::IAM::Role, Properties: {RoleName: app-task, AssumeRolePolicyDocument: {}}}
      TD: {Type: AWS::ECS::TaskDefinition, Properties: {TaskRoleArn: "arn:aws:iam::111122223333:role/other"}}
    """)
    (td,) = model_of(text).task_definitions
    assert td.task_role_entity is None and td.task_role == "arn:aws:iam::111122223333:role/other"
