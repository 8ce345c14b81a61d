# Batch tasks launched by EventBridge Scheduler (nightly training) and an EventBridge rule
# (evaluation when new data lands) read one shared dataset read-only through an access point.

resource "aws_vpc" "main" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "batch" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 4, count.index)
  availability_zone = var.azs[count.index]
}

resource "aws_security_group" "batch" {
  name   = "ml-batch"
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
}

resource "aws_security_group_rule" "nfs_from_batch" {
  type                     = "ingress"
  security_group_id        = aws_security_group.efs.id
  protocol                 = "tcp"
  from_port                = 2049
  to_port                  = 2049
  source_security_group_id = aws_security_group.batch.id
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

resource "aws_efs_file_system_policy" "dataset" {
  file_system_id = aws_efs_file_system.dataset.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "*"
        Resource  = aws_efs_file_system.dataset.arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "BatchReadOnly"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.task.arn }
        Action    = "elasticfilesystem:ClientMount"
        Resource  = aws_efs_file_system.dataset.arn
      },
    ]
  })
}

resource "aws_efs_mount_target" "dataset" {
  count           = length(aws_subnet.batch)
  file_system_id  = aws_efs_file_system.dataset.id
  subnet_id       = aws_subnet.batch[count.index].id
  security_groups = [aws_security_group.efs.id]
}

resource "aws_efs_access_point" "dataset" {
  file_system_id = aws_efs_file_system.dataset.id
  posix_user {
    uid = 2000
    gid = 2000
  }
  root_directory {
    path = "/datasets"
    creation_info {
      owner_uid   = 2000
      owner_gid   = 2000
      permissions = "755"
    }
  }
}

resource "aws_iam_role" "task" {
  name                = "ml-batch-task"
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonElasticFileSystemClientReadOnlyAccess"]
}

resource "aws_ecs_cluster" "batch" {
  name = "ml-batch"
}

resource "aws_ecs_task_definition" "train" {
  family                   = "ml-train"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 4096
  memory                   = 16384
  task_role_arn            = aws_iam_role.task.arn

  volume {
    name = "dataset"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.dataset.id
      transit_encryption = "ENABLED"
      authorization_config {
        access_point_id = aws_efs_access_point.dataset.id
        iam             = "ENABLED"
      }
    }
  }

  container_definitions = jsonencode([
    {
      name        = "train"
      image       = var.image
      essential   = true
      mountPoints = [{ sourceVolume = "dataset", containerPath = "/datasets", readOnly = true }]
    }
  ])
}

resource "aws_iam_role" "scheduler" {
  name               = "ml-batch-scheduler"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "scheduler.amazonaws.com" } }] })
}

resource "aws_scheduler_schedule" "nightly_training" {
  name                = "nightly-training"
  schedule_expression = "cron(0 2 * * ? *)"
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn      = aws_ecs_cluster.batch.arn
    role_arn = aws_iam_role.scheduler.arn
    ecs_parameters {
      task_definition_arn = aws_ecs_task_definition.train.arn
      launch_type         = "FARGATE"
      network_configuration {
        subnets          = aws_subnet.batch[*].id
        security_groups  = [aws_security_group.batch.id]
        assign_public_ip = false
      }
    }
  }
  depends_on = [aws_efs_mount_target.dataset]
}

resource "aws_cloudwatch_event_rule" "new_data" {
  name          = "ml-new-data"
  event_pattern = jsonencode({ source = ["aws.s3"], "detail-type" = ["Object Created"] })
}

resource "aws_cloudwatch_event_target" "evaluate" {
  rule     = aws_cloudwatch_event_rule.new_data.name
  arn      = aws_ecs_cluster.batch.arn
  role_arn = aws_iam_role.scheduler.arn
  ecs_target {
    task_definition_arn = aws_ecs_task_definition.train.arn
    launch_type         = "FARGATE"
    network_configuration {
      subnets         = aws_subnet.batch[*].id
      security_groups = [aws_security_group.batch.id]
    }
  }
  depends_on = [aws_efs_mount_target.dataset]
}

variable "azs" {
  type    = list(string)
  default = ["eu-central-1a", "eu-central-1b"]
}

variable "image" {
  type    = string
  default = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/ml-train:2025.11"
}
