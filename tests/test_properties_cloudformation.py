"""Hypothesis properties of the CloudFormation front-end.

* Any template built from the resource types efslint maps, with intrinsic functions, references
  and mangled values anywhere, never crashes: it gives findings of known rules or EFS000.
* Any text at all never crashes the YAML reader: it parses or raises InputError.
* Adding an unrelated resource never changes findings.
* Fixing the flagged value (transit encryption) removes the finding.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.findings import Finding
from efslint.sources import json_reader
from efslint.sources.cloudformation import template as cloudformation
from efslint.sources.cloudformation import yaml_loader as cfn_yaml
from efslint.sources.errors import InputError

ENGINE = Engine(Catalog.load())
KNOWN_RULES = set(ENGINE.catalog.rules)
NAMES = ["FS", "MT", "AP", "SG", "Subnet", "Vpc", "Role", "TD", "Service", "Param", "Missing"]

scalar = st.one_of(
    st.sampled_from(
        ["ENABLED", "DISABLED", "fs-0123456789abcdef0", "sg-0123456789abcdef0", "subnet-0a", "tcp"]
    ),
    st.sampled_from(["-1", "6", "2049", "1.4.0", "LATEST", "FARGATE", "/data", "true", ""]),
    st.integers(-2, 70000),
    st.booleans(),
    st.none(),
)
reference = st.one_of(
    st.builds(lambda n: {"Ref": n}, st.sampled_from([*NAMES, "AWS::Region", "AWS::NoValue"])),
    st.builds(
        lambda n, a: {"Fn::GetAtt": [n, a]}, st.sampled_from(NAMES), st.sampled_from(["Arn", "GroupId", "X"])
    ),
    st.builds(lambda i: {"Fn::Select": [i, {"Fn::GetAZs": ""}]}, st.integers(-1, 3)),
    st.builds(
        lambda n: {"Fn::Sub": "arn:aws:elasticfilesystem:${AWS::Region}:1:file-system/${" + n + "}"},
        st.sampled_from(NAMES),
    ),
    st.just({"Fn::ImportValue": "x"}),
    st.just({"Fn::If": ["Cond", "ENABLED", "DISABLED"]}),
    st.just({"Fn::If": ["Cond", {"Ref": "AWS::NoValue"}, "x"]}),
    st.just({"Fn::Join": ["", ["a", {"Ref": "Param"}]]}),
    st.just({"Fn::FindInMap": ["M", "k", "v"]}),
)
value = st.recursive(
    st.one_of(scalar, reference),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["A", "B", "Subnets"]), inner, max_size=2),
    ),
    max_leaves=6,
)


def props(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), value, max_size=len(keys))


RESOURCE_PROPS = {
    "AWS::EFS::FileSystem": ["Encrypted", "AvailabilityZoneName", "BackupPolicy", "FileSystemPolicy"],
    "AWS::EFS::MountTarget": ["FileSystemId", "SubnetId", "SecurityGroups"],
    "AWS::EFS::AccessPoint": ["FileSystemId", "PosixUser", "RootDirectory"],
    "AWS::EC2::SecurityGroup": ["VpcId", "SecurityGroupIngress", "SecurityGroupEgress"],
    "AWS::EC2::SecurityGroupIngress": [
        "GroupId",
        "IpProtocol",
        "FromPort",
        "ToPort",
        "SourceSecurityGroupId",
    ],
    "AWS::EC2::Subnet": ["VpcId", "AvailabilityZone", "CidrBlock", "MapPublicIpOnLaunch"],
    "AWS::EC2::VPC": ["EnableDnsSupport", "EnableDnsHostnames", "CidrBlock"],
    "AWS::IAM::Role": ["Policies", "ManagedPolicyArns"],
    "AWS::ECS::TaskDefinition": ["TaskRoleArn", "Volumes", "ContainerDefinitions", "RuntimePlatform"],
    "AWS::ECS::Service": [
        "TaskDefinition",
        "LaunchType",
        "PlatformVersion",
        "NetworkConfiguration",
        "Cluster",
    ],
}
resource = st.sampled_from(sorted(RESOURCE_PROPS)).flatmap(
    lambda kind: st.fixed_dictionaries(
        {"Type": st.just(kind), "Properties": props(RESOURCE_PROPS[kind])},
        optional={"DependsOn": st.sampled_from(NAMES), "Condition": st.just("Cond")},
    )
)
efs_block = st.dictionaries(
    st.sampled_from(
        [
            "FilesystemId",
            "FileSystemId",
            "TransitEncryption",
            "RootDirectory",
            "TransitEncryptionPort",
            "AuthorizationConfig",
            "Bogus",
        ]
    ),
    st.one_of(value, st.dictionaries(st.sampled_from(["AccessPointId", "IAM", "Iam"]), value, max_size=2)),
    max_size=5,
)
task_definition = st.fixed_dictionaries(
    {
        "Type": st.just("AWS::ECS::TaskDefinition"),
        "Properties": st.fixed_dictionaries(
            {
                "Volumes": st.lists(
                    st.fixed_dictionaries(
                        {"Name": st.sampled_from(["data", "x", None])},
                        optional={
                            "EFSVolumeConfiguration": efs_block,
                            "EfsVolumeConfiguration": efs_block,
                            "Host": st.just({}),
                        },
                    ),
                    max_size=3,
                ),
                "ContainerDefinitions": st.lists(
                    st.fixed_dictionaries(
                        {
                            "Name": st.just("app"),
                            "MountPoints": st.lists(
                                st.fixed_dictionaries(
                                    {
                                        "SourceVolume": st.sampled_from(["data", "x", None]),
                                        "ReadOnly": st.one_of(st.booleans(), value),
                                    }
                                ),
                                max_size=2,
                            ),
                        }
                    ),
                    max_size=2,
                ),
            },
            optional={"TaskRoleArn": value, "RuntimePlatform": value},
        ),
    }
)
resource = st.one_of(resource, task_definition)
template = st.builds(
    lambda resources: {
        "Parameters": {"Param": {"Type": "String", "Default": "ENABLED"}},
        "Conditions": {"Cond": {"Fn::Equals": [{"Ref": "Param"}, "ENABLED"]}},
        "Mappings": {"M": {"k": {"v": "DISABLED"}}},
        "Resources": resources,
    },
    st.dictionaries(st.sampled_from(NAMES[:-2]), resource, max_size=8),
)


def findings_of(doc: Any, name: str = "t.json") -> list[Finding]:
    text = json.dumps(doc, indent=1)
    try:
        model = cloudformation.build_model(name, json_reader.loads(text), text)
    except InputError:
        return []
    return ENGINE.run(model) if model is not None else []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template)
def test_any_template_gives_findings_of_known_rules(doc: dict[str, Any]) -> None:
    for finding in findings_of(doc):
        assert finding.rule_id in KNOWN_RULES
        assert finding.location.file == "t.json"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab:-[]{}!&*<>'\" \n\t#|%,.?", max_size=120))
def test_any_text_parses_or_is_an_input_error(text: str) -> None:
    try:
        cfn_yaml.loads(text)
    except InputError as exc:
        assert exc.message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template, st.sampled_from(["AWS::SNS::Topic", "AWS::S3::Bucket", "AWS::Logs::LogGroup"]))
def test_unrelated_resource_changes_nothing(doc: dict[str, Any], kind: str) -> None:
    before = [(f.rule_id, f.location.line, f.message) for f in findings_of(doc)]
    bigger = copy.deepcopy(doc)
    # Appended last, so no line before it moves.
    bigger["Resources"]["ZzUnrelated"] = {
        "Type": kind,
        "Properties": {"Tags": [{"Key": "team", "Value": "x"}]},
    }
    after = [(f.rule_id, f.location.line, f.message) for f in findings_of(bigger)]
    assert before == after


FIXABLE = """
Resources:
  TD:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: app, MountPoints: [{SourceVolume: data, ContainerPath: /d}]}]
      Volumes:
        - Name: data
          EFSVolumeConfiguration:
            FilesystemId: fs-0123456789abcdef0
            TransitEncryption: {value}
"""


@given(st.sampled_from(["DISABLED", "!Ref Off", "!If [Never, ENABLED, DISABLED]"]))
def test_fixing_transit_encryption_removes_the_finding(value: str) -> None:
    header = "Parameters: {Off: {Type: String, Default: DISABLED}}\nConditions: {Never: !Equals [a, b]}\n"

    def rules(text: str) -> set[str]:
        model = cloudformation.load_yaml("t.yaml", header + text, explicit=True)
        assert model is not None
        return {f.rule_id for f in ENGINE.run(model)}

    assert "EFS104" in rules(FIXABLE.replace("{value}", value))
    assert "EFS104" not in rules(FIXABLE.replace("{value}", "ENABLED"))


def test_yaml_and_json_give_the_same_findings() -> None:
    text = header_free = FIXABLE.replace("{value}", "DISABLED")
    yaml_model = cloudformation.load_yaml("t", text, explicit=True)
    json_text = json.dumps(yaml.safe_load(header_free))
    json_model = cloudformation.build_model("t", json_reader.loads(json_text), json_text)
    assert yaml_model is not None and json_model is not None
    assert sorted(f.rule_id for f in ENGINE.run(yaml_model)) == sorted(
        f.rule_id for f in ENGINE.run(json_model)
    )
