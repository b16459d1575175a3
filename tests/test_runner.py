"""`make report` measures the tagger again only when what it measures changed: same
codebook, labelled sets and code, the evaluation notebook is skipped and its figures and
date kept; a changed codebook measures again."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import papermill
import pytest
import yaml

from analysis import pipeline, runner
from analysis.codebook import load_codebook
from analysis.config import DEFAULT_CONFIG, PROJECT_ROOT, load_config


@pytest.fixture
def project(tmp_path):
    data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    codebook = tmp_path / "codebook.yml"
    shutil.copyfile(PROJECT_ROOT / data["codebook"], codebook)
    model = load_codebook(PROJECT_ROOT / data["codebook"]).classifier
    if model is not None:   # the codebook names its model, beside it
        shutil.copyfile(model, tmp_path / model.name)
    data["codebook"] = str(codebook)
    source = tmp_path / "config.yml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_config(source, processed=tmp_path / "processed", reports=tmp_path / "reports",
                       reviews=tmp_path / "reviews")


def fake_papermill(monkeypatch, cfg) -> list[str]:
    """papermill replaced by a copy of the notebook; the evaluation one writes its JSON."""
    executed: list[str] = []
    evaluation = pipeline.stage("evaluate").notebook
    measures = itertools.count(1)

    def execute(source, target, **kwargs):
        executed.append(Path(source).stem)
        shutil.copyfile(source, target)
        if Path(source).stem == evaluation:
            cfg.metrics_dir.mkdir(parents=True, exist_ok=True)
            cfg.evaluation_test_path.write_text(json.dumps({"measure": next(measures)}),
                                                encoding="utf-8")

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    monkeypatch.setattr(runner, "print_run_summary", lambda cfg: None)
    return executed


def test_the_evaluation_runs_again_only_when_its_inputs_change(project, monkeypatch, capsys):
    executed = fake_papermill(monkeypatch, project)
    evaluation = pipeline.stage("evaluate").notebook
    books = [p.stem for p in runner.notebook_order()]

    runner.run_notebooks(project)                         # first run: everything
    assert executed == books
    measured = project.evaluation_test_path.read_text(encoding="utf-8")
    capsys.readouterr()

    executed.clear()
    written = runner.run_notebooks(project)               # nothing changed: skipped
    assert executed == [b for b in books if b != evaluation]
    assert project.evaluation_test_path.read_text(encoding="utf-8") == measured
    out = capsys.readouterr().out
    assert f"{evaluation}.ipynb : mesure du" in out and "make eval" in out
    assert project.notebooks_out_dir / f"{evaluation}.ipynb" in written

    with project.codebook_path.open("a", encoding="utf-8") as fh:
        fh.write("\n# un motif de plus\n")                # the codebook changed
    executed.clear()
    runner.run_notebooks(project)
    assert evaluation in executed
    assert project.evaluation_test_path.read_text(encoding="utf-8") != measured


def test_the_fingerprint_covers_codebook_labelled_sets_and_code(project, tmp_path):
    before = runner.evaluation_fingerprint(project)
    assert runner.evaluation_fingerprint(project) == before          # stable
    executed = tmp_path / "e.ipynb"
    assert not runner.evaluation_is_current(project, executed)       # never measured
    project.metrics_dir.mkdir(parents=True)
    project.evaluation_test_path.write_text("{}", encoding="utf-8")
    executed.write_text("{}", encoding="utf-8")
    runner.remember_evaluation(project)
    assert runner.evaluation_is_current(project, executed)
    executed.unlink()                                                # its notebook is gone
    assert not runner.evaluation_is_current(project, executed)
    project.codebook_path.write_text(project.codebook_path.read_text(encoding="utf-8")
                                     + "\n", encoding="utf-8")
    assert runner.evaluation_fingerprint(project) != before
