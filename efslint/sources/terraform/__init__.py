"""Terraform into the model: HCL and ``.tf.json`` modules (a directory is one module) and plan JSON.

``load`` is the entry point for a module directory; ``hcl`` parses HCL files (``hcl_tree`` turns
tree-sitter's tree into the node types of ``syntax``, ``literals`` reads tuples and objects of
plain literals through the C JSON decoder, ``plain_strings`` hands plain strings to the parser as
names of the same length) and ``hcl_json`` reads Terraform's JSON syntax into the same nodes;
``module`` gathers a module's files, variables and child modules (instances of ``count``/
``for_each`` calls included) and reports duplicate addresses; ``evaluate`` evaluates expressions
(references, functions, ``count``/``for_each``), ``document`` gives a resource instance's arguments
as the located mapping the mapper reads, ``resources`` maps ``aws_*`` resources to model entities
and links (``batch`` the ``aws_batch_*`` resources for it), and ``plan`` reads ``terraform show
-json`` output through the same mapping.
"""
