# The same farm as ../../fixed/terraform, as it often first gets written: NFS opened to the world
# "to make it work", encryption at rest forgotten, an access point path nobody creates, an old
# platform version pinned from a blog post, and the volume renamed in one place only.

locals {
  azs = { a = 0, b = 1, c = 2 }
}

data "aws_availability_zones" "available" {}

resource "aws_vpc" "main" {
  cidr_block           = "10.30.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "app" {
  for_each          = local.azs
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, each.value)
  availability_zone = data.aws_availability_zones.available.names[each.value]
}

resource "aws_security_group" "wordpress" {
  name   = "wordpress"
  vpc_id = aws_vpc.main.id
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "efs" {
  name   = "wordpress-efs"
  vpc_id = aws_vpc.main.id
  ingress {
    protocol    = "tcp"
    from_port   = 2049
    to_port     = 2049
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_efs_file_system" "wp_content" {
  throughput_mode = "elastic"
}

resource "aws_efs_backup_policy" "wp_content" {
  file_system_id = aws_efs_file_system.wp_content.id
  backup_policy {
    status = "ENABLED"
  }
}

resource "aws_efs_mount_target" "wp_content" {
  for_each        = aws_subnet.app
  file_system_id  = aws_efs_file_system.wp_content.id
  subnet_id       = each.value.id
  security_groups = [aws_security_group.efs.id]
}

resource "aws_efs_access_point" "wp_content" {
  file_system_id = aws_efs_file_system.wp_content.id
  posix_user {
    uid = 33 # www-data
    gid = 33
  }
  root_directory {
    path = "/wp-content"
  }
}

resource "aws_iam_role" "task" {
  name                = "wordpress-task"
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonElasticFileSystemClientReadWriteAccess"]
}

resource "aws_ecs_cluster" "web" {
  name = "web"
}

resource "aws_ecs_task_definition" "wordpress" {
  family                   = "wordpress"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  task_role_arn            = aws_iam_role.task.arn

  volume {
    name = "wp-content"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.wp_content.id
      transit_encryption = "ENABLED"
      authorization_config {
        access_point_id = aws_efs_access_point.wp_content.id
        iam             = "ENABLED"
      }
    }
  }

  container_definitions = templatefile("${path.module}/containers.json.tftpl", {
    image  = var.wordpress_image
    volume = "wp_content"
  })
}

resource "aws_ecs_service" "wordpress" {
  name            = "wordpress"
  cluster         = aws_ecs_cluster.web.id
  task_definition = aws_ecs_task_definition.wordpress.arn
  desired_count    = 6
  platform_version = "1.3.0"

  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = 2
    weight            = 1
  }
  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 3
  }

  network_configuration {
    subnets         = [for s in aws_subnet.app : s.id]
    security_groups = [aws_security_group.wordpress.id]
  }

  depends_on = [aws_efs_mount_target.wp_content]
}

variable "wordpress_image" {
  type    = string
  default = "wordpress:6.6-php8.3-apache"
}
