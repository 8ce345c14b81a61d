"""Instructions per input, counted by valgrind: a measure of efslint's own work that machine drift
does not move (wall and CPU times on a shared machine vary by ±10% over minutes).

    .venv/bin/python bench/instructions.py DIR [--count N]

Runs ``lint_paths`` serially over the first N inputs of DIR (a folder of Terraform modules or of
templates) once and then twice, each in a fresh process under ``valgrind --tool=callgrind`` with
``PYTHONHASHSEED=0``, and prints (second − first) / N: the instructions of one pass, start-up and
imports left out. Needs ``valgrind`` on the PATH; a run takes about a minute for 40 modules.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_PASSES = """
import sys
from efslint.config.settings import build_engine, load_config
from efslint.pipeline.lint import lint_paths
_, engine = build_engine(load_config(None), [], [], [])
for _ in range(int(sys.argv[2])):
    lint_paths(engine, [sys.argv[1]], jobs=1)
"""


def instructions(folder: Path, passes: int) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c"]
    done = subprocess.run(
        [*command, _PASSES, str(folder), str(passes)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no instruction count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    inputs = sorted(p for p in args.folder.iterdir() if not p.name.startswith("."))[: args.count]
    with tempfile.TemporaryDirectory() as work:
        sample = Path(work) / "inputs"
        sample.mkdir()
        for path in inputs:  # copies: discovery does not follow links
            copy = shutil.copytree if path.is_dir() else shutil.copy
            copy(path, sample / path.name)
        one, two = instructions(sample, 1), instructions(sample, 2)
    print(f"{(two - one) / len(inputs) / 1e6:.2f} million instructions per input ({len(inputs)} inputs)")


if __name__ == "__main__":
    main()
