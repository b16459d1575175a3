"""Text a page's style sheets hide (issue 16): a class defined in a `<style>` sheet or in a
saved page's linked CSS hides text as much as an inline style does; a reader's view on a
desktop screen decides (cascade, media queries, inheritance)."""

from __future__ import annotations

import time

from analysis.ingest.css import media_applies
from analysis.ingest.html import read_html
from analysis.ingest.stage import run_ingest
from tests.factories.ingest import make_config

VISIBLE = "Nous soutiendrons les associations du quartier par des conventions."
STYLE = """
.x{display:none} .v{visibility:hidden} .z{font-size:0} .tiny{font-size:2px}
.off{position:absolute;left:-9999px}
.clip{position:absolute;clip:rect(0 0 0 0);width:1px;height:1px;overflow:hidden}
.white{color:#fff} .pale{color:#fdfdfd}
.dark{background:#003;color:#fff}
.hero{background:url(hero.jpg) center;color:#fff}
.band{position:relative} .band .bg{position:absolute;inset:0;background:#123}
.band p{color:#fff}
@media print{.pr{display:none}}
@media (max-width:600px){.mob{display:none}}
@media screen and (min-width:768px){.desk-hide{display:none}}
#main .shown{display:block} .shown{display:none}
.late{display:none} .late{display:block}
.imp{display:none !important} #imp{display:block}
.list{font-size:0} .list li{font-size:16px}
.cp{clip-path:inset(50%)} .tr{transform:translateX(-10000px)} .op{opacity:0}
.v .back{visibility:visible}
.ir{text-indent:-9999px}
p.x2, .other::before {display:none}
"""
# (class, hidden sentence): every one must be left out
SECRETS = {
    "x": "Nous fermerons le foyer de nuit des sans abri.",
    "v": "Nous supprimerons les aides aux associations.",
    "z": "Nous réduirons le budget du CCAS de moitié.",
    "tiny": "Nous vendrons les logements sociaux vacants.",
    "off": "Nous conditionnerons l'aide alimentaire au travail.",
    "clip": "Nous expulserons les occupants des squats.",
    "white": "Nous interdirons la mendicité au centre-ville.",
    "pale": "Nous couperons les subventions des maraudes.",
    "desk-hide": "Nous fermerons les bains-douches municipaux.",
    "imp": "Nous supprimerons la gratuité des transports solidaires.",
    "cp": "Nous réduirons les places en crèche sociale.",
    "tr": "Nous fermerons l'épicerie solidaire du quartier.",
    "op": "Nous abandonnerons le plan grand froid.",
    "ir": "Nous limiterons l'accueil des réfugiés.",
    "x2": "Nous supprimerons le conseil des associations.",
}
SHOWN = {
    "dark": "Un centre social ouvert le soir, en blanc sur fond sombre.",
    "hero": "Une maison des solidarités, en blanc sur une photo.",
    "pr": "Un accueil de jour visible à l'écran, caché à l'impression.",
    "mob": "Une halte de nuit visible sur ordinateur, cachée sur mobile.",
    "shown": "Un règlement plus spécifique montre ce paragraphe.",
    "late": "Une règle plus tardive montre ce paragraphe aussi.",
    "list": "Une épicerie solidaire dans chaque quartier de la ville.",
    "band": "Un bandeau blanc posé sur un fond coloré placé derrière lui.",
}


def hostile_page(path, extra_head: str = "", extra_body: str = "") -> None:
    body = [f"<h2>Solidarité</h2><p>{VISIBLE}</p>"]
    for cls, text in SECRETS.items():
        if cls == "v":
            body.append(f"<div class='v'>{text} <span class='back'>Un texte rendu visible "
                        "à nouveau dans un bloc caché.</span></div>")
        elif cls == "imp":
            body.append(f"<p class='imp' id='imp'>{text}</p>")
        else:
            body.append(f"<p class='{cls}'>{text}</p>")
    for cls, text in SHOWN.items():
        if cls == "shown":
            body.append(f"<div id='main'><p class='shown'>{text}</p></div>")
        elif cls == "list":
            body.append(f"<ul class='list'><li>{text}</li></ul>")
        elif cls == "band":
            body.append(f"<div class='band'><div class='bg'></div><p>{text}</p></div>")
        else:
            body.append(f"<p class='{cls}'>{text}</p>")
    path.write_text(f"<html><head><style>{STYLE}</style>{extra_head}</head><body><main>"
                    + "".join(body) + extra_body + "</main></body></html>", encoding="utf-8")


def test_text_hidden_by_a_style_sheet_is_left_out_and_counted(tmp_path):
    hostile_page(tmp_path / "page.html")
    doc = read_html(tmp_path / "page.html")
    text = " ".join(b.text for b in doc.blocks)
    assert VISIBLE in text
    for cls, secret in SECRETS.items():
        assert secret[:30] not in text, cls
    for cls, shown in SHOWN.items():
        assert shown in text, cls
    assert "rendu visible à nouveau" in text  # visibility:visible inside a hidden block
    note = next(w for w in doc.warnings if "caractères invisibles ignorés" in w)
    assert int(note.split()[0]) == sum(len("".join(s.split())) for s in SECRETS.values())


