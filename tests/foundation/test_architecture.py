"""The folder tree is the flow: a stage imports only the foundation and the stages before it
in `analysis.pipeline`; no import cycle; the order of the stages is written once."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import pipeline
from analysis.config import NOTEBOOKS_DIR, PROJECT_ROOT, load_config

SRC = PROJECT_ROOT / "src"
FOUNDATION = ("analysis.config", "analysis.config_schema", "analysis.contracts",
              "analysis.codebook", "analysis.common")
TOP = {"analysis", "analysis.__main__", "analysis.cli", "analysis.init", "analysis.pipeline",
       "analysis.runner",
       "analysis.run_summary"}
# Imports inside a function, each kept on purpose (importer, imported): why.
LAZY = {
    ("analysis.tagging.stage", "analysis.common.tables"):
        "pandas is loaded when the stage runs, not when the `tag --jsonl` filter starts",
    ("analysis.tagging.tagger", "analysis.contracts"):
        "pandas-free start of the tagger (file owned by the tagging work)",
    ("analysis.evaluation.scoring", "analysis.tagging"):
        "a missing tagger is reported as a French UserError",
}
RANK = {}
for _i, _s in enumerate(pipeline.STAGES):
    RANK.setdefault(_s.package, _i)


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted((SRC / "analysis").rglob("*.py"))}


def imports(name: str) -> list[tuple[str, int, bool]]:
    """(imported analysis module, line, inside a function?) for each import of `name`."""
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno, in_function) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                for a in child.names:
                    sub = f"{child.module}.{a.name}"
                    found.append((sub if sub in MODULES else child.module, child.lineno,
                                  in_function))
            visit(child, in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(ast.parse(MODULES[name].read_text(encoding="utf-8")), False)
    return [(t, line, f) for t, line, f in found if t == "analysis" or t.startswith("analysis.")]


def layer(name: str) -> str | int | None:
    """'top', 'foundation', or the pipeline rank of the stage owning the module."""
    if name in TOP:
        return "top"
    if any(name == f or name.startswith(f + ".") for f in FOUNDATION):
        return "foundation"
    return RANK.get(name.split(".")[1])


def test_every_module_is_foundation_a_stage_or_the_entry_points():
    unplaced = [m for m in MODULES if layer(m) is None]
    assert not unplaced, f"modules outside the stages of pipeline.py: {unplaced}"


def test_the_foundation_imports_no_stage():
    bad = [(m, t, line) for m in MODULES if layer(m) == "foundation"
           for t, line, _ in imports(m) if layer(t) != "foundation"]
    assert not bad, f"foundation modules importing a stage or an entry point: {bad}"


def test_a_stage_imports_only_the_foundation_and_earlier_stages():
    bad = []
    for m in MODULES:
        rank = layer(m)
        if not isinstance(rank, int):
            continue
        for target, line, _ in imports(m):
            other = layer(target)
            if other == "foundation" or (isinstance(other, int) and other <= rank):
                continue
            bad.append(f"{MODULES[m].relative_to(SRC)}:{line} imports {target}")
    assert not bad, "a stage imports a later stage or an entry point:\n" + "\n".join(bad)


def test_no_import_cycle():
    graph = {m: {t for t, _, _ in imports(m) if t in MODULES and t != m} for m in MODULES}
    state: dict[str, int] = {}
    cycles = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            walk(m, [m])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_imports_inside_functions_are_the_listed_exceptions():
    hidden = {(m, t) for m in MODULES for t, _, inside in imports(m) if inside}
    assert hidden <= set(LAZY), f"imports hidden in functions: {sorted(hidden - set(LAZY))}"


def test_importing_the_tagging_package_loads_neither_pandas_nor_spacy():
    code = "import sys, analysis.tagging; print('pandas' in sys.modules, 'spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]


def test_every_stage_has_a_run_and_declares_config_paths():
    cfg = load_config()
    for stage in pipeline.STAGES:
        assert callable(stage.function()), f"{stage.module}.run"
        for attr in (*stage.inputs, *stage.outputs):
            assert hasattr(cfg, attr), f"{stage.name}: Config has no {attr!r}"


def test_the_notebooks_are_the_pipeline_notebooks_in_order():
    assert set(pipeline.notebooks()) == set(NOTEBOOKS_DIR.glob("*.ipynb"))
    names = [p.stem for p in pipeline.notebooks()]
    assert names == sorted(names), "notebook numbers must follow the stage order"


@pytest.mark.parametrize("command", ["tag"])
def test_a_command_runs_its_stages_in_pipeline_order(command):
    names = [s.name for s in pipeline.stages_of(command)]
    assert names == ["tag", "review"]


def test_the_stage_order_is_written_only_in_pipeline_py():
    notebook_names = {s.notebook for s in pipeline.STAGES}
    pattern = re.compile("|".join(re.escape(n) for n in notebook_names))
    elsewhere = [str(p.relative_to(SRC)) for m, p in MODULES.items()
                 if m != "analysis.pipeline" and pattern.search(p.read_text(encoding="utf-8"))]
    assert not elsewhere, f"notebook names (the run order) written outside pipeline.py: {elsewhere}"
