"""The topology reports: what the graph marks, and that the Markdown and HTML are well formed.

Golden files of the three examples are in ``tests/golden/`` (see its README to regenerate them).
"""

from __future__ import annotations

import os
import re
from html import unescape
from pathlib import Path

import model_builders as mb
import pytest
from click.testing import CliRunner
from report_checks import check_html, check_markdown, links, parse_mermaid

from efslint.cli.commands import cli
from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.findings import Finding, Severity
from efslint.model import Location, Unknown
from efslint.pipeline.lint import lint_paths
from efslint.pipeline.result import LintResult
from efslint.report import Report, render
from efslint.report.markdown_format import mermaid
from efslint.report.sections import MAX_DIAGRAMS
from efslint.report.topology import Edge, Graph, Node, Topology, build

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = ("stateful-task", "wordpress-farm", "ml-batch")
CATALOG = Catalog.load()
ENGINE = Engine(CATALOG)


def topology_of(path: str) -> Topology:
    result = lint_paths(ENGINE, [str(ROOT / path)], keep_models=True)
    return build(result.models, result.findings)


def graph(topology: Topology, title: str, file_end: str) -> Graph:
    [found] = [g for g in topology.graphs if g.title == title and g.file.endswith(file_end)]
    return found


def node(graph: Graph, kind: str, name: str) -> Node:
    [found] = [n for n in graph.nodes if n.kind == kind and n.name == name]
    return found


def edge(graph: Graph, source: str, target: str) -> Edge:
    [found] = [e for e in graph.edges if e.source == source and e.target == target]
    return found


def report_of(result: LintResult, fmt: str) -> str:
    code, reason = result.exit_code(Severity.WARNING)
    return render(fmt, Report(result, CATALOG, Severity.WARNING, code, reason))


# -- the graph ------------------------------------------------------------------------------------


def test_a_task_subnet_in_an_az_without_mount_target_is_the_broken_link() -> None:
    service = graph(
        topology_of("examples/stateful-task/broken"), "ECS service Service", "cloudformation.yaml"
    )
    workload = node(service, "workload", "Service")
    lonely = node(service, "subnet", "PrivateSubnetB")
    covered = node(service, "subnet", "PrivateSubnetA")
    mount_target = node(service, "mount_target", "MountTargetA")
    assert lonely.mark.rules == ["EFS301"] and lonely.mark.broken
    assert covered.mark.rules == []
    assert "EFS301" in edge(service, workload.id, lonely.id).mark.rules
    assert edge(service, workload.id, covered.id).mark.rules == []
    # The covered subnet reaches the mount target in its AZ, through both ends' security groups.
    path = edge(service, covered.id, mount_target.id)
    assert path.label == "ServiceSecurityGroup → EfsSecurityGroup"
    assert not [e for e in service.edges if e.source == lonely.id]
    assert node(service, "efs_volume", "server-config").mark.rules == ["EFS101", "EFS102", "EFS103", "EFS402"]
    assert node(service, "efs_volume", "world-data").mark.rules == []
    # Findings are grouped under the graph they concern.
    assert {f.rule_id for f in service.findings} == {
        "EFS101",
        "EFS102",
        "EFS103",
        "EFS301",
        "EFS302",
        "EFS309",
        "EFS402",
    }


def test_a_security_group_finding_marks_the_network_edges_it_is_on() -> None:
    service = graph(
        topology_of("examples/wordpress-farm/broken"), "ECS service Service", "cloudformation.yaml"
    )
    network = [e for e in service.edges if "WordPressSecurityGroup" in e.label]
    assert len(network) == 3  # one per AZ: subnet → mount target
    for path in network:
        assert path.mark.rules == ["EFS305", "EFS306"] and path.mark.broken
    assert all(e.mark.rules == [] for e in service.edges if e.source == "n0")


