"""Text from the documents and the config is data in every HTML and SVG output (issue 16).

The demo election, with one list renamed with markup and its programme replaced by a file
whose name, heading and passages carry `<script>`, `<img onerror>`, `</textarea>`, `{{ }}`
and `javascript:` payloads, goes through every stage (ingest, tag, review, suivi,
coverage, charts and report, sheets, workbook). Every .html and .svg written must show
the payloads as text: no live tag, no event attribute, no javascript: link, including in
the JSON that feeds the interactive charts (plotly renders its labels as HTML)."""

from __future__ import annotations

import base64
import html
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from analysis import pipeline
from analysis.config import PROJECT_ROOT, load_config

pytestmark = pytest.mark.slow

# the config refuses markup in a list name (« <a …> »): what it lets through must still
# be escaped (a lone « < », quotes, « & », braces, javascript:)
HOSTILE_NAME = ("Aix \"Avenir\" & Cie {{ 7*7 }} <zq onmouseover=alert('XSS-name') "
                "javascript:alert('XSS-name2')")
FILE_NAME = "<img src=x onerror=alert('XSS-file')> programme.txt"
HEADING = "Solidarité <script>alert('XSS-head')</script>"
PASSAGES = [
    "Nous ouvrirons une épicerie solidaire dans chaque quartier <!-- <script>alert('XSS-p1')"
    "</script> avec les associations d'aide alimentaire.",
    "Nous créerons un accueil de jour pour les personnes sans abri <img src=x "
    "onerror=alert('XSS-p2')> et des places d'hébergement d'urgence dès 2027.",
    "Nous financerons les banques alimentaires </textarea><b onmouseover=alert('XSS-p3')>"
    "ici</b> et les maraudes sociales avec les associations.",
    "Nous logerons les familles à la rue {{ 7*7 }} {% raw %} ${7*7} javascript:alert("
    "'XSS-p4') en hébergement d'urgence et en logement social.",
    "Nous signerons des conventions pluriannuelles avec les associations de solidarité "
    "<a href=\"javascript:alert('XSS-p5')\">ici</a> pour l'accès aux droits.",
]
# what must never appear raw in an output (once JSON and JS escapes are decoded)
LIVE = ["<script>alert(", "<img src=x", "<b onmouseover", "<a href=\"javascript:",
        "</textarea><", "<zq"]
_JS_ESCAPES = [(re.compile(r"\\u003c", re.I), "<"), (re.compile(r"\\u003e", re.I), ">"),
               (re.compile(r"\\x3c", re.I), "<"), (re.compile(r"\\x3e", re.I), ">"),
               (re.compile(r"\\u0026", re.I), "&"), (re.compile(r"\\/"), "/"),
               (re.compile(r'\\"'), '"')]


def _link_problems(value: str) -> list[str]:
    """What is wrong with a link or source: a script URL or hostile text, looked for in the
    decoded content of an embedded (base64) image, not in its encoding, where « XSS » can
    occur by chance."""
    if value.startswith("data:") and ";base64," in value:
        content = base64.b64decode(value.split(";base64,", 1)[1]).decode("utf-8", "replace")
        return [repr(live) for live in [*LIVE, "<script"] if live in content]
    return [repr(value[:80])] if "javascript:" in value.lower() or "XSS" in value else []


def _decoded(text: str) -> str:
    for pattern, repl in _JS_ESCAPES:
        text = pattern.sub(repl, text)
    return text


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    raw = tmp / "raw"
    shutil.copytree(PROJECT_ROOT / "data" / "demo" / "raw", raw)
    folder = raw / "programmes" / "aix-avenir"
    shutil.rmtree(folder)
    folder.mkdir()
    (folder / FILE_NAME).write_text(HEADING + "\n\n" + "\n\n".join(PASSAGES) + "\n",
                                    encoding="utf-8")
    (raw / "questionnaire" / "aix-avenir.pdf").unlink()
    data = yaml.safe_load((PROJECT_ROOT / "config" / "demo.yml").read_text(encoding="utf-8"))
    for li in data["lists"]:
        if li["id"] == "aix-avenir":
            li["name"] = HOSTILE_NAME
    data["codebook"] = str(PROJECT_ROOT / data["codebook"])
    path = tmp / "hostile.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    cfg = load_config(path, raw=raw, processed=tmp / "processed", reports=tmp / "reports",
                      reviews=tmp / "reviews")
    for command in ("ingest", "tag", "suivi", "coverage", "charts", "export"):
        pipeline.run_command(cfg, command)
    return cfg


def _outputs(cfg) -> list[Path]:
    return sorted(p for p in Path(cfg.reports).rglob("*") if p.suffix in {".html", ".svg"})


def test_the_hostile_passages_were_read_and_tagged(hostile_run):
    import pandas as pd

    passages = pd.read_parquet(hostile_run.passages_path)
    mine = passages[passages["list_id"] == "aix-avenir"]
    assert "<script>alert('XSS-p1')</script>" in " ".join(mine["text"])
    assert set(mine["section"].dropna()) == {HEADING}
    tags = pd.read_parquet(hostile_run.tags_path)
    assert tags["passage_id"].isin(mine["passage_id"]).sum() >= 3


def test_no_output_carries_live_markup_from_the_documents_or_the_config(hostile_run):
    outputs = _outputs(hostile_run)
    names = {p.relative_to(hostile_run.reports).as_posix() for p in outputs}
    assert "rapport.html" in names
    assert any(n.startswith("fiches/") for n in names)
    assert any(n.startswith("figures/") and n.endswith(".svg") for n in names)
    problems = []
    for path in outputs:
        text = path.read_text(encoding="utf-8")
        # the strings given to plotly are read by it as HTML: checked once decoded; the
        # two-lists picker's data is only ever shown with textContent: checked raw
        picker = re.compile(r'<script type="application/json" id="cmp-data">.*?</script>',
                            re.S)
        for where, content in (("", text), (" (JS/JSON decoded)",
                                            _decoded(picker.sub("", text)))):
            for live in LIVE:
                if live in content:
                    at = content.index(live)
                    problems.append(f"{path.name}{where}: {live!r} in "
                                    f"…{content[max(0, at - 80):at + 60]!r}")
        soup = BeautifulSoup(text, "xml" if path.suffix == ".svg" else "lxml")
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                value = " ".join(value) if isinstance(value, list) else str(value)
                if attr.lower().startswith("on") and "XSS" in value:
                    problems.append(f"{path.name}: <{tag.name} {attr}={value!r}>")
                if attr.lower() in {"href", "src", "action", "xlink:href"}:
                    problems.extend(f"{path.name}: <{tag.name} {attr}=…{p}>"
                                    for p in _link_problems(value))
            if tag.name in {"script", "foreignObject"} and path.suffix == ".svg":
                problems.append(f"{path.name}: <{tag.name}> in an SVG")
    assert not problems, "\n".join(problems[:20])


def test_the_payloads_are_shown_as_text(hostile_run):
    report = (Path(hostile_run.reports) / "rapport.html").read_text(encoding="utf-8")
    text = BeautifulSoup(report, "lxml").get_text(" ")
    assert HOSTILE_NAME in text                  # the list name, as typed, never a link
    assert "{{ 7*7 }}" in text and FILE_NAME in text
    decoded = html.unescape(_decoded(report))
    assert "alert('XSS-p1')" in decoded          # the passages are shown, not dropped
    sheet = next(p for p in _outputs(hostile_run) if p.name.startswith("fiche_aix-avenir"))
    assert HOSTILE_NAME in BeautifulSoup(sheet.read_text(encoding="utf-8"),
                                         "lxml").get_text(" ")
