"""Seeded generator of realistic infrastructure stacks for benchmarking.

Each stack is what a team really keeps in a repository: a VPC, subnets, load balancer, IAM roles,
an ECS cluster, task definition and service mounting an EFS file system, and a tail of unrelated
resources (buckets, tables, queues, functions, alarms) — 200 to 800 lines.  Some stacks carry the
mistakes users make (transit encryption off, IAM without TLS, an old Fargate platform version), so
linters have something to report.

One stack description renders as CloudFormation YAML (short-form intrinsics), CloudFormation JSON,
a Terraform module (three ``.tf`` files) or ECS task-definition JSON.  The same seed always gives
the same files.

    python bench/corpus_gen.py OUT_DIR --count 100 [--kinds cfn-yaml,cfn-json,terraform,taskdef]
    python bench/corpus_gen.py OUT_DIR --scale 5000      # one template with 5,000 resources
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("cfn-yaml", "cfn-json", "terraform", "taskdef")
MIN_LINES, MAX_LINES = 200, 800


# --------------------------------------------------------------------------------------------
# CloudFormation intrinsics, rendered as short-form tags in YAML and as objects in JSON


@dataclass(frozen=True)
class Fn:
    name: str  # Ref, GetAtt, Sub, Select, GetAZs, Join
    arg: Any

    def as_json(self) -> Any:
        if self.name == "Ref":
            return {"Ref": self.arg}
        if self.name == "GetAtt":
            return {"Fn::GetAtt": self.arg.split(".", 1)}
        return {f"Fn::{self.name}": _json_value(self.arg)}


def ref(name: str) -> Fn:
    return Fn("Ref", name)


def get_att(name: str) -> Fn:
    return Fn("GetAtt", name)


def sub(text: str) -> Fn:
    return Fn("Sub", text)


def az(index: int) -> Fn:
    return Fn("Select", [index, Fn("GetAZs", "")])


def _json_value(value: Any) -> Any:
    if isinstance(value, Fn):
        return value.as_json()
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./:@-]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if value is None:
        return "null"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text)


def _flow(value: Any) -> str:
    if isinstance(value, Fn):
        return _tag(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    return _scalar(value)


def _tag(fn: Fn) -> str:
    if fn.name in ("Ref", "GetAtt"):
        return f"!{fn.name} {fn.arg}"
    return f"!{fn.name} {_flow(fn.arg)}"


def to_yaml(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML lines for ``value`` (a mapping at the top level)."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(to_yaml(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {_flow(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                inner = to_yaml(item, indent + 1)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            elif isinstance(item, list) and item:
                lines.append(f"{pad}- {_flow(item)}")
            else:
                lines.append(f"{pad}- {_flow(item)}")
    return lines


# --------------------------------------------------------------------------------------------
# One stack, described once


@dataclass
class Stack:
    """What a stack contains, drawn from the seed; the renderers turn it into files."""

    name: str
    rng: random.Random
    azs: int = 2
    transit: bool = True
    iam: bool = True
    access_point: bool = True
    encrypted: bool = True
    platform: str = "LATEST"
    mount_target_all_azs: bool = True
    depends_on_mount_targets: bool = True
    containers: int = 2
    env_vars: int = 6
    fillers: list[tuple[str, int]] = field(default_factory=list)  # (kind, index)
    target_lines: int = 400
    fitted: int = 0  # how many fillers the last fit() kept


FILLER_KINDS = ("bucket", "table", "queue", "topic", "function", "alarm", "parameter", "log_group")


def draw_stack(rng: random.Random, name: str) -> Stack:
    stack = Stack(name=name, rng=rng)
    stack.azs = rng.choice((2, 2, 3))
    # Roughly a third of stacks carry one of the mistakes users make.
    mistake = rng.random()
    if mistake < 0.10:
        stack.transit = False
    elif mistake < 0.18:
        stack.transit, stack.iam = False, True
    elif mistake < 0.24:
        stack.platform = "1.3.0"
    elif mistake < 0.30:
        stack.mount_target_all_azs = False
    elif mistake < 0.36:
        stack.depends_on_mount_targets = False
    stack.iam = stack.iam and rng.random() < 0.8
    stack.access_point = rng.random() < 0.7
    stack.encrypted = rng.random() < 0.85
    stack.containers = rng.randint(1, 3)
    stack.env_vars = rng.randint(3, 12)
    stack.target_lines = rng.randint(MIN_LINES + 50, MAX_LINES - 50)
    stack.fillers = [(rng.choice(FILLER_KINDS), i) for i in range(60)]
    return stack


def fit(stack: Stack, render: Callable[[Stack], str]) -> str:
    """Render with as many unrelated resources as bring the text nearest its target length."""
    fillers = stack.fillers
    best = ""
    low, high = 0, len(fillers)
    # Text length grows with the filler count, so a bisection finds the count in a few renders.
    while low <= high:
        middle = (low + high) // 2
        stack.fillers = fillers[:middle]
        state = stack.rng.getstate()
        text = render(stack)
        stack.rng.setstate(state)
        lines = text.count("\n")
        if lines <= stack.target_lines:
            best, low = text, middle + 1
        else:
            high = middle - 1
    stack.fitted = max(0, low - 1)
    if not best:
        # Even the bare stack is longer than the target: keep it bare.
        stack.fillers = []
        best = render(stack)
    stack.fillers = fillers
    return best


# --------------------------------------------------------------------------------------------
# CloudFormation


def _tags(stack: Stack, role: str) -> list[dict[str, Any]]:
    return [
        {"Key": "Name", "Value": sub(f"${{AWS::StackName}}-{role}")},
        {"Key": "Environment", "Value": ref("Environment")},
        {"Key": "Team", "Value": stack.name},
    ]


def _container_definitions(stack: Stack, cfn: bool) -> list[dict[str, Any]]:
    containers = []
    for i in range(stack.containers):
        env_key, val_key = ("Name", "Value") if cfn else ("name", "value")
        env = [
            {env_key: f"SETTING_{j}", val_key: f"value-{stack.rng.randint(0, 9999)}"}
            for j in range(stack.env_vars)
        ]
        if cfn:
            container: dict[str, Any] = {
                "Name": "app" if i == 0 else f"sidecar-{i}",
                "Image": sub("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:${ImageTag}"),
                "Essential": i == 0,
                "PortMappings": [{"ContainerPort": 8080 + i, "Protocol": "tcp"}],
                "Environment": env,
                "LogConfiguration": {
                    "LogDriver": "awslogs",
                    "Options": {
                        "awslogs-group": ref("LogGroup"),
                        "awslogs-region": ref("AWS::Region"),
                        "awslogs-stream-prefix": f"c{i}",
                    },
                },
            }
            if i == 0:
                container["MountPoints"] = [
                    {"SourceVolume": "data", "ContainerPath": "/data", "ReadOnly": False}
                ]
        else:
            container = {
                "name": "app" if i == 0 else f"sidecar-{i}",
                "image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{stack.name}:1.{i}",
                "essential": i == 0,
                "portMappings": [{"containerPort": 8080 + i, "protocol": "tcp"}],
                "environment": env,
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": f"/ecs/{stack.name}",
                        "awslogs-region": "us-east-1",
                        "awslogs-stream-prefix": f"c{i}",
                    },
                },
                "healthCheck": {
                    "command": ["CMD-SHELL", f"curl -f http://localhost:{8080 + i}/health || exit 1"],
                    "interval": 30,
                    "timeout": 5,
                    "retries": 3,
                },
            }
            if i == 0:
                container["mountPoints"] = [
                    {"sourceVolume": "data", "containerPath": "/data", "readOnly": False}
                ]
        containers.append(container)
    return containers


def _efs_volume_cfn(stack: Stack) -> dict[str, Any]:
    config: dict[str, Any] = {"FilesystemId": ref("FileSystem")}
    if stack.transit:
        config["TransitEncryption"] = "ENABLED"
    auth: dict[str, Any] = {}
    if stack.iam:
        auth["IAM"] = "ENABLED"
    if stack.access_point and stack.transit:
        auth["AccessPointId"] = ref("AccessPoint")
    if auth:
        config["AuthorizationConfig"] = auth
    return {"Name": "data", "EFSVolumeConfiguration": config}


def cloudformation(stack: Stack) -> dict[str, Any]:
    r: dict[str, Any] = {}
    r["VPC"] = {
        "Type": "AWS::EC2::VPC",
        "Properties": {
            "CidrBlock": ref("VpcCidr"),
            "EnableDnsSupport": True,
            "EnableDnsHostnames": True,
            "Tags": _tags(stack, "vpc"),
        },
    }
    r["InternetGateway"] = {"Type": "AWS::EC2::InternetGateway", "Properties": {"Tags": _tags(stack, "igw")}}
    r["GatewayAttachment"] = {
        "Type": "AWS::EC2::VPCGatewayAttachment",
        "Properties": {"VpcId": ref("VPC"), "InternetGatewayId": ref("InternetGateway")},
    }
    for i in range(stack.azs):
        for tier, offset, public in (("Public", 0, True), ("Private", 10, False)):
            r[f"{tier}Subnet{i + 1}"] = {
                "Type": "AWS::EC2::Subnet",
                "Properties": {
                    "VpcId": ref("VPC"),
                    "CidrBlock": f"10.0.{offset + i}.0/24",
                    "AvailabilityZone": az(i),
                    "MapPublicIpOnLaunch": public,
                    "Tags": _tags(stack, f"{tier.lower()}-{i + 1}"),
                },
            }
    r["PublicRouteTable"] = {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": ref("VPC")}}
    r["PublicRoute"] = {
        "Type": "AWS::EC2::Route",
        "DependsOn": "GatewayAttachment",
        "Properties": {
            "RouteTableId": ref("PublicRouteTable"),
            "DestinationCidrBlock": "0.0.0.0/0",
            "GatewayId": ref("InternetGateway"),
        },
    }
    for i in range(stack.azs):
        r[f"PublicSubnet{i + 1}RouteTableAssociation"] = {
            "Type": "AWS::EC2::SubnetRouteTableAssociation",
            "Properties": {"SubnetId": ref(f"PublicSubnet{i + 1}"), "RouteTableId": ref("PublicRouteTable")},
        }
    r["LoadBalancerSecurityGroup"] = {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {
            "GroupDescription": "Load balancer",
            "VpcId": ref("VPC"),
            "SecurityGroupIngress": [
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}
            ],
        },
    }
    r["ServiceSecurityGroup"] = {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {
            "GroupDescription": "Service tasks",
            "VpcId": ref("VPC"),
            "SecurityGroupIngress": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 8080,
                    "ToPort": 8080,
                    "SourceSecurityGroupId": ref("LoadBalancerSecurityGroup"),
                }
            ],
        },
    }
    r["FileSystemSecurityGroup"] = {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {
            "GroupDescription": "EFS mount targets",
            "VpcId": ref("VPC"),
            "SecurityGroupIngress": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 2049,
                    "ToPort": 2049,
                    "SourceSecurityGroupId": ref("ServiceSecurityGroup"),
                }
            ],
        },
    }
    r["FileSystem"] = {
        "Type": "AWS::EFS::FileSystem",
        "Properties": {
            "Encrypted": stack.encrypted,
            "PerformanceMode": "generalPurpose",
            "ThroughputMode": "elastic",
            "BackupPolicy": {"Status": "ENABLED"},
            "FileSystemTags": [{"Key": "Name", "Value": sub("${AWS::StackName}-data")}],
        },
    }
    mount_targets = []
    for i in range(stack.azs if stack.mount_target_all_azs else 1):
        name = f"MountTarget{i + 1}"
        mount_targets.append(name)
        r[name] = {
            "Type": "AWS::EFS::MountTarget",
            "Properties": {
                "FileSystemId": ref("FileSystem"),
                "SubnetId": ref(f"PrivateSubnet{i + 1}"),
                "SecurityGroups": [ref("FileSystemSecurityGroup")],
            },
        }
    if stack.access_point:
        r["AccessPoint"] = {
            "Type": "AWS::EFS::AccessPoint",
            "Properties": {
                "FileSystemId": ref("FileSystem"),
                "PosixUser": {"Uid": "1000", "Gid": "1000"},
                "RootDirectory": {
                    "Path": "/app",
                    "CreationInfo": {"OwnerUid": "1000", "OwnerGid": "1000", "Permissions": "0755"},
                },
            },
        }
    r["Cluster"] = {
        "Type": "AWS::ECS::Cluster",
        "Properties": {"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]},
    }
    r["LogGroup"] = {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {"LogGroupName": sub(f"/ecs/${{AWS::StackName}}/{stack.name}"), "RetentionInDays": 30},
    }
    assume = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    r["ExecutionRole"] = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": assume,
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
        },
    }
    r["TaskRole"] = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": assume,
            "Policies": [
                {
                    "PolicyName": "efs-client",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                                "Resource": get_att("FileSystem.Arn"),
                            }
                        ],
                    },
                }
            ],
        },
    }
    r["TaskDefinition"] = {
        "Type": "AWS::ECS::TaskDefinition",
        "Properties": {
            "Family": sub(f"${{AWS::StackName}}-{stack.name}"),
            "RequiresCompatibilities": ["FARGATE"],
            "NetworkMode": "awsvpc",
            "Cpu": "512",
            "Memory": "1024",
            "ExecutionRoleArn": get_att("ExecutionRole.Arn"),
            "TaskRoleArn": get_att("TaskRole.Arn"),
            "Volumes": [_efs_volume_cfn(stack)],
            "ContainerDefinitions": _container_definitions(stack, cfn=True),
        },
    }
    r["LoadBalancer"] = {
        "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "Properties": {
            "Scheme": "internet-facing",
            "Subnets": [ref(f"PublicSubnet{i + 1}") for i in range(stack.azs)],
            "SecurityGroups": [ref("LoadBalancerSecurityGroup")],
        },
    }
    r["TargetGroup"] = {
        "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
        "Properties": {
            "Port": 8080,
            "Protocol": "HTTP",
            "TargetType": "ip",
            "VpcId": ref("VPC"),
            "HealthCheckPath": "/health",
        },
    }
    r["Listener"] = {
        "Type": "AWS::ElasticLoadBalancingV2::Listener",
        "Properties": {
            "LoadBalancerArn": ref("LoadBalancer"),
            "Port": 443,
            "Protocol": "HTTPS",
            "Certificates": [{"CertificateArn": ref("CertificateArn")}],
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": ref("TargetGroup")}],
        },
    }
    service: dict[str, Any] = {
        "Type": "AWS::ECS::Service",
        "Properties": {
            "Cluster": ref("Cluster"),
            "TaskDefinition": ref("TaskDefinition"),
            "DesiredCount": ref("DesiredCount"),
            "LaunchType": "FARGATE",
            "PlatformVersion": stack.platform,
            "NetworkConfiguration": {
                "AwsvpcConfiguration": {
                    "AssignPublicIp": "DISABLED",
                    "Subnets": [ref(f"PrivateSubnet{i + 1}") for i in range(stack.azs)],
                    "SecurityGroups": [ref("ServiceSecurityGroup")],
                }
            },
            "LoadBalancers": [
                {"ContainerName": "app", "ContainerPort": 8080, "TargetGroupArn": ref("TargetGroup")}
            ],
        },
    }
    depends = ["Listener"] + (mount_targets if stack.depends_on_mount_targets else [])
    r["Service"] = {"Type": service["Type"], "DependsOn": depends, "Properties": service["Properties"]}
    for kind, index in stack.fillers:
        r.update(_cfn_filler(kind, index, stack.rng))
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"{stack.name}: Fargate service with persistent storage on Amazon EFS",
        "Parameters": {
            "Environment": {"Type": "String", "AllowedValues": ["dev", "staging", "prod"], "Default": "dev"},
            "VpcCidr": {"Type": "String", "Default": "10.0.0.0/16"},
            "ImageTag": {"Type": "String", "Default": "latest"},
            "DesiredCount": {"Type": "Number", "Default": 2},
            "CertificateArn": {"Type": "String"},
        },
        "Resources": r,
        "Outputs": {
            "FileSystemId": {"Value": ref("FileSystem")},
            "ServiceName": {"Value": get_att("Service.Name")},
            "LoadBalancerDns": {"Value": get_att("LoadBalancer.DNSName")},
        },
    }


def _cfn_filler(kind: str, index: int, rng: random.Random) -> dict[str, Any]:
    name = f"{kind.title().replace('_', '')}{index}"
    if kind == "bucket":
        return {
            name: {
                "Type": "AWS::S3::Bucket",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "VersioningConfiguration": {"Status": "Enabled"},
                    "BucketEncryption": {
                        "ServerSideEncryptionConfiguration": [
                            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
                        ]
                    },
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": True,
                        "BlockPublicPolicy": True,
                        "IgnorePublicAcls": True,
                        "RestrictPublicBuckets": True,
                    },
                },
            }
        }
    if kind == "table":
        return {
            name: {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [
                        {"AttributeName": "pk", "AttributeType": "S"},
                        {"AttributeName": "sk", "AttributeType": "S"},
                    ],
                    "KeySchema": [
                        {"AttributeName": "pk", "KeyType": "HASH"},
                        {"AttributeName": "sk", "KeyType": "RANGE"},
                    ],
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                },
            }
        }
    if kind == "queue":
        return {
            f"{name}DeadLetter": {
                "Type": "AWS::SQS::Queue",
                "Properties": {"MessageRetentionPeriod": 1209600},
            },
            name: {
                "Type": "AWS::SQS::Queue",
                "Properties": {
                    "VisibilityTimeout": rng.choice((30, 60, 300)),
                    "RedrivePolicy": {
                        "deadLetterTargetArn": get_att(f"{name}DeadLetter.Arn"),
                        "maxReceiveCount": 5,
                    },
                },
            },
        }
    if kind == "topic":
        return {
            name: {
                "Type": "AWS::SNS::Topic",
                "Properties": {
                    "KmsMasterKeyId": "alias/aws/sns",
                    "Subscription": [{"Endpoint": f"ops+{index}@example.com", "Protocol": "email"}],
                },
            }
        }
    if kind == "function":
        return {
            f"{name}Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "lambda.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                    "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
                },
            },
            name: {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "index.handler",
                    "Role": get_att(f"{name}Role.Arn"),
                    "Timeout": rng.choice((10, 30, 60)),
                    "Code": {"ZipFile": "def handler(event, context):\n    return {'ok': True}\n"},
                },
            },
        }
    if kind == "alarm":
        return {
            name: {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {
                    "AlarmDescription": f"CPU high on service ({index})",
                    "Namespace": "AWS/ECS",
                    "MetricName": "CPUUtilization",
                    "Dimensions": [
                        {"Name": "ClusterName", "Value": ref("Cluster")},
                        {"Name": "ServiceName", "Value": get_att("Service.Name")},
                    ],
                    "Statistic": "Average",
                    "Period": 60,
                    "EvaluationPeriods": rng.randint(2, 5),
                    "Threshold": rng.choice((70, 80, 90)),
                    "ComparisonOperator": "GreaterThanThreshold",
                },
            }
        }
    if kind == "parameter":
        return {
            name: {
                "Type": "AWS::SSM::Parameter",
                "Properties": {
                    "Name": sub(f"/${{AWS::StackName}}/config/{index}"),
                    "Type": "String",
                    "Value": f"value-{rng.randint(0, 10**6)}",
                    "Description": "Application setting",
                },
            }
        }
    return {
        name: {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {
                "LogGroupName": sub(f"/app/${{AWS::StackName}}/{index}"),
                "RetentionInDays": rng.choice((7, 14, 30, 90)),
            },
        }
    }


def render_cfn_yaml(template: dict[str, Any]) -> str:
    return "\n".join(to_yaml(template)) + "\n"


def render_cfn_json(template: dict[str, Any]) -> str:
    return _json_text(_json_value(template), 0) + "\n"


def _json_text(value: Any, indent: int) -> str:
    """JSON laid out as people write templates: short objects and lists on one line."""
    flat = json.dumps(value)
    if len(flat) + 2 * indent <= 90 or not isinstance(value, (dict, list)) or not value:
        return flat
    pad = "  " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}: {_json_text(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    items = [f"{pad}{_json_text(v, indent + 1)}" for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * indent + "]"


# --------------------------------------------------------------------------------------------
# Terraform


def _hcl_value(value: Any, indent: int) -> str:
    pad = "  " * indent
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, list):
        return "[" + ", ".join(_hcl_value(v, indent) for v in value) + "]"
    if isinstance(value, dict):
        inner = "\n".join(f"{pad}  {k} = {_hcl_value(v, indent + 1)}" for k, v in value.items())
        return "{\n" + inner + f"\n{pad}}}"
    return json.dumps(str(value))


@dataclass(frozen=True)
class Raw:
    """An HCL expression written as is (a reference, a function call)."""

    text: str


@dataclass
class Block:
    header: str
    attrs: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def render(self, indent: int = 0) -> list[str]:
        pad = "  " * indent
        lines = [f"{pad}{self.header} {{"]
        width = max((len(k) for k in self.attrs), default=0)
        for key, value in self.attrs.items():
            lines.append(f"{pad}  {key.ljust(width)} = {_hcl_value(value, indent + 1)}")
        for block in self.blocks:
            lines.append("")
            lines.extend(block.render(indent + 1))
        lines.append(f"{pad}}}")
        return lines


def terraform(stack: Stack) -> dict[str, str]:
    """A module: ``main.tf``, ``variables.tf`` and ``outputs.tf``."""
    n = stack.name
    blocks: list[Block] = [
        Block(
            "terraform",
            blocks=[Block("required_providers", {"aws": {"source": "hashicorp/aws", "version": "~> 5.0"}})],
        ),
        Block('data "aws_availability_zones" "available"', {"state": "available"}),
        Block(
            'resource "aws_vpc" "main"',
            {
                "cidr_block": Raw("var.vpc_cidr"),
                "enable_dns_support": True,
                "enable_dns_hostnames": True,
                "tags": Raw('merge(local.tags, { Name = "${var.name}-vpc" })'),
            },
        ),
        Block('resource "aws_internet_gateway" "main"', {"vpc_id": Raw("aws_vpc.main.id")}),
        Block(
            'resource "aws_subnet" "private"',
            {
                "count": stack.azs,
                "vpc_id": Raw("aws_vpc.main.id"),
                "cidr_block": Raw("cidrsubnet(var.vpc_cidr, 8, count.index + 10)"),
                "availability_zone": Raw("data.aws_availability_zones.available.names[count.index]"),
                "tags": Raw('merge(local.tags, { Name = "${var.name}-private-${count.index}" })'),
            },
        ),
        Block(
            'resource "aws_subnet" "public"',
            {
                "count": stack.azs,
                "vpc_id": Raw("aws_vpc.main.id"),
                "cidr_block": Raw("cidrsubnet(var.vpc_cidr, 8, count.index)"),
                "availability_zone": Raw("data.aws_availability_zones.available.names[count.index]"),
                "map_public_ip_on_launch": True,
            },
        ),
        Block(
            'resource "aws_route_table" "public"',
            {"vpc_id": Raw("aws_vpc.main.id")},
            [Block("route", {"cidr_block": "0.0.0.0/0", "gateway_id": Raw("aws_internet_gateway.main.id")})],
        ),
        Block(
            'resource "aws_route_table_association" "public"',
            {
                "count": stack.azs,
                "subnet_id": Raw("aws_subnet.public[count.index].id"),
                "route_table_id": Raw("aws_route_table.public.id"),
            },
        ),
        Block(
            'resource "aws_security_group" "service"',
            {"name": Raw('"${var.name}-service"'), "vpc_id": Raw("aws_vpc.main.id")},
            [
                Block(
                    "ingress",
                    {
                        "from_port": 8080,
                        "to_port": 8080,
                        "protocol": "tcp",
                        "cidr_blocks": [Raw("var.vpc_cidr")],
                    },
                ),
                Block(
                    "egress", {"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}
                ),
            ],
        ),
        Block(
            'resource "aws_security_group" "efs"',
            {"name": Raw('"${var.name}-efs"'), "vpc_id": Raw("aws_vpc.main.id")},
            [
                Block(
                    "ingress",
                    {
                        "from_port": 2049,
                        "to_port": 2049,
                        "protocol": "tcp",
                        "security_groups": [Raw("aws_security_group.service.id")],
                    },
                )
            ],
        ),
        Block(
            'resource "aws_efs_file_system" "data"',
            {
                "creation_token": Raw('"${var.name}-data"'),
                "encrypted": stack.encrypted,
                "performance_mode": "generalPurpose",
                "throughput_mode": "elastic",
                "tags": Raw("local.tags"),
            },
            [Block("lifecycle_policy", {"transition_to_ia": "AFTER_30_DAYS"})],
        ),
        Block(
            'resource "aws_efs_backup_policy" "data"',
            {"file_system_id": Raw("aws_efs_file_system.data.id")},
            [Block("backup_policy", {"status": "ENABLED"})],
        ),
        Block(
            'resource "aws_efs_mount_target" "data"',
            {
                "count": stack.azs if stack.mount_target_all_azs else 1,
                "file_system_id": Raw("aws_efs_file_system.data.id"),
                "subnet_id": Raw("aws_subnet.private[count.index].id"),
                "security_groups": [Raw("aws_security_group.efs.id")],
            },
        ),
    ]
    if stack.access_point:
        blocks.append(
            Block(
                'resource "aws_efs_access_point" "data"',
                {"file_system_id": Raw("aws_efs_file_system.data.id")},
                [
                    Block("posix_user", {"uid": 1000, "gid": 1000}),
                    Block(
                        "root_directory",
                        {"path": "/app"},
                        [
                            Block(
                                "creation_info", {"owner_uid": 1000, "owner_gid": 1000, "permissions": "0755"}
                            )
                        ],
                    ),
                ],
            )
        )
    assume = Raw(
        'jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n'
        '      Principal = { Service = "ecs-tasks.amazonaws.com" }\n      Action    = "sts:AssumeRole"\n'
        "    }]\n  })"
    )
    blocks += [
        Block(
            'resource "aws_iam_role" "execution"',
            {"name": Raw('"${var.name}-execution"'), "assume_role_policy": assume},
        ),
        Block(
            'resource "aws_iam_role_policy_attachment" "execution"',
            {
                "role": Raw("aws_iam_role.execution.name"),
                "policy_arn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            },
        ),
        Block(
            'resource "aws_iam_role" "task"',
            {"name": Raw('"${var.name}-task"'), "assume_role_policy": assume},
        ),
        Block(
            'resource "aws_iam_role_policy" "efs"',
            {
                "role": Raw("aws_iam_role.task.id"),
                "policy": Raw(
                    'jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect   = "Allow"\n'
                    '      Action   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]\n'
                    "      Resource = aws_efs_file_system.data.arn\n    }]\n  })"
                ),
            },
        ),
        Block(
            'resource "aws_ecs_cluster" "main"',
            {"name": Raw("var.name")},
            [Block("setting", {"name": "containerInsights", "value": "enabled"})],
        ),
        Block(
            'resource "aws_cloudwatch_log_group" "app"',
            {"name": Raw('"/ecs/${var.name}"'), "retention_in_days": 30},
        ),
    ]
    efs_conf: dict[str, Any] = {"file_system_id": Raw("aws_efs_file_system.data.id")}
    if stack.transit:
        efs_conf["transit_encryption"] = "ENABLED"
    auth: dict[str, Any] = {}
    if stack.iam:
        auth["iam"] = "ENABLED"
    if stack.access_point and stack.transit:
        auth["access_point_id"] = Raw("aws_efs_access_point.data.id")
    efs_block = Block(
        "efs_volume_configuration", efs_conf, [Block("authorization_config", auth)] if auth else []
    )
    containers = json.dumps(_container_definitions(stack, cfn=False), indent=2).replace("\n", "\n  ")
    blocks.append(
        Block(
            'resource "aws_ecs_task_definition" "app"',
            {
                "family": Raw("var.name"),
                "requires_compatibilities": ["FARGATE"],
                "network_mode": "awsvpc",
                "cpu": 512,
                "memory": 1024,
                "execution_role_arn": Raw("aws_iam_role.execution.arn"),
                "task_role_arn": Raw("aws_iam_role.task.arn"),
                "container_definitions": Raw(f"jsonencode({containers})"),
            },
            [Block("volume", {"name": "data"}, [efs_block])],
        )
    )
    service_attrs: dict[str, Any] = {
        "name": Raw("var.name"),
        "cluster": Raw("aws_ecs_cluster.main.id"),
        "task_definition": Raw("aws_ecs_task_definition.app.arn"),
        "desired_count": Raw("var.desired_count"),
        "launch_type": "FARGATE",
        "platform_version": stack.platform,
    }
    if stack.depends_on_mount_targets:
        service_attrs["depends_on"] = [Raw("aws_efs_mount_target.data")]
    blocks.append(
        Block(
            'resource "aws_ecs_service" "app"',
            service_attrs,
            [
                Block(
                    "network_configuration",
                    {
                        "subnets": Raw("aws_subnet.private[*].id"),
                        "security_groups": [Raw("aws_security_group.service.id")],
                    },
                )
            ],
        )
    )
    for kind, index in stack.fillers:
        blocks.extend(_tf_filler(kind, index, stack.rng))
    main = [
        "locals {",
        "  tags = {",
        f'    Team        = "{n}"',
        "    Environment = var.environment",
        "  }",
        "}",
        "",
    ]
    for block in blocks:
        main.extend(block.render())
        main.append("")
    variables = []
    for name, typ, default in (
        ("name", "string", n),
        ("environment", "string", "dev"),
        ("vpc_cidr", "string", "10.0.0.0/16"),
        ("desired_count", "number", 2),
    ):
        variables.extend(Block(f'variable "{name}"', {"type": Raw(typ), "default": default}).render())
        variables.append("")
    outputs = []
    for name, expr in (
        ("file_system_id", "aws_efs_file_system.data.id"),
        ("service_name", "aws_ecs_service.app.name"),
        ("cluster_arn", "aws_ecs_cluster.main.arn"),
    ):
        outputs.extend(Block(f'output "{name}"', {"value": Raw(expr)}).render())
        outputs.append("")
    return {
        "main.tf": "\n".join(main),
        "variables.tf": "\n".join(variables),
        "outputs.tf": "\n".join(outputs),
    }


def _tf_filler(kind: str, index: int, rng: random.Random) -> list[Block]:
    name = f"{kind}_{index}"
    if kind == "bucket":
        return [
            Block(f'resource "aws_s3_bucket" "{name}"', {"bucket": Raw(f'"${{var.name}}-{index}"')}),
            Block(
                f'resource "aws_s3_bucket_versioning" "{name}"',
                {"bucket": Raw(f"aws_s3_bucket.{name}.id")},
                [Block("versioning_configuration", {"status": "Enabled"})],
            ),
        ]
    if kind == "table":
        return [
            Block(
                f'resource "aws_dynamodb_table" "{name}"',
                {
                    "name": Raw(f'"${{var.name}}-{index}"'),
                    "billing_mode": "PAY_PER_REQUEST",
                    "hash_key": "pk",
                },
                [
                    Block("attribute", {"name": "pk", "type": "S"}),
                    Block("point_in_time_recovery", {"enabled": True}),
                ],
            )
        ]
    if kind == "queue":
        return [
            Block(
                f'resource "aws_sqs_queue" "{name}"',
                {
                    "name": Raw(f'"${{var.name}}-{index}"'),
                    "visibility_timeout_seconds": rng.choice((30, 60, 300)),
                },
            )
        ]
    if kind == "topic":
        return [
            Block(
                f'resource "aws_sns_topic" "{name}"',
                {"name": Raw(f'"${{var.name}}-{index}"'), "kms_master_key_id": "alias/aws/sns"},
            )
        ]
    if kind == "function":
        return [
            Block(
                f'resource "aws_lambda_function" "{name}"',
                {
                    "function_name": Raw(f'"${{var.name}}-{index}"'),
                    "role": Raw("aws_iam_role.execution.arn"),
                    "runtime": "python3.12",
                    "handler": "index.handler",
                    "filename": "lambda.zip",
                    "timeout": rng.choice((10, 30, 60)),
                },
                [Block("environment", {"variables": {"STAGE": Raw("var.environment")}})],
            )
        ]
    if kind == "alarm":
        return [
            Block(
                f'resource "aws_cloudwatch_metric_alarm" "{name}"',
                {
                    "alarm_name": Raw(f'"${{var.name}}-cpu-{index}"'),
                    "namespace": "AWS/ECS",
                    "metric_name": "CPUUtilization",
                    "statistic": "Average",
                    "period": 60,
                    "evaluation_periods": rng.randint(2, 5),
                    "threshold": rng.choice((70, 80, 90)),
                    "comparison_operator": "GreaterThanThreshold",
                    "dimensions": {"ClusterName": Raw("aws_ecs_cluster.main.name")},
                },
            )
        ]
    if kind == "parameter":
        return [
            Block(
                f'resource "aws_ssm_parameter" "{name}"',
                {
                    "name": Raw(f'"/${{var.name}}/config/{index}"'),
                    "type": "String",
                    "value": f"value-{rng.randint(0, 10**6)}",
                },
            )
        ]
    return [
        Block(
            f'resource "aws_cloudwatch_log_group" "{name}"',
            {"name": Raw(f'"/app/${{var.name}}/{index}"'), "retention_in_days": rng.choice((7, 14, 30, 90))},
        )
    ]


# --------------------------------------------------------------------------------------------
# Task-definition JSON (register-task-definition input)


def task_definition(stack: Stack) -> str:
    efs: dict[str, Any] = {"fileSystemId": f"fs-{stack.rng.getrandbits(68):017x}"}
    if stack.transit:
        efs["transitEncryption"] = "ENABLED"
    auth: dict[str, Any] = {}
    if stack.iam:
        auth["iam"] = "ENABLED"
    if stack.access_point and stack.transit:
        auth["accessPointId"] = f"fsap-{stack.rng.getrandbits(68):017x}"
    if auth:
        efs["authorizationConfig"] = auth
    # Task definitions are smaller per feature than stacks; more containers and settings fill them.
    stack.containers = 2 + len(stack.fillers) // 8
    stack.env_vars = 6 + len(stack.fillers) // 3
    doc = {
        "family": stack.name,
        "taskRoleArn": f"arn:aws:iam::123456789012:role/{stack.name}-task",
        "executionRoleArn": f"arn:aws:iam::123456789012:role/{stack.name}-execution",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "1024",
        "memory": "2048",
        "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        "volumes": [{"name": "data", "efsVolumeConfiguration": efs}, {"name": "scratch"}],
        "containerDefinitions": _container_definitions(stack, cfn=False),
        "tags": [{"key": "team", "value": stack.name}],
    }
    return json.dumps(doc, indent=2) + "\n"


# --------------------------------------------------------------------------------------------
# Scale: one template with many resources (the complexity check)


def scale_template(resources: int, seed: int = 0) -> dict[str, Any]:
    """One CloudFormation template with about ``resources`` resources, every EFS link exercised:
    each unit is a file system with two mount targets, their security group and an ingress rule,
    an access point, a task role, a task definition, a log group and a service."""
    rng = random.Random(seed)
    r: dict[str, Any] = {
        "VPC": {
            "Type": "AWS::EC2::VPC",
            "Properties": {"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": True},
        },
    }
    for i in range(2):
        r[f"Subnet{i}"] = {
            "Type": "AWS::EC2::Subnet",
            "Properties": {"VpcId": ref("VPC"), "CidrBlock": f"10.0.{i}.0/24", "AvailabilityZone": az(i)},
        }
    r["TaskSecurityGroup"] = {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {"GroupDescription": "tasks", "VpcId": ref("VPC")},
    }
    r["Cluster"] = {"Type": "AWS::ECS::Cluster", "Properties": {}}
    unit = 10
    for u in range(max(1, (resources - len(r)) // unit)):
        transit = rng.random() < 0.8
        r[f"Efs{u}SecurityGroup"] = {
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {"GroupDescription": f"efs {u}", "VpcId": ref("VPC")},
        }
        r[f"Efs{u}Ingress"] = {
            "Type": "AWS::EC2::SecurityGroupIngress",
            "Properties": {
                "GroupId": ref(f"Efs{u}SecurityGroup"),
                "IpProtocol": "tcp",
                "FromPort": 2049,
                "ToPort": 2049,
                "SourceSecurityGroupId": ref("TaskSecurityGroup"),
            },
        }
        r[f"Efs{u}"] = {"Type": "AWS::EFS::FileSystem", "Properties": {"Encrypted": rng.random() < 0.9}}
        for i in range(2):
            r[f"Efs{u}MountTarget{i}"] = {
                "Type": "AWS::EFS::MountTarget",
                "Properties": {
                    "FileSystemId": ref(f"Efs{u}"),
                    "SubnetId": ref(f"Subnet{i}"),
                    "SecurityGroups": [ref(f"Efs{u}SecurityGroup")],
                },
            }
        r[f"Efs{u}AccessPoint"] = {
            "Type": "AWS::EFS::AccessPoint",
            "Properties": {"FileSystemId": ref(f"Efs{u}"), "PosixUser": {"Uid": "1000", "Gid": "1000"}},
        }
        r[f"App{u}Role"] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ]
                }
            },
        }
        r[f"App{u}Logs"] = {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 7}}
        volume: dict[str, Any] = {"FilesystemId": ref(f"Efs{u}")}
        if transit:
            volume["TransitEncryption"] = "ENABLED"
            volume["AuthorizationConfig"] = {"IAM": "ENABLED", "AccessPointId": ref(f"Efs{u}AccessPoint")}
        r[f"App{u}TaskDefinition"] = {
            "Type": "AWS::ECS::TaskDefinition",
            "Properties": {
                "RequiresCompatibilities": ["FARGATE"],
                "NetworkMode": "awsvpc",
                "Cpu": "256",
                "Memory": "512",
                "TaskRoleArn": get_att(f"App{u}Role.Arn"),
                "Volumes": [{"Name": "data", "EFSVolumeConfiguration": volume}],
                "ContainerDefinitions": [
                    {
                        "Name": "app",
                        "Image": "public.ecr.aws/docker/library/busybox:latest",
                        "MountPoints": [{"SourceVolume": "data", "ContainerPath": "/data"}],
                        "LogConfiguration": {
                            "LogDriver": "awslogs",
                            "Options": {
                                "awslogs-group": ref(f"App{u}Logs"),
                                "awslogs-region": ref("AWS::Region"),
                            },
                        },
                    }
                ],
            },
        }
        r[f"App{u}Service"] = {
            "Type": "AWS::ECS::Service",
            "DependsOn": [f"Efs{u}MountTarget0", f"Efs{u}MountTarget1"],
            "Properties": {
                "Cluster": ref("Cluster"),
                "TaskDefinition": ref(f"App{u}TaskDefinition"),
                "LaunchType": "FARGATE",
                "NetworkConfiguration": {
                    "AwsvpcConfiguration": {
                        "Subnets": [ref("Subnet0"), ref("Subnet1")],
                        "SecurityGroups": [ref("TaskSecurityGroup")],
                    }
                },
            },
        }
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": r}


# --------------------------------------------------------------------------------------------


def generate(out: Path, count: int, seed: int = 1, kinds: tuple[str, ...] = KINDS) -> dict[str, list[Path]]:
    """Write ``count`` stacks of each kind under ``out/<kind>/``; returns the paths per kind
    (for Terraform, the module directories)."""
    written: dict[str, list[Path]] = {k: [] for k in kinds}
    for i in range(count):
        name = f"svc{i:04d}"
        for kind in kinds:
            # Each kind draws its own stack from the seed, so kinds are independent samples.
            rng = random.Random(f"{seed}:{kind}:{i}")
            stack = draw_stack(rng, name)
            folder = out / kind
            folder.mkdir(parents=True, exist_ok=True)
            if kind == "cfn-yaml":
                path = folder / f"{name}.yaml"
                path.write_text(fit(stack, lambda s: render_cfn_yaml(cloudformation(s))))
            elif kind == "cfn-json":
                path = folder / f"{name}.json"
                path.write_text(fit(stack, lambda s: render_cfn_json(cloudformation(s))))
            elif kind == "terraform":
                path = folder / name
                path.mkdir(exist_ok=True)
                fit(stack, lambda s: "\n".join(terraform(s).values()))
                stack.fillers = stack.fillers[: stack.fitted]
                for file, text in terraform(stack).items():
                    (path / file).write_text(text)
            elif kind == "taskdef":
                path = folder / f"{name}.json"
                path.write_text(fit(stack, task_definition))
            else:
                raise ValueError(f"unknown kind {kind!r}")
            written[kind].append(path)
    return written


def scale_terraform(resources: int, seed: int = 0) -> str:
    """One Terraform module (a single ``main.tf``) with about ``resources`` resources, in the units
    of :func:`scale_template`: a file system with two mount targets, their security group and an
    ingress rule, an access point, a task role, a task definition, a log group and a service."""
    rng = random.Random(seed)
    out = [
        'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
        'data "aws_availability_zones" "az" {}\n',
    ]
    out += [
        f'resource "aws_subnet" "s{i}" {{\n  vpc_id            = aws_vpc.main.id\n'
        f'  cidr_block        = "10.0.{i}.0/24"\n'
        f"  availability_zone = data.aws_availability_zones.az.names[{i}]\n}}\n"
        for i in range(2)
    ]
    out.append(
        'resource "aws_security_group" "task" {\n  vpc_id = aws_vpc.main.id\n  egress {\n'
        '    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n'
        '    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n'
    )
    out.append('resource "aws_ecs_cluster" "main" {\n  name = "scale"\n}\n')
    unit = 10
    for u in range(max(1, (resources - 5) // unit)):
        transit = '"ENABLED"' if rng.random() < 0.8 else '"DISABLED"'
        out.append(
            f'resource "aws_security_group" "efs{u}" {{\n  vpc_id = aws_vpc.main.id\n}}\n'
            f'resource "aws_vpc_security_group_ingress_rule" "efs{u}" {{\n'
            f"  security_group_id            = aws_security_group.efs{u}.id\n"
            f'  ip_protocol                  = "tcp"\n  from_port                    = 2049\n'
            f"  to_port                      = 2049\n"
            f"  referenced_security_group_id = aws_security_group.task.id\n}}\n"
            f'resource "aws_efs_file_system" "fs{u}" {{\n  encrypted = true\n'
            f'  tags      = {{ Name = "fs{u}" }}\n}}\n'
        )
        for i in range(2):
            out.append(
                f'resource "aws_efs_mount_target" "fs{u}_{i}" {{\n'
                f"  file_system_id  = aws_efs_file_system.fs{u}.id\n  subnet_id       = aws_subnet.s{i}.id\n"
                f"  security_groups = [aws_security_group.efs{u}.id]\n}}\n"
            )
        out.append(
            f'resource "aws_efs_access_point" "ap{u}" {{\n  file_system_id = aws_efs_file_system.fs{u}.id\n'
            f"  posix_user {{\n    uid = 1000\n    gid = 1000\n  }}\n"
            f'  root_directory {{\n    path = "/app{u}"\n'
            f"    creation_info {{\n      owner_uid   = 1000\n      owner_gid   = 1000\n"
            f'      permissions = "0755"\n    }}\n  }}\n}}\n'
            f'resource "aws_iam_role" "task{u}" {{\n  name = "task{u}"\n'
            f'  assume_role_policy = jsonencode({{\n    Version = "2012-10-17"\n'
            f'    Statement = [{{ Effect = "Allow", Principal = {{ Service = "ecs-tasks.amazonaws.com" }}, '
            f'Action = "sts:AssumeRole" }}]\n  }})\n}}\n'
            f'resource "aws_cloudwatch_log_group" "app{u}" {{\n  name = "/ecs/app{u}"\n}}\n'
            f'resource "aws_ecs_task_definition" "app{u}" {{\n  family                   = "app{u}"\n'
            f'  requires_compatibilities = ["FARGATE"]\n  network_mode             = "awsvpc"\n'
            f"  cpu                      = 256\n  memory                   = 512\n"
            f"  task_role_arn            = aws_iam_role.task{u}.arn\n"
            f'  container_definitions = jsonencode([{{\n    name  = "app"\n    image = "nginx"\n'
            f'    mountPoints = [{{ sourceVolume = "data", containerPath = "/data" }}]\n  }}])\n'
            f'  volume {{\n    name = "data"\n    efs_volume_configuration {{\n'
            f"      file_system_id     = aws_efs_file_system.fs{u}.id\n"
            f"      transit_encryption = {transit}\n      authorization_config {{\n"
            f"        access_point_id = aws_efs_access_point.ap{u}.id\n"
            f'        iam             = "ENABLED"\n      }}\n    }}\n  }}\n}}\n'
            f'resource "aws_ecs_service" "app{u}" {{\n  name            = "app{u}"\n'
            f"  cluster         = aws_ecs_cluster.main.id\n"
            f"  task_definition = aws_ecs_task_definition.app{u}.arn\n"
            f'  launch_type     = "FARGATE"\n'
            f"  depends_on      = [aws_efs_mount_target.fs{u}_0, aws_efs_mount_target.fs{u}_1]\n"
            f"  network_configuration {{\n    subnets         = [aws_subnet.s0.id, aws_subnet.s1.id]\n"
            f"    security_groups = [aws_security_group.task.id]\n  }}\n}}\n"
        )
    return "\n".join(out)


def write_scale(out: Path, resources: int, fmt: str = "yaml") -> Path:
    """One scale input: a template (``yaml``/``json``) or a Terraform module directory (``tf``)."""
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "tf":
        folder = out / f"scale-{resources}-tf"
        folder.mkdir(exist_ok=True)
        (folder / "main.tf").write_text(scale_terraform(resources))
        return folder
    template = scale_template(resources)
    path = out / f"scale-{resources}.{fmt}"
    path.write_text(render_cfn_yaml(template) if fmt == "yaml" else render_cfn_json(template))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=10, help="stacks per kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--scale", type=int, help="write one template with this many resources instead")
    args = parser.parse_args()
    if args.scale:
        print(write_scale(args.out, args.scale))
        return
    written = generate(args.out, args.count, args.seed, tuple(args.kinds.split(",")))
    for kind, paths in written.items():
        print(f"{kind}: {len(paths)} under {args.out / kind}")


if __name__ == "__main__":
    main()
