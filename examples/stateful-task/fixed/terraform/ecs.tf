data "aws_iam_policy_document" "assume_ecs_tasks" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "task" {
  name               = "game-server-task"
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json
}

data "aws_iam_policy_document" "efs_client" {
  statement {
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    resources = [aws_efs_file_system.state.arn]
  }
}

resource "aws_iam_role_policy" "efs_client" {
  name   = "efs-client"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.efs_client.json
}

resource "aws_ecs_cluster" "main" {
  name = "game"
}

resource "aws_ecs_task_definition" "server" {
  family                   = "game-server"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048
  task_role_arn            = aws_iam_role.task.arn

  volume {
    name = "server-config"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.state.id
      transit_encryption = "ENABLED"
      authorization_config {
        access_point_id = aws_efs_access_point.config.id
        iam             = "ENABLED"
      }
    }
  }

  volume {
    name = "world-data"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.state.id
      transit_encryption = "ENABLED"
      authorization_config {
        access_point_id = aws_efs_access_point.data.id
        iam             = "ENABLED"
      }
    }
  }

  container_definitions = jsonencode([
    {
      name         = "server"
      image        = var.image
      essential    = true
      portMappings = [{ containerPort = 7777, protocol = "udp" }]
      mountPoints = [
        { sourceVolume = "server-config", containerPath = "/server" },
        { sourceVolume = "world-data", containerPath = "/data" },
      ]
    }
  ])
}

resource "aws_ecs_service" "server" {
  name            = "game-server"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.server.arn
  launch_type     = "FARGATE"
  desired_count   = 1

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.service.id]
  }

  # Tasks must not start before the mount targets exist ("Failed to resolve" on first deploy).
  depends_on = [aws_efs_mount_target.state]
}
