"""Stage `workbook` (`python -m analysis export`): the associations' review workbook.

passages, tags, coverage (questionnaire_responses.csv when present) and
data/reviews/decisions.csv -> `cfg.workbook_path` with sheets "Lisez-moi", "Synthèse",
"Passages", "Non étiquetés", "Questionnaire", "Thèmes" and, once review decisions exist,
"Accord". A workbook a volunteer may have edited is never overwritten (see save.py).

`export --par-association` (or `--par-liste`, `--par-axe`) also writes one workbook per
reviewer with only its themes and lists (`reports/exports/par_association/`); `--zip`
writes, beside each workbook, a review folder (.zip) with the source documents under
`documents/`, linked from the workbook by relative paths (it travels by e-mail).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from analysis.common.files import save_atomic
from analysis.common.progress import summary
from analysis.config import Config
from analysis.publish.wording import plural
from analysis.workbook.build import build_workbook
from analysis.workbook.columns import BUNDLE_DOCUMENTS
from analysis.workbook.groups import ReviewGroup, groups_for, unassigned_themes
from analysis.workbook.inputs import WorkbookInputs, load_inputs
from analysis.workbook.save import save_workbook
from analysis.workbook.sheets import bundle_links

SPLIT_FOLDER = "par_association"


def _line(path: Path, counts: dict, note: str = "") -> str:
    return (f"{path} : {plural(counts['to_review'], 'étiquette')} à relire ("
            f"{plural(counts['reviewed'], 'déjà relue', 'déjà relues')}, "
            f"{plural(counts['rejected'], 'rejetée visible', 'rejetées visibles')}), "
            f"{plural(counts['untagged'], 'passage')} sans thème, "
            f"{plural(counts['lists_without_answer'], 'liste')} sans réponse au "
            f"questionnaire{note}")


def write_bundle(cfg: Config, inputs: WorkbookInputs, workbook: Path,
                 group: ReviewGroup | None = None) -> tuple[Path, list[str]]:
    """`<workbook>_dossier.zip`: the workbook (links to documents/<path>) and the documents
    its rows cite; returns the zip and the cited documents missing from cfg.raw."""
    wb, counts = build_workbook(cfg, inputs, group=group, link=bundle_links)
    rows = counts["rows"]
    cited = sorted(set(rows["path"].dropna().astype(str)) if len(rows) else set())
    if group is None or group.lists is None:
        cited = sorted(set(cited) | set(inputs.passages["path"].dropna().astype(str)))
    else:
        chosen = inputs.passages[inputs.passages["list_id"].isin(group.lists)]
        cited = sorted(set(cited) | set(chosen["path"].dropna().astype(str)))
    missing = [p for p in cited if not (cfg.raw / p).is_file()]
    buffer = io.BytesIO()
    wb.save(buffer)
    target = workbook.with_name(f"{workbook.stem}_dossier.zip")

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(workbook.name, buffer.getvalue())
            for rel in cited:
                if rel not in missing:
                    zf.write(cfg.raw / rel, f"{BUNDLE_DOCUMENTS}/{rel}")

    save_atomic(target, write, busy=f"{target} est ouvert : fermez-le puis relancez.")
    return target, missing


def run_export(cfg: Config, split: str | None = None, bundle: bool = False) -> Path:
    """Write the review workbook (cfg.workbook_path) and, with `split`, one workbook per
    reviewer; with `bundle`, a review folder (.zip) beside each. Returns the main path."""
    inputs = load_inputs(cfg)
    wb, counts = build_workbook(cfg, inputs)
    path, archived = save_workbook(wb, cfg, inputs.codebook)
    note = f" (ancien classeur archivé : {archived.name})" if archived else ""
    summary("export", _line(path, counts, note))
    if bundle:
        _bundle(cfg, inputs, path)
    if split:
        groups = groups_for(cfg, split)
        folder = cfg.exports_dir / SPLIT_FOLDER
        for group in groups:
            target = folder / f"{path.stem}_{group.id}.xlsx"
            wb, counts = build_workbook(cfg, inputs, group=group)
            written, archived = save_workbook(wb, cfg, inputs.codebook, target)
            note = f" (ancien classeur archivé : {archived.name})" if archived else ""
            print(f"  {group.title} : {_line(written, counts, note)}")
            if bundle:
                _bundle(cfg, inputs, written, group)
        left = unassigned_themes(groups, inputs.codebook)
        if left:
            labels = ", ".join(inputs.codebook.label_of(t) for t in left)
            print(f"  ATTENTION : {plural(len(left), 'thème relu', 'thèmes relus')} par "
                  f"aucune association "
                  f"(seulement dans le classeur commun) : {labels}")
        summary("export", f"{plural(len(groups), 'classeur')} par relecteur dans {folder}")
    return path


def _bundle(cfg: Config, inputs: WorkbookInputs, workbook: Path,
            group: ReviewGroup | None = None) -> None:
    target, missing = write_bundle(cfg, inputs, workbook, group)
    print(f"  dossier de relecture : {target}")
    for rel in missing:
        print(f"  ATTENTION : document absent de {cfg.raw}, non joint : {rel}")


run = run_export
