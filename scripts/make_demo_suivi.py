"""Write the demo's filled follow-up registers (data/demo/raw/suivi/*.xlsx) from
data/demo_src/suivi/observations.yml, the way volunteers fill them: the register produced
by `python -m analysis suivi` for the demo's elected list, with the yellow columns filled
(the 2028 register is produced after importing the 2027 one, so it shows its statuses).

    .venv/bin/python scripts/make_demo_suivi.py          # needs data/demo/processed (make report)

Everything is fictional. Commitments are found by an excerpt of their quote.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from openpyxl import load_workbook

from analysis.common.text import normalise_name
from analysis.config import PROJECT_ROOT, load_config
from analysis.suivi import run, run_suivi_import
from analysis.suivi.workbook import (
    COL_COMMENT,
    COL_DATE,
    COL_EVIDENCE,
    COL_ID,
    COL_REVIEWER,
    COL_STATUS,
    SHEET,
)

SOURCE = PROJECT_ROOT / "data" / "demo_src" / "suivi" / "observations.yml"
NAMES = {2027: "registre_suivi_2027_Camille.xlsx", 2028: "registre_suivi_2028_Leo.xlsx"}


def fill(register: Path, target: Path, observations: list[dict], reviewer: str) -> None:
    wb = load_workbook(register)
    ws = wb[SHEET]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == COL_ID)
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    quote_col = cols["Engagement (citation exacte)"]
    rows = {}
    for r in range(header + 1, ws.max_row + 1):
        rows[r] = normalise_name(ws.cell(r, quote_col).value or "")
    for obs in observations:
        key = normalise_name(obs["engagement"])
        found = [r for r, text in rows.items() if key in text]
        if len(found) != 1:
            sys.exit(f"{SOURCE}: « {obs['engagement']} » matches {len(found)} rows")
        r = found[0]
        if ws.cell(r, cols[COL_STATUS]).value:          # a second observation: copy the row
            r = ws.max_row + 1
            ws.cell(r, cols[COL_ID]).value = ws.cell(found[0], cols[COL_ID]).value
        ws.cell(r, cols[COL_STATUS]).value = obs["statut"]
        ws.cell(r, cols[COL_DATE]).value = obs["date"]
        ws.cell(r, cols[COL_DATE]).number_format = "DD/MM/YYYY"
        ws.cell(r, cols[COL_EVIDENCE]).value = obs.get("preuve") or None
        ws.cell(r, cols[COL_COMMENT]).value = obs.get("commentaire") or None
        ws.cell(r, cols[COL_REVIEWER]).value = reviewer
    wb.properties.created = wb.properties.modified = dt.datetime(2028, 6, 30)
    wb.save(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    base = load_config()        # the demo: its registers go to its own raw/suivi/
    parser.add_argument("--out", default=str(base.suivi_inbox))
    args = parser.parse_args(argv)
    spec = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cfg = load_config(None, raw=tmp / "raw", processed=tmp / "processed",
                          reports=tmp / "reports", reviews=tmp / "reviews")
        for folder in ("reviews", "processed"):
            (tmp / folder).mkdir()
        for name in ("passages_path", "tags_path"):      # read only: work on copies
            shutil.copy(getattr(base, name), getattr(cfg, name))
        if base.suivi_index_path.is_file():
            shutil.copy(base.suivi_index_path, cfg.suivi_index_path)
        for year in sorted(NAMES):
            result = run(cfg)
            mine = [o for o in spec["observations"] if o["registre"] == year]
            target = out / NAMES[year]
            fill(result.paths["workbook"], target, mine, spec["reviewers"][year])
            run_suivi_import(cfg, [str(target)])
            print(f"{target} : {len(mine)} observations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
