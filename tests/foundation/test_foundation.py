"""The project's own files: dependencies, notebooks, config loading, command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from analysis.cli import COMMANDS, main
from analysis.common.errors import UserError
from analysis.common.text import normalise_name
from analysis.config import DEFAULT_CONFIG, PROJECT_ROOT, load_config

CONDA_NAMES = {"python-kaleido": "kaleido"}


def _name(requirement: str) -> str:
    name = re.split(r"[<>=~!\s\[;]", requirement.strip(), maxsplit=1)[0]
    name = name.lower().replace("_", "-")
    return CONDA_NAMES.get(name, name)


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    declared |= {_name(r) for r in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    conda = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            conda |= {_name(r) for r in dep["pip"] if not r.startswith("-e")}
        else:
            conda.add(_name(dep))
    conda -= {"python", "pip"}
    assert declared == conda, (
        f"only in pyproject: {sorted(declared - conda)}; "
        f"only in environment.yml: {sorted(conda - declared)}"
    )


NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_notebooks_are_clean_and_parameterised(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    outputs = [i for i, c in enumerate(cells) if c.get("outputs") or c.get("execution_count")]
    assert not outputs, f"{path.name}: cells {outputs} carry outputs; strip them before commit"
    assert cells[0]["cell_type"] == "markdown", f"{path.name} must open with a markdown cell"
    intro = "".join(cells[0]["source"])
    for word in ("Objectif", "Entrées", "Sorties"):
        assert word in intro, f"{path.name}: the opening cell must say '{word}'"
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
    assert "config_file" in "".join(tagged[0]["source"])


def test_expected_notebooks_exist():
    names = {p.stem for p in NOTEBOOKS}
    assert {"01_ingestion", "02_etiquetage", "03_couverture", "04_exports"} <= names


def _write_config(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "cfg.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_demo_config_loads_with_paths_from_project_root():
    cfg = load_config()
    assert cfg.demo is True
    assert cfg.raw == PROJECT_ROOT / "data" / "demo" / "raw"
    assert len(cfg.lists) == 6 and len({li.colour for li in cfg.lists}) == 6
    assert [q.id for q in cfg.questions] == [f"q{i}" for i in range(1, 9)]
    assert cfg.election["round1"].isoformat() == "2026-03-15"
    assert "DEMO" in cfg.workbook_path.name


def test_path_overrides_win_over_the_config(tmp_path: Path):
    cfg = load_config(None, raw=tmp_path / "r", processed=tmp_path / "p", reviews=tmp_path / "v")
    assert cfg.raw == (tmp_path / "r").resolve()
    assert cfg.passages_path == (tmp_path / "p").resolve() / "passages.parquet"
    assert cfg.decisions_path.parent == (tmp_path / "v").resolve()
    assert cfg.reports == PROJECT_ROOT / "reports"


def test_unknown_key_names_the_key_and_the_allowed_ones(tmp_path: Path):
    with pytest.raises(UserError, match=r"listes.*Clés possibles.*lists"):
        load_config(_write_config(tmp_path, listes=[]))


def test_bad_date_and_missing_file_are_user_errors(tmp_path: Path):
    with pytest.raises(UserError, match="data_date"):
        load_config(_write_config(tmp_path, data_date="27/02/2026"))
    with pytest.raises(UserError, match="introuvable"):
        load_config(tmp_path / "nope.yml")


def test_list_names_match_tolerantly():
    cfg = load_config()
    assert cfg.match_list("  AIX SOLIDAIRE et ecologique ") == "aix-solidaire"
    assert cfg.match_list("aix d'abord !") == "aix-d-abord"
    assert cfg.match_list("Liste inconnue") is None
    assert normalise_name("Écologie  Sociale") == "ecologiesociale"


def test_cli_help_lists_every_command():
    out = subprocess.run(
        [sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for name in COMMANDS:
        assert name in out


def test_cli_config_typo_is_a_message_not_a_traceback(tmp_path: Path, capsys):
    code = main(["ingest", "--config", str(_write_config(tmp_path, pathes={}))])
    err = capsys.readouterr().err
    assert code == 2
    assert "pathes" in err and "Traceback" not in err


def test_makefile_documents_the_targets_and_ci_calls_make_test():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    for target in ("setup", "report", "test", "bench", "lab", "lint", "clean"):
        assert re.search(rf"^{target}:.*## ", makefile, re.M), f"target {target} undocumented"
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text()


def test_ligatures_are_folded_not_dropped_when_matching_names():
    assert normalise_name("Cœur d'Aix") == normalise_name("Coeur d Aix") == "coeurdaix"
