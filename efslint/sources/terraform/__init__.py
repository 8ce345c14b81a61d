"""Terraform into the model: HCL and ``.tf.json`` modules (a directory is one module) and plan JSON.

``load`` is the entry point for a module directory; ``hcl`` parses HCL files (``hcl_tree`` turns
tree-sitter's tree into the node types of ``syntax``) and ``hcl_json`` reads Terraform's JSON
syntax into the same nodes; ``module`` gathers a module's files, variables and child modules
(instances of ``count``/``for_each`` calls included) and reports duplicate addresses; ``evaluate``
evaluates expressions (references, functions, ``count``/``for_each``), ``resources`` maps ``aws_*``
resources to model entities and links, and ``plan`` reads ``terraform show -json`` output through
the same mapping.
"""
