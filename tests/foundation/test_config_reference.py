"""A new commune in one command, never mixed with the demo: `init` writes a commented
config that loads; a real config reading the demo's folders is refused; every config key
is described in docs/configuration.md; `--help` is French."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from analysis import cli
from analysis.common.errors import UserError
from analysis.config import DEFAULT_CONFIG, PATH_KEYS, PROJECT_ROOT, TOP_KEYS, load_config
from analysis.init import init_project
from analysis.workbook.groups import REVIEWER_KEYS

REFERENCE = PROJECT_ROOT / "docs" / "configuration.md"


def keys_of(value, prefix="") -> set[str]:
    """Every mapping key of a YAML document (lists walked into)."""
    found = set()
    if isinstance(value, dict):
        for k, v in value.items():
            found.add(str(k))
            found |= keys_of(v)
    elif isinstance(value, list):
        for v in value:
            found |= keys_of(v)
    return found


def test_every_config_key_is_in_the_reference():
    doc = REFERENCE.read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_0-9]+)`", doc))
    demo = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    wanted = set(TOP_KEYS) | set(PATH_KEYS) | set(REVIEWER_KEYS) | keys_of(demo)
    assert not wanted - documented, f"keys missing from {REFERENCE.name}: {wanted - documented}"


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
