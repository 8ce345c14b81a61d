"""Integrations with other tools: efslint's rules inside cfn-lint (``integrations.cfn_lint``).

They sit beside the CLI at the top: they may import the pipeline, the engine and the model, and
nothing inside efslint imports them.
"""
