"""Rewrite the accuracy table of the README from reports/metrics/ (run `make eval` first).

    python scripts/readme_metrics.py

Only the table rows between the metrics markers change; the prose is left to the author.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = ("test", "test2", "test3", "propositions_test", "propositions_test2")   # the frozen sets, in the table's order
ROWS = {
    "précision micro": ("micro_precision", True),
    "rappel micro": ("micro_recall", True),
    "**F1 micro**": ("micro_f1", True),
    "F1 macro (25 thèmes)": ("macro_f1", True),
    "position juste (thèmes trouvés)": ("stance_accuracy", False),
    "positions restrictives retrouvées": ("restrictive_recall", False),
}


def fr(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def cell(doc: dict, metric: str, with_interval: bool, bold: bool, published: bool) -> str:
    value = fr(doc[metric])
    text = f"**{value}**" if bold and published else value
    if metric == "restrictive_recall":
        return f"{text} (sur {doc['n_gold_restrictive']})"
    bounds = (doc.get("ci95") or {}).get(metric)
    if with_interval and published and bounds:
        text += f" [{fr(bounds[0])} – {fr(bounds[1])}]"
    return text


def main() -> int:
    metrics = {}
    for name in SETS:
        path = ROOT / "reports" / "metrics" / f"evaluation_{name}.json"
        if not path.is_file():
            print(f"{path} absent : lancez d'abord `make eval`.", file=sys.stderr)
            return 1
        metrics[name] = json.loads(path.read_text(encoding="utf-8"))
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = text.index("<!-- metrics:start -->"), text.index("<!-- metrics:end -->")
    block = text[start:end]
    for label, (metric, interval) in ROWS.items():
        cells = [cell(metrics[n], metric, interval, label.startswith("**"), True) for n in SETS]
        row = f"| {label} | " + " | ".join(cells) + " |"
        block = re.sub(rf"^\| {re.escape(label)} \|.*$", row, block, flags=re.M)
    readme.write_text(text[:start] + block + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
