"""Integrations with other tools (cfn-lint)."""
