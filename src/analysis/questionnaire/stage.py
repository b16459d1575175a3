"""Stage `questionnaire` (`python -m analysis questionnaire-template`): the questionnaire
to send to the lists, xlsx and docx, in reports/questionnaire/."""

from __future__ import annotations

from pathlib import Path

from analysis.common.errors import UserError
from analysis.common.files import archive_if_edited, record_written, save_atomic
from analysis.common.progress import summary
from analysis.common.text import slug
from analysis.config import Config
from analysis.questionnaire.write_docx import build_docx
from analysis.questionnaire.write_xlsx import build_xlsx


def template_paths(cfg: Config) -> dict[str, Path]:
    stem = f"questionnaire_{slug(cfg.commune)}"
    return {kind: cfg.questionnaire_dir / f"{stem}.{kind}" for kind in ("xlsx", "docx")}


def run_questionnaire_template(cfg: Config) -> list[Path]:
    """Write the questionnaire (xlsx and docx) to reports/questionnaire/; returns the paths.

    A file edited since we last wrote it (e.g. a customised letter) is archived first.
    """
    codebook = cfg.codebook
    if not cfg.questions:
        raise UserError(f"{cfg.source} : aucune question dans questionnaire.questions ; "
                        f"ajoutez-les (id, text) avant de produire le questionnaire.")
    paths = template_paths(cfg)
    paths["xlsx"].parent.mkdir(parents=True, exist_ok=True)
    archived = []
    for kind, builder in (("xlsx", build_xlsx), ("docx", build_docx)):
        target = paths[kind]
        old = archive_if_edited(cfg.manifest_path, target)
        if old:
            archived.append(old)
            print(f"{target.name} avait été modifié : ancienne version conservée dans {old}")
        save_atomic(target, builder(cfg, codebook).save)
        record_written(cfg.manifest_path, target)
    summary("questionnaire-template",
            f"{len(cfg.questions)} questions, {len(codebook.themes)} thèmes -> "
            f"{paths['xlsx']} et {paths['docx'].name}"
            + (f" ({len(archived)} ancien(s) fichier(s) archivé(s))" if archived else ""))
    return [paths["xlsx"], paths["docx"]]


run = run_questionnaire_template
