"""Profile efslint the way the benchmark runs it, and print the entries that dominate.

    .venv/bin/python bench/profile_lint.py PATH [PATH ...] [--top 20] [--sort tottime|cumulative]

One process, serial (``--jobs 1`` semantics, so the profile sees the parsing and the rules rather
than a pool waiting on workers), imports included: the whole command as a user pays for it.
``-X importtime`` complements it for start-up (``python -X importtime -m efslint FILE``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    args = parser.parse_args()

    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    # Imported under the profiler on purpose: start-up is part of what a pre-commit hook pays.
    from efslint.config.settings import build_engine, load_config
    from efslint.pipeline.lint import lint_paths

    _, engine = build_engine(load_config(None), [], [], [])
    result = lint_paths(engine, args.paths, jobs=1)
    profile.disable()
    elapsed = time.perf_counter() - start
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats(args.sort).print_stats(args.top)
    print(
        f"{len(result.files)} file(s), {len(result.findings)} finding(s), {elapsed:.3f} s under the profiler"
    )
    print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
