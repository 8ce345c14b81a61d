"""Benchmark efslint against cfn-lint and checkov on the same generated stacks, in one run.

    .venv/bin/python bench/run.py                 # full run: 1, 100 and 1,000 files (about 30 min)
    .venv/bin/python bench/run.py --quick         # 1 and 20 files, 3 runs, no 1,000 (a few minutes)
    .venv/bin/python bench/run.py --skip-peers    # efslint only

Everything is timed as a separate process, as a user or CI would run it.  Tools alternate within
each scenario (and the order rotates every round) so drift on the machine hits them all alike.
Peak memory is the largest resident set of the process or any of its children (``wait4``), in MiB.
cfn-lint and checkov are installed into ``bench/.venv-peers`` (git-ignored) at pinned versions.
Results: a Markdown report (``bench/RESULTS.md`` by default) and the raw numbers as JSON beside it
under ``bench/results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus_gen  # noqa: E402  (a sibling script, not a package)

PEERS = {"cfn-lint": "cfn-lint==1.58.0", "checkov": "checkov==3.3.30"}
PEER_VENV = HERE / ".venv-peers"
# The console script, as users run it (``python -m`` would add runpy's import to every start).
_SCRIPT = Path(sys.executable).parent / "efslint"
EFSLINT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "efslint"]
SCALE_SIZES = (625, 1250, 2500, 5000)


@dataclass
class Sample:
    seconds: float
    peak_mib: float
    exit_code: int
    # User + system CPU of the process and its children: robust when other jobs share the machine.
    cpu_seconds: float = 0.0


@dataclass
class Measure:
    scenario: str
    tool: str
    files: int
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mib(self) -> float:
        return max(s.peak_mib for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples)


def run_once(cmd: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Sample:
    """Wall time and peak RSS of one command (its own and its children's, whichever is larger)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env or os.environ.copy()
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Sample(elapsed, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime)


# --------------------------------------------------------------------------------------------
# Set-up


def ensure_peers() -> dict[str, Path]:
    """cfn-lint and checkov in their own virtualenv, so their dependencies never touch efslint's."""
    bins = {name: PEER_VENV / "bin" / name for name in PEERS}
    if all(path.exists() for path in bins.values()):
        return bins
    print(f"installing {', '.join(PEERS.values())} into {PEER_VENV} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    pip = [str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, *PEERS.values()], check=True)
    return bins


def peer_versions(bins: dict[str, Path]) -> dict[str, str]:
    versions = {}
    for name, path in bins.items():
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True).stdout.strip()
        versions[name] = out.splitlines()[-1] if out else "?"
    return versions


def link_subset(sources: list[Path], folder: Path) -> list[Path]:
    """Hard links to ``sources`` under ``folder``: real files for every tool, no extra disk."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for source in sources:
        target = folder / source.name
        if source.is_dir():
            target.mkdir(exist_ok=True)
            for item in source.iterdir():
                if not (target / item.name).exists():
                    os.link(item, target / item.name)
        elif not target.exists():
            os.link(source, target)
        made.append(target)
    return made


def prepare_corpus(work: Path, sizes: Sequence[int], seed: int) -> dict[tuple[str, int], list[Path]]:
    """Per (set, size): the paths to lint.  ``cfn`` mixes YAML and JSON templates half and half."""
    biggest = max(sizes)
    source = work / f"source-{seed}-{biggest}"
    stamp = source / ".complete"
    if not stamp.exists():
        print(f"generating {biggest} stacks of each kind under {source} ...", file=sys.stderr)
        corpus_gen.generate(source, biggest, seed)
        stamp.write_text("ok\n")
    by_kind = {kind: sorted((source / kind).iterdir()) for kind in corpus_gen.KINDS}
    sets: dict[tuple[str, int], list[Path]] = {}
    for n in sizes:
        yaml_count = (n + 1) // 2
        cfn = by_kind["cfn-yaml"][:yaml_count] + by_kind["cfn-json"][: n - yaml_count]
        sets[("cfn", n)] = link_subset(cfn, work / f"cfn-{seed}-{n}")
        sets[("terraform", n)] = link_subset(by_kind["terraform"][:n], work / f"terraform-{seed}-{n}")
        sets[("taskdef", n)] = link_subset(by_kind["taskdef"][:n], work / f"taskdef-{seed}-{n}")
    return sets


# --------------------------------------------------------------------------------------------
# Commands


def parse_floor_cmd(kind: str, paths: list[Path]) -> list[str]:
    """A process that only parses the files with the C loaders: the floor for any Python linter."""
    code = (
        "import sys, json, yaml\n"
        "L = yaml.CSafeLoader\n"
        "for a in sys.argv[1:]:\n"
        "    t = open(a, encoding='utf-8').read()\n"
        "    json.loads(t) if a.endswith('.json') else yaml.load(t, Loader=L)\n"
    )
    if kind == "cfn":
        # CloudFormation short-form tags (!Ref, !Sub, ...) need a constructor, as in any CFN reader.
        code = code.replace(
            "L = yaml.CSafeLoader\n",
            "class L(yaml.CSafeLoader): pass\n"
            "L.add_multi_constructor('!', lambda l, s, n: l.construct_scalar(n) "
            "if isinstance(n, yaml.ScalarNode) else l.construct_sequence(n) "
            "if isinstance(n, yaml.SequenceNode) else l.construct_mapping(n))\n",
        )
    return [sys.executable, "-c", code, *map(str, paths)]


def files_of(paths: list[Path]) -> list[Path]:
    return [f for p in paths for f in (sorted(p.iterdir()) if p.is_dir() else [p])]


def commands(
    kind: str, folder: Path, paths: list[Path], bins: dict[str, Path] | None
) -> dict[str, list[str]]:
    cmds: dict[str, list[str]] = {"efslint": [*EFSLINT, "--exit-zero", str(folder)]}
    if kind == "cfn":
        cmds["parse floor (C loader)"] = parse_floor_cmd(kind, files_of(paths))
    if bins is None:
        return cmds
    if kind == "cfn":
        cmds["cfn-lint"] = [str(bins["cfn-lint"]), "--format", "parseable", *map(str, paths)]
        cmds["checkov"] = [
            str(bins["checkov"]), "-d", str(folder), "--framework", "cloudformation",
            "--quiet", "--compact", "--skip-download",
        ]  # fmt: skip
    elif kind == "terraform":
        cmds["checkov"] = [
            str(bins["checkov"]), "-d", str(folder), "--framework", "terraform",
            "--quiet", "--compact", "--skip-download",
        ]  # fmt: skip
    return cmds


def measure_alternating(
    label: str, files: int, cmds: dict[str, list[str]], runs: dict[str, int], log: Callable[[str], None]
) -> list[Measure]:
    results = {tool: Measure(label, tool, files) for tool in cmds}
    tools = list(cmds)
    for round_ in range(max(runs.get(t, 1) for t in tools)):
        order = tools[round_ % len(tools) :] + tools[: round_ % len(tools)]
        for tool in order:
            if len(results[tool].samples) >= runs.get(tool, 1):
                continue
            sample = run_once(cmds[tool])
            results[tool].samples.append(sample)
            log(
                f"  {label:<22} {tool:<24} {sample.seconds:8.3f} s wall {sample.cpu_seconds:8.3f} s cpu "
                f"{sample.peak_mib:7.1f} MiB"
            )
    return list(results.values())


# --------------------------------------------------------------------------------------------
# The complexity check: one template, doubling resources


def scale_curve(work: Path, runs: int, log: Callable[[str], None]) -> list[dict[str, float]]:
    rows = []
    for fmt in ("yaml", "json", "tf"):
        for size in SCALE_SIZES:
            name = f"scale-{size}-tf" if fmt == "tf" else f"scale-{size}.{fmt}"
            path = work / "scale" / name
            if not path.exists():
                corpus_gen.write_scale(path.parent, size, fmt)
            # In-process time of lint_paths alone, so start-up does not flatten the curve.
            code = (
                "import sys, time\n"
                "from efslint.engine.catalog import Catalog\nfrom efslint.engine.runner import Engine\n"
                "from efslint.pipeline.lint import lint_paths\n"
                "e = Engine(Catalog.load()); s = time.perf_counter()\n"
                "r = lint_paths(e, [sys.argv[1]]); print(time.perf_counter() - s, len(r.findings))\n"
            )
            inner, walls = [], []
            findings = 0
            for _ in range(runs):
                out = subprocess.run(
                    [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
                ).stdout.split()
                inner.append(float(out[0]))
                findings = int(out[1])
                walls.append(run_once([*EFSLINT, "--exit-zero", str(path)]).seconds)
            row = {
                "format": fmt,
                "resources": size,
                "lines": (path / "main.tf" if path.is_dir() else path).read_text().count("\n"),
                "findings": findings,
                "lint_s": statistics.median(inner),
                "wall_s": statistics.median(walls),
            }
            rows.append(row)
            log(f"  scale {fmt} {size:>5} resources: lint {row['lint_s']:.3f} s, wall {row['wall_s']:.3f} s")
    return rows


# --------------------------------------------------------------------------------------------
# Report


def _fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def report(
    measures: list[Measure],
    scale: list[dict[str, float]],
    meta: dict[str, str],
    command: str,
) -> str:
    by = {(m.scenario, m.tool): m for m in measures}
    lines = [
        "# efslint benchmark",
        "",
        f"Produced by `{command}` on {meta['date']} ({meta['machine']}).",
        f"Tools: {meta['tools']}.",
        "",
        "Medians over the runs shown. `wall` is elapsed time, `cpu` the user + system time of the",
        "process and its children (steadier when other jobs share the machine); peak memory is the",
        "largest resident set of the process or any one child (MiB); `× efslint` is the tool's wall",
        "time over efslint's on the same files in the same run.",
        "",
        "| scenario | tool | runs | wall | cpu | peak MiB | × efslint |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in measures:
        base = by.get((m.scenario, "efslint"))
        ratio = f"{m.median / base.median:.2f}" if base and m.tool != "efslint" else ""
        lines.append(
            f"| {m.scenario} | {m.tool} | {len(m.samples)} | {_fmt_s(m.median)} | {_fmt_s(m.cpu)} "
            f"| {m.peak_mib:.0f} | {ratio} |"
        )
    lines += ["", "## Per-file cost", "", "| set | tool | per extra file |", "| --- | --- | ---: |"]
    for (scenario, tool), m in by.items():
        if not scenario.endswith(" x1"):
            continue
        kind = scenario[: -len(" x1")]
        bigger = [x for (s, t), x in by.items() if t == tool and s.startswith(kind + " x") and x.files > 1]
        if bigger:
            top = max(bigger, key=lambda x: x.files)
            cost = (top.median - m.median) / (top.files - 1)
            lines.append(f"| {kind} ({top.files} files) | {tool} | {cost * 1000:.1f} ms |")
    lines += [
        "",
        "## Targets",
        "",
        "Same machine, same run. `cpu` compares CPU time instead of wall time (with worker",
        "processes, efslint's CPU time exceeds its wall time).",
        "",
        "| target | wall | cpu | met |",
        "| --- | --- | --- | --- |",
    ]
    lines += _targets(by)
    if scale:
        lines += [
            "",
            "## Complexity: one template (or one Terraform module), doubling the resources",
            "",
            "`lint` is the in-process time of `lint_paths` (no start-up); `wall` is the whole command;",
            "`× prev` is the lint time over the previous row's (2.0 = linear).",
            "",
            "| format | resources | lines | findings | lint | × prev | wall |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        previous: dict[str, float] = {}
        for row in scale:
            prev = previous.get(row["format"])
            growth = f"{row['lint_s'] / prev:.2f}" if prev else ""
            previous[row["format"]] = row["lint_s"]
            lines.append(
                f"| {row['format']} | {row['resources']} | {row['lines']} | {row['findings']} | "
                f"{_fmt_s(row['lint_s'])} | {growth} | {_fmt_s(row['wall_s'])} |"
            )
    return "\n".join(lines) + "\n"


def _targets(by: dict[tuple[str, str], Measure]) -> list[str]:
    """Rows of the targets table: the wall-time ratio decides; the CPU ratio is shown beside it."""
    rows = []

    def get(scenario: str, tool: str) -> Measure | None:
        return by.get((scenario, tool))

    def add(name: str, wall: float, cpu: float | None, limit: float, unit: str, lower: bool = True) -> None:
        met = wall <= limit if lower else wall >= limit
        sign = "≤" if lower else "≥"
        cpu_text = f"{cpu:.3g}{unit}" if cpu is not None else ""
        rows.append(
            f"| {name} ({sign} {limit:g}{unit}) | {wall:.3g}{unit} | {cpu_text} | {'yes' if met else '**no**'} |"
        )

    def ratio(a: Measure, b: Measure) -> tuple[float, float | None]:
        return a.median / b.median, (a.cpu / b.cpu if b.cpu > 0 else None)

    base = get("start-up", "python -c pass")
    version = get("start-up", "efslint --version")
    one = get("cfn x1", "efslint")
    if base and version:
        add("`efslint --version` / `python -c pass`", *ratio(version, base), 2, "×")
    if base and one:
        add("one template / `python -c pass`", *ratio(one, base), 4, "×")
    cfn_one = get("cfn x1", "cfn-lint")
    if one and cfn_one:
        add("one template / cfn-lint", *ratio(one, cfn_one), 0.05, "×")
    if one:
        add("peak memory, one template", one.peak_mib, None, 60, " MiB")
    sizes = sorted({m.files for (s, t), m in by.items() if s.startswith("cfn x")})
    if sizes and sizes[-1] > 1:
        big = f"cfn x{sizes[-1]}"
        mine, peer, floor = get(big, "efslint"), get(big, "cfn-lint"), get(big, "parse floor (C loader)")
        if mine and peer:
            add(f"{sizes[-1]} templates: cfn-lint / efslint", *ratio(peer, mine), 50, "×", lower=False)
        if mine and floor:
            add(f"{sizes[-1]} templates: efslint / C-loader parse", *ratio(mine, floor), 3, "×")
        if mine and one:
            add(f"memory growth 1 → {sizes[-1]} templates", mine.peak_mib / one.peak_mib, None, 3, "×")
    return rows


# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1,100,1000", help="numbers of files per set")
    parser.add_argument("--runs", type=int, default=5, help="runs per tool for small sets")
    parser.add_argument("--big-runs", type=int, default=3, help="efslint runs for sets of 500+ files")
    parser.add_argument("--peer-big-runs", type=int, default=1, help="peer runs for sets of 500+ files")
    parser.add_argument("--sets", default="cfn,terraform,taskdef")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--quick", action="store_true", help="1 and 20 files, 3 runs")
    parser.add_argument("--work", type=Path, default=HERE / "corpus", help="where the corpus goes")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.big_runs = "1,20", 3, 3
    sizes = [int(s) for s in args.sizes.split(",")]
    sets = args.sets.split(",")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    # An installed wheel has byte-compiled modules; a checkout may not (PYTHONDONTWRITEBYTECODE),
    # and compiling the sources on every start would be measured as start-up.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "efslint")], check=True)
    load_before = os.getloadavg()[0]
    bins = None if args.skip_peers else ensure_peers()
    versions = peer_versions(bins) if bins else {}
    args.work, args.out = args.work.resolve(), args.out.resolve()
    corpus = prepare_corpus(args.work, sizes, args.seed)
    measures: list[Measure] = []
    # Every tool runs from an empty directory outside this checkout, as in a user's repository:
    # from here, efslint would also read this project's pyproject.toml looking for [tool.efslint].
    os.chdir(tempfile.mkdtemp(prefix="efslint-bench-"))

    log("start-up")
    startup = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "efslint --version": [*EFSLINT, "--version"],
    }
    measures += measure_alternating("start-up", 0, startup, dict.fromkeys(startup, max(args.runs, 10)), log)
    for kind in sets:
        for n in sizes:
            paths = corpus[(kind, n)]
            folder = paths[0].parent
            cmds = commands(kind, folder, paths, bins)
            big = n >= 500
            runs = {
                tool: (args.peer_big_runs if tool in PEERS else args.big_runs) if big else args.runs
                for tool in cmds
            }
            log(f"{kind} x{n}")
            measures += measure_alternating(f"{kind} x{n}", n, cmds, runs, log)
    scale = [] if args.skip_scale else scale_curve(args.work, 3, log)

    tools = [f"efslint (Python {platform.python_version()})"] + [
        v if v.startswith(k) else f"{k} {v}" for k, v in versions.items()
    ]
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"load average {load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end",
        "tools": ", ".join(tools),
    }
    shown = " ".join(["python", "bench/run.py", *(argv if argv is not None else sys.argv[1:])])
    text = report(measures, scale, meta, shown.strip())
    args.out.write_text(text)
    raw = HERE / "results" / (args.out.stem + ".json")
    raw.parent.mkdir(exist_ok=True)
    raw.write_text(
        json.dumps(
            {
                "meta": meta,
                "measures": [
                    {"scenario": m.scenario, "tool": m.tool, "files": m.files,
                     "samples": [vars(s) for s in m.samples]}
                    for m in measures
                ],
                "scale": scale,
            },
            indent=2,
        )
    )  # fmt: skip
    print(text)


if __name__ == "__main__":
    main()
