"""Project configuration: ``.efslint.yaml`` or ``[tool.efslint]``, found upward and validated.

``settings`` finds, parses and validates the file into a ``Config`` and builds the engine it
asks for; ``globs`` compiles its path patterns.  It may import the engine and the model; the
front-ends, the pipeline and the reporters never import it.
"""
