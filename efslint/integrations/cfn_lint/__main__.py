"""Print the directory to pass to ``cfn-lint --append-rules``."""

from . import RULES_DIR

print(RULES_DIR)
