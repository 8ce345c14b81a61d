variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

variable "image" {
  type    = string
  default = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/game-server:2.4.1"
}
