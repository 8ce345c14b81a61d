# The ML shared-dataset scenario on AWS Batch (Fargate): many training jobs read one EFS dataset.
# One job queue feeds one Fargate compute environment spread over two AZs, each with a mount target.

resource "aws_vpc" "main" {
  cidr_block           = "10.60.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.60.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.60.2.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_security_group" "jobs" {
  name   = "ml-training-jobs"
  vpc_id = aws_vpc.main.id
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "efs" {
  name   = "ml-dataset-efs"
  vpc_id = aws_vpc.main.id
  ingress {
    protocol        = "tcp"
    from_port       = 2049
    to_port         = 2049
    security_groups = [aws_security_group.jobs.id]
  }
}

resource "aws_efs_file_system" "dataset" {
  encrypted = true
}

resource "aws_efs_backup_policy" "dataset" {
  file_system_id = aws_efs_file_system.dataset.id
  backup_policy {
    status = "ENABLED"
  }
}

resource "aws_efs_mount_target" "a" {
  file_system_id  = aws_efs_file_system.dataset.id
  subnet_id       = aws_subnet.a.id
  security_groups = [aws_security_group.efs.id]
}

resource "aws_efs_mount_target" "b" {
  file_system_id  = aws_efs_file_system.dataset.id
  subnet_id       = aws_subnet.b.id
  security_groups = [aws_security_group.efs.id]
}

resource "aws_efs_access_point" "dataset" {
  file_system_id = aws_efs_file_system.dataset.id
  posix_user {
    uid = 1000
    gid = 1000
  }
  root_directory {
    path = "/datasets"
    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "0755"
    }
  }
}

resource "aws_iam_role" "job" {
  name = "ml-training-job"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "read-dataset"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "elasticfilesystem:ClientMount"
        Resource = aws_efs_file_system.dataset.arn
      }]
    })
  }
}

resource "aws_batch_compute_environment" "fargate" {
  compute_environment_name = "ml-fargate"
  type                     = "MANAGED"
  compute_resources {
    type               = "FARGATE"
    max_vcpus          = 256
    subnets            = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = [aws_security_group.jobs.id]
  }
}

resource "aws_batch_job_queue" "training" {
  name     = "ml-training"
  state    = "ENABLED"
  priority = 1
  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.fargate.arn
  }
}

resource "aws_batch_job_definition" "train" {
  name                  = "train"
  type                  = "container"
  platform_capabilities = ["FARGATE"]
  container_properties = jsonencode({
    image      = "public.ecr.aws/example/train:latest"
    jobRoleArn = aws_iam_role.job.arn
    resourceRequirements = [
      { type = "VCPU", value = "4" },
      { type = "MEMORY", value = "16384" },
    ]
    volumes = [{
      name = "dataset"
      efsVolumeConfiguration = {
        fileSystemId      = aws_efs_file_system.dataset.id
        transitEncryption = "ENABLED"
        authorizationConfig = {
          accessPointId = aws_efs_access_point.dataset.id
          iam           = "ENABLED"
        }
      }
    }]
    mountPoints = [{ sourceVolume = "dataset", containerPath = "/data", readOnly = true }]
  })
}
