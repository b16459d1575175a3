"""Each figure builds from small synthetic tables; exports exist and carry the demo notice."""

from __future__ import annotations

import re

import pandas as pd
import plotly.io as pio
import pytest
from factories.sample import write_sample_project

from analysis.config import load_config
from analysis.publish import figure_files as ex
from analysis.publish import figures as F
from analysis.publish import run_charts
from analysis.publish import template as T
from analysis.publish.inputs import load_inputs

NOTICE = "Données fictives de démonstration"


@pytest.fixture
def inputs(cfg):
    return load_inputs(cfg)


def annotation_texts(fig) -> list[str]:
    return [a.text or "" for a in fig.layout.annotations]


def test_every_figure_builds_with_frame_and_plotted_table(inputs):
    specs = F.build_all(inputs)
    names = [s.name for s in specs]
    assert len(specs) >= 7 and len(set(names)) == len(names)
    assert all(re.fullmatch(r"fig\d\d_[a-z_]+", n) for n in names)
    for spec in specs:
        lay = spec.fig.layout
        assert lay.template.layout.separators == ", "           # decimal comma
        assert lay.width >= 1200
        assert spec.title in lay.title.text and "27 février 2026" in lay.title.subtitle.text
        texts = annotation_texts(spec.fig)
        texts = [t.replace("\u00a0", " ").replace("\u202f", " ") for t in texts]
        source = next(t for t in texts if t.startswith("Source : Collectif d'exemple"))
        # citable: collective, date of the data, tool and version, figure id, production
        for part in ("documents reçus au 27 février 2026", "Baromètre solidarité v",
                     f"({spec.name})", "produit le ", "passages analysés"):
            assert part in source, (spec.name, part)
        assert any(NOTICE in t for t in texts), spec.name
        assert len(spec.data) > 0


def test_heatmap_uses_theme_labels_and_shows_restrictive_cells_in_their_colour(inputs):
    spec = F.fig01_carte_themes(inputs.overall, inputs.evidence, inputs.ctx)
    ticks = list(spec.fig.layout.yaxis.ticktext)
    assert "Hébergement d'urgence" in ticks and "hebergement_urgence" not in ticks
    only = spec.data[spec.data["niveau_code"] == "restrictif"]
    assert len(only) >= 3                       # liste-d's hostile themes
    assert (only["niveau"] == "position restrictive").all()
    assert (only["passages_restrictifs"] > 0).all()
    heat = next(t for t in spec.fig.data if t.type == "heatmap")
    # the colour of a restrictive cell is the restrictive colour, not a commitment blue
    z = {(r, c): v for r, row in enumerate(heat.z) for c, v in enumerate(row)}
    n = len(T.LEVEL_ORDER)
    scale = dict((round(stop, 6), colour) for stop, colour in heat.colorscale)
    idx = T.LEVEL_ORDER.index("restrictif")
    assert scale[round(idx / n, 6)] == T.LEVEL_COLOURS["restrictif"] == T.RESTRICTIVE
    theme_row = {t: i for i, t in enumerate(inputs.ctx.codebook.theme_ids)}
    list_col = {li: i for i, li in enumerate(inputs.ctx.list_ids)}
    for _, row in only.iterrows():
        assert z[(theme_row[row.theme_id], list_col[row.list_id])] == idx
    legend = {t.name for t in spec.fig.data if t.type == "scatter"}
    assert {"position restrictive", "position mixte", "non abordé"} <= legend
    # evidence in the hover: document and page of the top passage
    hovers = [c[7] for row in heat.customdata for c in row if c[7]]
    assert hovers and any(".pdf, p." in h for h in hovers)


def test_heatmap_table_matches_coverage(inputs):
    spec = F.fig01_carte_themes(inputs.overall, inputs.evidence, inputs.ctx)
    merged = spec.data.merge(inputs.overall, on=["list_id", "theme_id"])
    assert (merged["niveau_code"] == merged["level"]).all()
    assert (merged["passages"] == merged["n_passages"]).all()
    assert len(spec.data) == len(inputs.ctx.list_ids) * len(inputs.ctx.codebook.theme_ids)


