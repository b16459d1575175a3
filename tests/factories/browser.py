"""Headless Chromium helpers for the rendering tests: print to PDF, screenshot, and measure
the laid-out page (a measuring script appended to a copy of the page writes its findings
into the DOM, read back with --dump-dom)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars"]

MEASURE = r"""
<script>
window.addEventListener("load", function () { setTimeout(function () {
  var out = {viewport: window.innerWidth,
             scrollWidth: document.documentElement.scrollWidth, charts: []};
  document.querySelectorAll("div.plotly-graph-div").forEach(function (div) {
    var svg = div.querySelector("svg.main-svg");
    if (!svg) { out.charts.push({id: div.id, drawn: false}); return; }
    var box = svg.getBoundingClientRect(), clipped = [], n = 0;
    div.querySelectorAll("g.xtick text, g.ytick text, g.annotation-text-g text, " +
                         "g.legendtext, text.legendtext, g.g-xtitle text, g.g-ytitle text, " +
                         "text.cell-text"
                        ).forEach(function (t) {
      var r = t.getBoundingClientRect();
      if (!r.width) { return; }
      n += 1;
      if (r.left < box.left - 1 || r.right > box.right + 1 ||
          r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        clipped.push(t.textContent.slice(0, 60));
      }
    });
    var frame = div.parentElement.getBoundingClientRect();
    out.charts.push({id: div.id, drawn: true, width: box.width, labels: n,
                     clipped: clipped, frameWidth: frame.width});
  });
  window.parent.postMessage(JSON.stringify(out), "*");
}, 1500); });
</script>
"""


def chromium() -> str | None:
    return (shutil.which("chromium") or shutil.which("chromium-browser")
            or shutil.which("google-chrome"))


def _run(args: list[str], timeout: int = 180) -> str:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=timeout, check=True,
        ).stdout


def print_pdf(html: Path, pdf: Path) -> Path:
    _run(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri()])
    return pdf


def screenshot(html: Path, png: Path, width: int, height: int = 2400) -> Path:
    """A screenshot of the page laid out `width` px wide (in an iframe for phone widths)."""
    target = html
    if width < 500:
        target = html.with_name(html.stem + f"_ecran_{width}.html")
        target.write_text(
            f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{html.name}" '
            f'style="width:{width}px;height:{height}px;border:0"></iframe></body></html>',
            encoding="utf-8")
    try:
        _run([f"--window-size={max(width, 500)},{height}", f"--screenshot={png}",
              "--virtual-time-budget=15000", target.resolve().as_uri()])
    finally:
        if target != html:
            target.unlink(missing_ok=True)
    return png


FRAME = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="{src}" style="width:{width}px;height:900px;border:0"></iframe>
<script>window.addEventListener("message", function (e) {{
  var pre = document.createElement("pre"); pre.id = "measure-result";
  pre.textContent = e.data; document.body.appendChild(pre); }});</script>
</body></html>"""


def measure(html: Path, width: int) -> dict:
    """Lay the page out at `width` px (in an iframe: a headless window is at least 500 px
    wide) and report, per chart, the labels outside its SVG and the page's scroll width."""
    probe = html.with_name(html.stem + f"_mesure_{width}.html")
    wrapper = html.with_name(html.stem + f"_cadre_{width}.html")
    text = html.read_text(encoding="utf-8")
    probe.write_text(text.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    wrapper.write_text(FRAME.format(src=probe.name, width=width), encoding="utf-8")
    try:
        dom = _run(["--window-size=1400,1000", "--virtual-time-budget=30000",
                    "--dump-dom", wrapper.resolve().as_uri()])
    finally:
        probe.unlink(missing_ok=True)
        wrapper.unlink(missing_ok=True)
    found = re.search(r'<pre id="measure-result">(.*?)</pre>', dom, re.S)
    assert found, "the measuring script did not run"
    raw = found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace(
        "&gt;", ">").replace("&amp;", "&")
    return json.loads(raw)
