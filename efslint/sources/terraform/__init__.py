"""Terraform into the model: HCL modules (a directory is one module) and plan JSON.

``load`` is the entry point for a module directory, ``hcl`` parses HCL files, ``module`` gathers a
module's files, variables and child modules, ``evaluate`` evaluates expressions (references,
functions, ``count``/``for_each``), ``resources`` maps ``aws_*`` resources to model entities and
links, and ``plan`` reads ``terraform show -json`` output through the same mapping.
"""