def test_questionnaire_figure_greys_out_lists_that_did_not_answer(inputs):
    spec = F.fig05_questionnaire(inputs.coverage, inputs.responses, inputs.evidence,
                                 inputs.ctx)
    silent = spec.data[spec.data["list_id"] == "liste-c"]
    assert (~silent["a_repondu"]).all() and silent["niveau_code"].isna().all()
    assert (silent["niveau"] == "pas de réponse").all()
    assert any("pas de réponse" in t for t in spec.fig.layout.xaxis.ticktext)


def test_count_figures_never_count_a_restrictive_theme_as_silence(inputs):
    ax = F.fig02_couverture_axes(inputs.axes, inputs.ctx).data
    levels = [f"themes_{lv}" for lv in T.LEVEL_ORDER]
    assert (ax[levels].sum(axis=1) == ax["themes_de_l_axe"]).all()
    assert set(ax["themes_de_l_axe"]) == {2, 4}
    d = ax[(ax["list_id"] == "liste-d")].set_index("axe")
    assert d["themes_restrictif"].sum() == 3
    assert d["themes_absent"].sum() == 0        # the hostile themes are not "non abordé"
    cons = F.fig06_coherence(inputs.consistency, inputs.ctx).data.set_index("list_id")
    assert not cons.loc["liste-c", "a_repondu"]
    assert cons.loc["liste-c", ["les_deux", "questionnaire_seulement"]].sum() == 0
    mix = F.fig03_force_engagements(inputs.overall, inputs.ctx).data.set_index("list_id")
    assert (mix[levels].sum(axis=1) == 8).all()
    assert mix.loc["liste-d", "themes_restrictif"] == 3
    assert mix.loc["liste-d", "themes_absent"] == 0
    # every count chart shows the restrictive category in its own colour
    for spec in (F.fig02_couverture_axes(inputs.axes, inputs.ctx),
                 F.fig03_force_engagements(inputs.overall, inputs.ctx)):
        bars = {t.name: t.marker.color for t in spec.fig.data if t.type == "bar"}
        assert bars["position restrictive"] == T.RESTRICTIVE
        assert bars["position mixte"] not in (T.RESTRICTIVE, *T.SCORE_COLOURS.values())
    pos = F.fig04_positions(inputs.overall, inputs.ctx).data.set_index("list_id")
    assert pos.loc["liste-d", "themes_position_restrictive"] == 3   # its 3 hostile themes
    assert pos.loc["liste-a", "themes_position_restrictive"] == 0
    assert (pos["themes_engagement"] + pos["themes_position_restrictive"]
            + pos["themes_position_mixte"] <= 8).all()


def test_profiles_have_one_facet_per_list(inputs):
    spec = F.fig07_profils(inputs.overall, inputs.ctx)
    names = {f"<b>{inputs.ctx.name(li)}</b>" for li in inputs.ctx.list_ids}
    titles = [t for t in annotation_texts(spec.fig) if t in names]
    assert len(titles) == len(inputs.ctx.list_ids)
    d = spec.data[spec.data["list_id"] == "liste-d"]
    assert (d["niveau_code"] == "restrictif").sum() == 3


def test_two_lists_and_programme_vs_questionnaire_views(inputs):
    ctx = inputs.ctx
    spec = F.fig08_deux_listes(inputs.overall, inputs.evidence, ctx, ("liste-a", "liste-d"))
    assert "Liste A d'exemple" in spec.title and "Liste D d'exemple" in spec.title
    assert len(spec.data) == len(ctx.codebook.theme_ids)
    assert set(spec.data["niveau_code_2"]) >= {"restrictif"}
    quoted = spec.data[spec.data["extrait_1"] != ""]
    assert len(quoted) and quoted["document_1"].str.contains("p. ").any()
    spec = F.fig09_programme_questionnaire_themes(inputs.consistency, ctx)
    data = spec.data
    assert len(data) == len(ctx.list_ids) * len(ctx.codebook.theme_ids)
    silent = data[data["list_id"] == "liste-c"]
    assert (silent["statut"] == "pas de réponse au questionnaire").all()
    cons = inputs.consistency.merge(data, on=["list_id", "theme_id"])
    answered = cons[cons["answered"]]
    assert ((answered["status"] == "questionnaire seulement")
            == (answered["statut"] == "promis au collectif seulement")).all()


