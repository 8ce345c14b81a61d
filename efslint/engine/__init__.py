"""The rule engine: the catalog, running it on a model, and what happens to the findings after.

``catalog`` reads the rule files (``rule_files`` finds them; ``catalog_cache`` keeps a compiled JSON
copy for start-up), ``schema_eval`` compiles the declarative conditions, ``runner`` runs compiled
rules and the predicates of :mod:`efslint.checks` on a :class:`~efslint.model.Model`,
``custom_rules`` validates user rule folders, ``suppressions`` and ``baseline`` mark findings the
user has accepted, and ``rule_docs`` renders a rule's documentation.  It may import the model,
findings, checks and policy; never the pipeline, the front-ends, the reporters or the CLI.
"""
