"""The command line: option tables, the click commands, and the click-free fast path.

``argv`` declares every option once and parses the plain ``efslint [lint] PATHS`` call without
click; ``commands`` builds the click group (``lint``, ``scan``, ``rules``, ``explain``, ``init``)
from the same tables; ``lint`` and ``scan`` hold the two commands' bodies and ``run`` what they
share (engine set-up, report, exit code).  This is the top of the tree: it may import everything
below it, and nothing in efslint imports it except ``efslint.__main__``.
"""