def test_csv_neutralises_formulas_and_carries_demo_notice(tmp_path):
    data = pd.DataFrame({"liste": ["=HYPERLINK(1)", "+33", "Aix"], "n": [-1, 2, 3]})
    path = ex.write_csv(data, tmp_path / "x.csv", NOTICE)
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("avertissement,")
    assert f"{NOTICE},'=HYPERLINK(1),-1" in text and "'+33" in text
    plain = ex.write_csv(data, tmp_path / "y.csv")
    assert "avertissement" not in plain.read_text(encoding="utf-8-sig")


def test_without_chromium_html_and_csv_are_written_and_images_reported(
    cfg, monkeypatch, capsys
):
    def no_chrome(*args, **kwargs):
        raise RuntimeError("Kaleido requires Google Chrome to be installed.")

    monkeypatch.setattr(pio, "write_images", no_chrome)
    cfg.figures_dir.mkdir(parents=True)
    stale = cfg.figures_dir / "fig01_carte_themes_DEMO.png"
    stale.write_bytes(b"old")
    written = run_charts(cfg)
    assert not stale.exists()                    # never an outdated image beside new data
    assert {p.suffix for p in written} == {".html", ".csv", ".js"}
    out = capsys.readouterr().out
    n = 2 * len(F.build_all(load_inputs(cfg)))
    assert f"NON écrits : {n} fichiers PNG/SVG" in out and "apt-get install chromium" in out
    assert out.count("ATTENTION : Chromium introuvable") == 1


def test_non_demo_files_have_no_demo_suffix(tmp_path):
    cfg = load_config(write_sample_project(tmp_path / "real", demo=False))
    specs = F.build_all(load_inputs(cfg))
    assert not any(NOTICE in t for s in specs for t in annotation_texts(s.fig))
    result = ex.export_figures(specs[:1], cfg.figures_dir, cfg.demo_notice, static=False)
    names = sorted(p.name for p in result.written)
    assert names == ["fig01_carte_themes.csv", "fig01_carte_themes.html", "plotly.min.js"]
    assert result.skipped == ["fig01_carte_themes.png", "fig01_carte_themes.svg"]


@pytest.mark.slow
def test_real_export_writes_all_formats_with_demo_notice(cfg):
    from PIL import Image

    written = run_charts(cfg)
    by_suffix = {}
    for path in written:
        assert path.stat().st_size > 0
        by_suffix.setdefault(path.suffix, []).append(path)
    n = len(F.build_all(load_inputs(cfg)))
    for suffix in (".html", ".png", ".svg", ".csv"):
        assert len(by_suffix[suffix]) == n, suffix
        assert all(p.stem.endswith("_DEMO") for p in by_suffix[suffix])
    for png in by_suffix[".png"]:
        assert Image.open(png).width >= 1200 * 2
    for svg in by_suffix[".svg"]:
        assert NOTICE in svg.read_text(encoding="utf-8")
    for csv in by_suffix[".csv"]:
        table = pd.read_csv(csv)
        assert table.columns[0] == "avertissement" and (table.iloc[:, 0] == NOTICE).all()
    for page in by_suffix[".html"]:      # offline: the bundle is beside, no CDN
        html = page.read_text(encoding="utf-8")
        assert 'src="plotly.min.js"' in html and "cdn.plot.ly" not in html
    assert (cfg.figures_dir / "plotly.min.js").stat().st_size > 1_000_000


def test_figures_build_when_nothing_was_tagged(cfg):
    pd.DataFrame(columns=["passage_id", "theme_id", "stance", "strength", "evidence",
                          "origin"]).to_parquet(cfg.tags_path)
    inputs = load_inputs(cfg)
    assert (inputs.coverage["n_passages"] == 0).all()
    for spec in F.build_all(inputs):
        assert len(spec.data) > 0
    mix = F.fig03_force_engagements(inputs.overall, inputs.ctx).data
    assert (mix["themes_absent"] == 8).all()