def test_a_saved_pages_linked_style_sheet_is_applied_and_its_folder_not_read(tmp_path):
    cfg = make_config(tmp_path)
    prog = cfg.raw / "programmes" / "aix-avenir"
    (prog / "programme_files").mkdir(parents=True)
    (prog / "programme_files" / "site.css").write_text(".masque{display:none}",
                                                        encoding="utf-8")
    (prog / "programme_files" / "outside.css").write_text(
        "@import url('theme/more.css'); @import '../../../../../evil.css'; .a{color:red}",
        encoding="utf-8")
    (prog / "programme_files" / "theme").mkdir()
    (prog / "programme_files" / "theme" / "more.css").write_text(".importe{display:none}",
                                                                   encoding="utf-8")
    (tmp_path / "evil.css").write_text(".visible{display:none}", encoding="utf-8")
    (prog / "programme.html").write_text(
        "<html><head><link rel='stylesheet' href='programme_files/site.css'>"
        "<link rel='stylesheet' href='../../../../evil.css'>"
        "<link rel='stylesheet' href='programme_files/outside.css'>"
        "<link rel='stylesheet' href='https://cdn.example.org/x.css'></head><body><main>"
        f"<p class='visible'>{VISIBLE}</p>"
        "<p class='masque'>Nous fermerons le foyer de nuit des sans abri.</p>"
        "<p class='importe'>Nous vendrons les logements sociaux vacants.</p>"
        "</main></body></html>", encoding="utf-8")
    passages, report = run_ingest(cfg)
    texts = " ".join(passages["text"])
    assert VISIBLE in texts  # a style sheet out of the page's folder is never read
    assert "foyer de nuit" not in texts and "logements sociaux" not in texts  # @import too
    rows = report.set_index("path")
    assert "caractères invisibles ignorés" in rows.loc["programmes/aix-avenir/programme.html",
                                                       "reason"]
    css_row = rows.loc["programmes/aix-avenir/programme_files/site.css"]
    assert css_row["status"] == "skipped" and "programme.html" in css_row["reason"]


def test_media_queries_are_read_as_on_a_desktop_screen():
    assert media_applies("") and media_applies("screen") and media_applies("all")
    assert media_applies("(min-width: 768px)") and media_applies("only screen and "
                                                                 "(max-width: 1400px)")
    assert not media_applies("print") and not media_applies("(max-width: 600px)")
    assert media_applies("print, (min-width: 40em)")
    assert not media_applies("not screen") and not media_applies("(prefers-color-scheme: dark)")


def test_a_large_style_sheet_is_applied_quickly(tmp_path):
    rules = "".join(f".c{i} .d{i}>p:not(.e){{display:block;color:#333}}\n"
                    f"@media (min-width:{i}px){{.m{i}{{font-size:12px}}}}\n"
                    for i in range(3000))
    body = "".join(f"<div class='c{i % 50}'><p class='d{i % 7}'>Paragraphe {i} sur la "
                   "solidarité locale.</p></div>" for i in range(1500))
    path = tmp_path / "big.html"
    path.write_text(f"<html><head><style>{rules}.d3{{display:none}}</style></head><body><main>"
                    f"{body}</main></body></html>", encoding="utf-8")
    start = time.perf_counter()
    doc = read_html(path)
    assert time.perf_counter() - start < 20
    assert len(doc.blocks) == 1500 - len([i for i in range(1500) if i % 7 == 3])


def test_legacy_font_colour_hides_text_unless_the_cell_is_coloured(tmp_path):
    path = tmp_path / "old.html"
    path.write_text(
        "<html><body><main><p>" + VISIBLE + "</p>"
        "<p><font color='#FFFFFF'>Nous fermerons le foyer de nuit des sans abri.</font></p>"
        "<table><tr><td bgcolor='navy'><font color='white'>Une maison des solidarités "
        "ouverte le soir.</font></td><td>Une seconde cellule bien visible.</td></tr>"
        "</table></main></body></html>", encoding="utf-8")
    text = " ".join(b.text for b in read_html(path).blocks)
    assert VISIBLE in text and "maison des solidarités" in text
    assert "foyer de nuit" not in text


def test_html_hidden_inside_markdown_is_not_read(tmp_path):
    from analysis.ingest.text import read_md

    path = tmp_path / "programme.md"
    path.write_text(
        "---\ntitle: Programme\n---\n<style>.x{display:none} .mini{font-size:0}</style>\n\n"
        f"## Solidarité\n\n{VISIBLE}\n\n<div hidden>\nNous fermerons le foyer de nuit.\n\n"
        "Nous supprimerons les aides.\n</div>\n\n"
        "Un accueil <span style=\"display:none\">jamais</span> ouvert chaque soir.\n\n"
        "<p class=\"x\">Nous réduirons le CCAS.</p>\n\n"
        "<span class=\"sr-only\">Nous vendrons les logements sociaux.</span>\n\n"
        "- une épicerie <span class=\"mini\">payante</span> solidaire\n"
        "- <div><div>Des maraudes</div> chaque soir</div>\n\n"
        "Les écarts de revenus, a < b et c > d, restent lisibles.\n", encoding="utf-8")
    doc = read_md(path)
    assert [b.text for b in doc.blocks] == [
        "Programme", "Solidarité", VISIBLE, "Un accueil ouvert chaque soir.",
        "une épicerie solidaire", "Des maraudes chaque soir",
        "Les écarts de revenus, a < b et c > d, restent lisibles."]
    hidden = ["Nous fermerons le foyer de nuit.", "Nous supprimerons les aides.", "jamais",
              "Nous réduirons le CCAS.", "Nous vendrons les logements sociaux.", "payante"]
    note = next(w for w in doc.warnings if "HTML masqué dans le Markdown" in w)
    assert int(note.split()[0]) == sum(len("".join(h.split())) for h in hidden)