def test_what_the_input_does_not_define_is_unknown_and_dashed() -> None:
    taskdef = graph(
        topology_of("examples/stateful-task/broken/task-definition.json"),
        "Task definition game-server",
        ".json",
    )
    external = node(taskdef, "file_system", "fs-0a1b2c3d4e5f60718")
    assert external.unknown and external.detail == "not in this input"
    assert [n.name for n in taskdef.nodes].count("fs-0a1b2c3d4e5f60718") == 1  # both volumes, one node
    chart = parse_mermaid(mermaid(taskdef))
    into = [(s, dotted) for s, t, _, dotted in chart.edges if t == external.id]
    assert len(into) == 2 and all(dotted for _, dotted in into)
    assert external.id in chart.classes["unknown"]


def test_an_unknown_az_gives_dashed_paths_to_every_mount_target() -> None:
    stack = mb.stack(az_b=Unknown("parameter without default"))
    topology = build([stack.model()], [])
    [service] = [g for g in topology.graphs if g.title == "ECS service Service"]
    subnet_b = node(service, "subnet", "PrivateSubnetB")
    assert subnet_b.unknown and subnet_b.detail == "AZ unknown"
    paths = {node_name(service, e.target): e.unknown for e in service.edges if e.source == subnet_b.id}
    assert paths == {"MountTargetA": True, "MountTargetB": True}
    subnet_a = node(service, "subnet", "PrivateSubnetA")
    # MountTargetB is in the unknown AZ too, which may be us-east-1a: a possible path, dashed.
    paths_a = {node_name(service, e.target): e.unknown for e in service.edges if e.source == subnet_a.id}
    assert paths_a == {"MountTargetA": False, "MountTargetB": True}
    assert all(not n.mark.rules for n in service.nodes)


def node_name(graph: Graph, node_id: str) -> str:
    return next(n.name for n in graph.nodes if n.id == node_id)


def test_a_clean_stack_has_no_marks_and_a_workload_that_uses_no_efs_gets_no_diagram() -> None:
    stack = mb.stack()
    other = mb.workload(None, None, None, name="Batch")
    result = LintResult(models=[mb.model_of(stack.service, stack.fs, other)])
    text = report_of(result, "markdown")
    [chart] = check_markdown(text)
    assert chart.classes == {} and chart.link_styles == {}
    assert "### ECS service Service" in text and "Batch" not in text
    assert "No findings." in text


