"""A new commune in one command, never mixed with the demo: `init` writes a commented
config that loads; a real config reading the demo's folders is refused; docs/configuration.md
and the comments of `init` are written from the validator's schema, which checks every key
it describes; `--help` is French."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from analysis import cli
from analysis.common.errors import UserError
from analysis.config import DEFAULT_CONFIG, PATH_KEYS, PROJECT_ROOT, TOP_KEYS, load_config
from analysis.config_schema import reference_markdown, walk
from analysis.init import init_project

REFERENCE = PROJECT_ROOT / "docs" / "configuration.md"


def key_paths(value, prefix="") -> set[str]:
    """The dotted path of every mapping key of a YAML document (list entries walked into:
    `lists.id`)."""
    found = set()
    if isinstance(value, dict):
        for k, v in value.items():
            path = f"{prefix}.{k}" if prefix else str(k)
            found.add(path)
            found |= key_paths(v, path)
    elif isinstance(value, list):
        for v in value:
            found |= key_paths(v, prefix)
    return found


SCHEMA_PATHS = dict(walk())


def test_the_reference_is_the_one_the_validator_writes():
    assert REFERENCE.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/configuration.md differs from the validator's schema: run "
        ".venv/bin/python scripts/make_config_reference.py")


def test_the_script_rewrites_a_stale_reference_and_check_says_so(tmp_path, monkeypatch, capsys):
    spec = importlib.util.spec_from_file_location(
        "make_config_reference", PROJECT_ROOT / "scripts" / "make_config_reference.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    stale = tmp_path / "configuration.md"
    stale.write_text(REFERENCE.read_text(encoding="utf-8").replace("`data_date`", "`date`"),
                     encoding="utf-8")
    monkeypatch.setattr(script, "REFERENCE", stale)
    assert script.main(["--check"]) == 1
    assert "pas à jour" in capsys.readouterr().err
    assert script.main([]) == 0 and script.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == reference_markdown()


def test_every_key_of_the_demo_config_is_described_in_the_reference():
    demo = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    paths = key_paths(demo)
    for wanted in ("questionnaire.form.list_column", "questionnaire.form.date_column",
                   "questionnaire.form.contact_columns", "election.round1", "election.round2",
                   "exports.workbook", "mandate.elected", "mandate.start", "mandate.years"):
        assert wanted in paths, wanted
    missing = sorted(p for p in paths if p not in SCHEMA_PATHS)
    assert not missing, f"keys of demo.yml the validator does not describe: {missing}"
    doc = REFERENCE.read_text(encoding="utf-8")
    for path, key in SCHEMA_PATHS.items():
        assert len(key.doc) > 15, path
        parent = path.rpartition(".")[0]
        section = doc if not parent else doc.split(f"## `{parent}`", 1)[1].split("\n## ")[0]
        assert f"| `{key.name}` |" in section, path
    # the sections no demo key uses are described too
    for path in ("reviewers.themes", "reviewers.axes", "reviewers.lists", "review.threshold",
                 "review.min_reviews_for_precision", "paths.reviews", "lists.aliases"):
        assert path in SCHEMA_PATHS, path


def _with(data: dict, path: str, value) -> dict:
    """`data` with the key at `path` set to `value` (a list entry: its first entry)."""
    cur = data
    parts = path.split(".")
    for part in parts[:-1]:
        cur = cur.setdefault(part, {})
        if isinstance(cur, list):
            cur = cur[0]
    cur[parts[-1]] = value
    return data


@pytest.mark.parametrize("path", sorted(SCHEMA_PATHS))
def test_every_described_key_is_checked(tmp_path, path):
    """A value of the wrong type at any documented key is refused, naming that key."""
    data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    data["reviewers"] = [{"name": "Banque alimentaire", "themes": ["sans_abri"]}]
    key = SCHEMA_PATHS[path]
    wrong = ["x", "y"] if key.kind in ("mapping", "bool") else {"x": 1}
    if key.kind in ("items", "texts"):
        wrong = "x"
    source = tmp_path / "cfg.yml"
    source.write_text(yaml.safe_dump(_with(data, path, wrong), allow_unicode=True),
                      encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_config(source)
    lines = str(err.value).splitlines()
    parent, _, name = path.rpartition(".")
    assert any(name in line and parent.rpartition(".")[2] in line for line in lines), lines


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("**", "")).strip().lower()


def test_the_init_template_describes_every_key_in_the_validators_words(tmp_path):
    config = init_project("Agen", tmp_path / "agen", today=dt.date(2026, 2, 20))
    text = config.read_text(encoding="utf-8")
    comments = _plain(" ".join(line.strip().lstrip("#") for line in text.splitlines()
                               if line.strip().startswith("#")))
    for path, key in SCHEMA_PATHS.items():
        assert _plain(key.doc) in comments, path
        assert re.search(rf"^\s*(# )?(- )?{key.name}:", text, re.M) or \
            f"- {key.name} :" in text.replace("\u00a0", " "), path


def test_init_writes_a_commented_config_that_loads_and_is_not_the_demo(tmp_path, capsys):
    folder = tmp_path / "projets" / "villeneuve"
    config = init_project("Villeneuve-sur-Lot", folder, copy_codebook=True,
                          today=dt.date(2026, 2, 20))
    out = capsys.readouterr().out
    # untouched, it stops on the one thing left to fill (issue 16's check), in French
    with pytest.raises(UserError) as err:
        load_config(config)
    assert str(err.value).splitlines() == [
        "config.yml : lists est vide : décrire au moins une liste (id, name)."]
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("lists: []", "lists:\n  - id: liste-a\n"
                                   "    name: \"Liste A\""), encoding="utf-8")
    cfg = load_config(config)
    assert cfg.demo is False and cfg.commune == "Villeneuve-sur-Lot"
    assert [li.id for li in cfg.lists] == ["liste-a"]
    assert cfg.raw == folder / "documents" and cfg.reviews == folder / "relectures"
    assert cfg.processed == folder / "tables" and cfg.reports == folder / "rapports"
    assert cfg.codebook_path == folder / "codebook.yml" and len(cfg.codebook.themes) == 25
    assert cfg.programmes_dir.is_dir() and cfg.answers_dir.is_dir()
    assert cfg.data_date == dt.date(2026, 2, 20) and len(cfg.questions) == 8
    assert "DEMO" not in cfg.workbook_path.name and not cfg.demo_notice
    text = config.read_text(encoding="utf-8")
    assert "démo" not in text.lower() and "aix" not in text.lower()
    for key in TOP_KEYS - {"reviewers", "mandate"}:   # optional, written commented
        assert re.search(rf"^{key}:", text, re.M), key
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 30
    assert "make report CONFIG=" in out and "Étapes suivantes" in out
    with pytest.raises(UserError, match="jamais écrasé"):
        init_project("Villeneuve-sur-Lot", folder)
    assert load_config(config).commune == "Villeneuve-sur-Lot"     # untouched


def test_init_from_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init", "--commune", "Agen", "--dossier", "agen"]) == 0
    config = tmp_path / "agen" / "config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "lists: []", "lists: [{id: liste-a, name: \"Liste A\"}]"), encoding="utf-8")
    assert load_config(config).commune == "Agen"
    assert cli.main(["init", "--commune", "Agen", "--dossier", "agen"]) == 2
    assert "existe déjà" in capsys.readouterr().err


@pytest.mark.parametrize("key", ["raw", "reviews", "processed"])
def test_a_real_config_never_reads_the_demo_folders(tmp_path, key):
    data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    data["demo"] = False
    data["paths"] = {k: str(tmp_path / k) for k in PATH_KEYS}
    data["paths"][key] = str(PROJECT_ROOT / "data" / "demo" / key)
    source = tmp_path / "vraie.yml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_config(source)
    message = str(err.value)
    assert f"paths.{key}" in message and "FICTIVES" in message and "init" in message


def test_a_real_config_never_shares_the_demo_reports_folder(tmp_path):
    data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8")) | {"demo": False}
    data["paths"] = {k: str(tmp_path / k) for k in PATH_KEYS} | {"reports": "reports"}
    source = tmp_path / "vraie.yml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_config(source)
    assert "paths.reports" in str(err.value) and "FICTIVE" in str(err.value)
    assert load_config(source, reports=tmp_path / "r").reports == tmp_path / "r"


def test_the_demo_folder_copied_elsewhere_is_still_recognised(tmp_path):
    copy = tmp_path / "data" / "raw"
    copy.mkdir(parents=True)
    (copy / ".donnees_fictives").write_bytes(
        (PROJECT_ROOT / "data" / "demo" / "raw" / ".donnees_fictives").read_bytes())
    data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8")) | {"demo": False}
    data["paths"] = {k: str(tmp_path / k) for k in PATH_KEYS} | {"raw": str(copy)}
    source = tmp_path / "c.yml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(UserError, match="FICTIVES"):
        load_config(source)


def test_the_demo_lives_in_its_own_folders():
    cfg = load_config()
    assert cfg.demo
    for folder in (cfg.raw, cfg.processed, cfg.reviews):
        assert folder.is_relative_to(PROJECT_ROOT / "data" / "demo"), folder
    assert not (PROJECT_ROOT / "data" / "raw" / "programmes").exists()


ENGLISH = re.compile(r"\b(usage|positional arguments|show this help|optional arguments|"
                     r"error|invalid choice|required)\b")


def help_of(args: list[str], capsys) -> str:
    with pytest.raises(SystemExit):
        cli.main(args)
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_every_help_is_in_french(capsys):
    pages = [help_of(["--help"], capsys)]
    for name in list(cli.COMMANDS) + ["init"]:
        pages.append(help_of([name, "--help"], capsys))
    for page in pages:
        assert "utilisation :" in page and not ENGLISH.search(page), page
    error = help_of(["inconnue"], capsys)
    assert "erreur" in error and "choix invalide" in error and not ENGLISH.search(error)
    error = help_of(["init"], capsys)
    assert "arguments obligatoires manquants" in error


def test_readme_points_to_init_and_the_reference():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "python -m analysis init" in readme and "docs/configuration.md" in readme
    assert "make report CONFIG=" in readme and "--par-association" in readme
    assert not Path(PROJECT_ROOT / "data" / "raw" / "programmes" / "aix-avenir").exists()
