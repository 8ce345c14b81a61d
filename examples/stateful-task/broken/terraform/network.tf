# The same service as ../../fixed/terraform, with the mistakes of a first Terraform EFS stack:
# DNS hostnames left at the aws_vpc default (off), a task security group without egress (Terraform
# removes AWS's default allow-all egress), one mount target for a service spread over two AZs, no
# depends_on on the mount targets, and a config volume that sets root_directory next to an access
# point and forgets transit encryption.

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index + 1)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_security_group" "service" {
  name   = "game-server"
  vpc_id = aws_vpc.main.id

  ingress {
    protocol    = "udp"
    from_port   = 7777
    to_port     = 7777
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "efs" {
  name   = "game-server-efs"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "nfs_from_service" {
  security_group_id            = aws_security_group.efs.id
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
  referenced_security_group_id = aws_security_group.service.id
}