def test_unparseable_input_is_listed_under_other_findings(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"containerDefinitions": [', encoding="utf-8")
    result = lint_paths(ENGINE, [str(broken)], keep_models=True)
    text = report_of(result, "markdown")
    check_markdown(text)
    assert "### Other findings" in text and "EFS000" in text


# -- Markdown -------------------------------------------------------------------------------------


def test_hostile_names_cannot_break_out_of_labels_tables_or_markup() -> None:
    hostile = 'Sub"]<script>alert(1)</script>|`x`*y*'
    stack = mb.stack()
    stack.subnet_b.loc = stack.subnet_b.loc.named(hostile)
    stack.fs.mount_targets.remove(stack.mt_b)  # EFS301 names the subnet in its message
    model = mb.model_of(stack.service, stack.fs)
    findings = ENGINE.run(model)
    assert any(f.rule_id == "EFS301" and hostile in f.message for f in findings)
    text = report_of(LintResult(findings=findings, files=[mb.FILE], models=[model]), "markdown")
    [chart] = check_markdown(text)  # no raw HTML token, every Mermaid line in the grammar
    assert any("#34;" in label and "#60;script#62;" in label for label in chart.nodes.values())
    assert "<script>" not in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "EFS301" in line]
    assert rows and all(row.count(" | ") == 3 for row in (r.replace("\\|", "") for r in rows))
    html = report_of(LintResult(findings=findings, files=[mb.FILE], models=[model]), "html")
    check_html(html)
    assert "<script>alert" not in html


def test_diagrams_are_capped_and_the_report_says_what_was_left_out() -> None:
    models = []
    for index in range(MAX_DIAGRAMS + 5):
        stack = mb.stack()
        stack.service.name = f"Service{index:02d}"
        if index % 2:
            stack.fs.mount_targets.remove(stack.mt_b)
        models.append(mb.model_of(stack.service, stack.fs))
    # As `--select EFS301`: only the stacks that lost a mount target have findings.
    findings = [f for model in models for f in ENGINE.run(model) if f.rule_id == "EFS301"]
    text = report_of(LintResult(findings=findings, files=[mb.FILE], models=models), "markdown")
    charts = check_markdown(text)
    assert len(charts) == MAX_DIAGRAMS
    with_findings = (MAX_DIAGRAMS + 5) // 2
    # The groups with findings come first; every one is listed, the clean ones past the cap are counted.
    headings = re.findall(r"^### ECS service (Service\d+)$", text, re.M)
    assert headings[:with_findings] == [f"Service{i:02d}" for i in range(1, MAX_DIAGRAMS + 5, 2)]
    assert len(headings) == MAX_DIAGRAMS
    assert "left out: 5 without findings." in text


def test_rule_links_point_at_the_rule_docs() -> None:
    result = lint_paths(ENGINE, [str(ROOT / "examples/ml-batch/broken")], keep_models=True)
    text = report_of(result, "markdown")
    found = links(text)
    rules = {f.rule_id for f in result.active()}
    assert {url.rsplit("/", 1)[1] for url in found} == {f"{rule}.md" for rule in rules}
    for url in found:
        assert url.startswith("https://github.com/efslint/efslint/blob/main/docs/rules/EFS")
        assert (ROOT / "docs" / "rules" / url.rsplit("/", 1)[1]).exists()


# -- HTML -----------------------------------------------------------------------------------------


def test_html_filters_every_finding_and_shows_its_source_line() -> None:
    result = lint_paths(ENGINE, [str(ROOT / "examples/stateful-task/broken")], keep_models=True)
    html = report_of(result, "html")
    svgs = check_html(html)
    assert len(svgs) == 3
    options = set(re.findall(r'<option value="(EFS\d+)">', html))
    assert options == {f.rule_id for f in result.active()}
    cards = re.findall(r'<div class="finding (\w+)" data-severity="(\w+)" data-rule="(EFS\d+)">', html)
    assert len(cards) == len(result.active())
    assert all(css == severity for css, severity, _ in cards)
    first = result.active()[0]
    line = (Path(first.location.file).read_text().splitlines())[first.location.line - 1]
    hit = re.search(
        rf'<span class="hit"><span class="ln">\s*{first.location.line}</span>(.*?)</span>\n', html
    )
    assert hit is not None and unescape(hit.group(1)) == line


def test_svg_marks_broken_nodes_red_and_unknown_ones_dashed() -> None:
    result = lint_paths(
        ENGINE, [str(ROOT / "examples/stateful-task/broken/task-definition.json")], keep_models=True
    )
    [svg] = check_html(report_of(result, "html"))
    ns = "{http://www.w3.org/2000/svg}"
    groups = {g.get("id"): g for g in svg.iter(f"{ns}g") if g.get("id")}
    classes = {gid.split("-", 1)[1]: g.get("class") for gid, g in groups.items()}
    assert classes["n1"] == "node broken"  # server-config: EFS101...
    assert classes["n3"] == "node unknown"  # the file system the input does not define
    dashed = groups[next(k for k in groups if k.endswith("-n3"))].find(f"{ns}rect")
    assert dashed is not None and dashed.get("stroke-dasharray")


# -- golden files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("example", EXAMPLES)
def test_golden_reports_of_the_examples(example: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # relative paths in the report, as a CI job writes them
    run = CliRunner().invoke(cli, ["lint", "--format", fmt, f"examples/{example}/broken"])
    assert run.exit_code == 1, run.output
    text = run.stdout
    if fmt == "markdown":
        assert check_markdown(text)
    else:
        assert check_html(text)
    golden = GOLDEN / f"{example}.{'md' if fmt == 'markdown' else 'html'}"
    if os.environ.get("EFSLINT_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == text, f"regenerate with EFSLINT_UPDATE_GOLDEN=1 ({golden})"


@pytest.mark.parametrize("doc", ["README.md", "docs/reports.md"])
def test_the_documented_snippets_are_what_the_report_writes(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    blocks = re.findall(r"```mermaid\n(.*?)\n```", text, re.S)
    assert blocks
    golden = (GOLDEN / "stateful-task.md").read_text(encoding="utf-8")
    for block in blocks:
        chart = parse_mermaid(block)
        assert chart.edges
        # Each documented node and edge is one of the real report of the example (the excerpt
        # renumbers nothing, but its class and linkStyle lines cover only what it shows).
        for line in block.splitlines()[1:]:
            assert line in golden or line.startswith(("  class ", "  linkStyle ")), line


def test_a_task_definition_referenced_but_not_defined_is_a_dashed_placeholder() -> None:
    stack = mb.stack()
    service = mb.workload(
        None,
        [stack.subnet_a],
        [stack.task_sg],
        name="Web",
        task_definition_ref="arn:aws:ecs:us-east-1:111122223333:task-definition/web:3",
    )
    [drawn] = build([mb.model_of(service)], []).graphs
    workload, placeholder = drawn.nodes[0], drawn.nodes[1]
    assert (workload.kind, workload.unknown) == ("workload", False)
    assert (placeholder.kind, placeholder.name, placeholder.unknown) == ("task_definition", "web:3", True)
    assert [(e.source, e.target, e.unknown) for e in drawn.edges] == [(workload.id, placeholder.id, True)]
    assert not drawn.drawable  # no EFS volume in sight: listed with its findings, not drawn


def test_a_huge_markdown_report_stays_under_the_job_summary_limit() -> None:
    # GitHub drops a job summary over 1 MiB whole; the report cuts its tables and says so.
    where = Location("big.yaml", 1, 1, "Thing")
    findings = [
        Finding(
            "EFS104",
            "volume-without-transit-encryption",
            Severity.WARNING,
            f"{i} " + "x" * 400,
            where.named(f"T{i}"),
        )
        for i in range(4000)
    ]
    text = report_of(LintResult(findings=findings, files=["big.yaml"]), "markdown")
    check_markdown(text)
    assert len(text.encode("utf-8")) < 1024 * 1024
    shown = len(re.findall(r"^\| warning \| \[EFS104\]", text, re.M))
    assert 1000 < shown < 4000
    assert f"{4000 - shown} findings were left out" in text and f"| {4000 - shown} more not shown |" in text


def test_mount_targets_past_the_cap_are_one_node_and_unlisted_ones_a_dashed_one() -> None:
    from efslint.report.topology import MAX_MOUNT_TARGETS

    fs = mb.file_system("Shared")
    for index in range(MAX_MOUNT_TARGETS + 2):
        mb.mount_target(fs, mb.subnet(f"Subnet{index}", f"us-east-1{'abcdefghijkl'[index]}"), [])
    [drawn] = build([mb.model_of(fs)], []).graphs
    targets = [n for n in drawn.nodes if n.kind == "mount_target"]
    assert len(targets) == MAX_MOUNT_TARGETS + 1
    assert (targets[-1].name, targets[-1].detail) == ("2 more", "not drawn")
    fs.mount_targets_known = False
    [drawn] = build([mb.model_of(fs)], []).graphs
    unlisted = [n for n in drawn.nodes if n.name == "not in this input"]
    assert len(unlisted) == 1 and unlisted[0].unknown
    assert [e.unknown for e in drawn.edges if e.target == unlisted[0].id] == [True]
