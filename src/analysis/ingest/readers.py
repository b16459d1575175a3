"""Choose the reader for a file from its extension; unsupported, empty and hidden files get
a reason a volunteer understands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analysis.ingest.blocks import HEADING, Document, ReadError
from analysis.ingest.docx import read_docx
from analysis.ingest.html import read_html
from analysis.ingest.limits import check_file_size, check_zip_size
from analysis.ingest.odt import read_odt
from analysis.ingest.pdf import read_pdf
from analysis.ingest.text import read_md, read_txt

READERS: dict[str, Callable[[Path], Document]] = {
    ".pdf": read_pdf, ".docx": read_docx, ".html": read_html, ".htm": read_html,
    ".xhtml": read_html, ".md": read_md, ".markdown": read_md, ".txt": read_txt,
    ".odt": read_odt,
}
ZIPPED = {".docx", ".odt", ".xlsx", ".xlsm"}
FORMAT_NAMES = {".htm": "html", ".xhtml": "html", ".markdown": "md"}
_IMAGE = "image sans texte : demander le document en PDF (avec texte) ou passer un OCR"
ADVICE = {
    ".doc": "l'ouvrir dans Word ou LibreOffice et l'enregistrer en .docx ou en PDF",
    ".pages": "l'exporter en PDF depuis Pages (Fichier > Exporter vers > PDF)",
    ".rtf": "l'ouvrir dans un traitement de texte et l'enregistrer en .docx ou en PDF",
    ".odp": "l'exporter en PDF", ".ppt": "l'exporter en PDF", ".pptx": "l'exporter en PDF",
    ".key": "l'exporter en PDF", ".xls": "l'exporter en PDF (ou en .xlsx pour un formulaire)",
    ".xlsx": "l'exporter en PDF (les tableurs ne sont lus que dans questionnaire/)",
    ".ods": "l'exporter en PDF", ".csv": "les tableaux ne sont lus que dans questionnaire/",
    ".zip": "décompresser l'archive dans le dossier de la liste",
    ".jpg": _IMAGE, ".jpeg": _IMAGE, ".png": _IMAGE, ".gif": _IMAGE, ".tif": _IMAGE,
    ".tiff": _IMAGE, ".heic": _IMAGE, ".webp": _IMAGE,
    ".eml": "copier le texte du courriel dans un fichier .txt",
    ".msg": "copier le texte du courriel dans un fichier .txt",
}
HIDDEN_NAMES = {"thumbs.db", "desktop.ini", "icon\r"}
EMPTY_FILE = (
    "fichier vide (0 octet) : l'envoi ou la copie a échoué ; redéposer le fichier puis "
    "relancer"
)
NO_TEXT = (
    "document sans texte exploitable (texte dans des images ?) : vérifier le fichier, "
    "demander une version PDF avec texte ou passer un OCR"
)
UNEXPECTED = (
    "erreur inattendue à la lecture ({error}) : vérifier que le fichier s'ouvre, le "
    "réenregistrer en PDF, puis relancer ; signaler le problème s'il persiste"
)


def is_hidden(path: Path) -> bool:
    """System, hidden and lock files (.DS_Store, ~$doc.docx, ._x, Thumbs.db)."""
    name = path.name
    return name.startswith((".", "~$", "~")) or name.lower() in HIDDEN_NAMES


def format_of(path: Path) -> str:
    """Short format name for the report: pdf, docx, html, md, txt, odt, or the extension."""
    suffix = path.suffix.lower()
    return FORMAT_NAMES.get(suffix, suffix.lstrip("."))


def unsupported_reason(path: Path) -> str:
    suffix = path.suffix.lower() or "(sans extension)"
    advice = ADVICE.get(path.suffix.lower(), "l'exporter en PDF ou en .docx")
    return f"format non pris en charge ({suffix}) : {advice}, puis relancer"


def read_document(path: Path) -> Document:
    """Read any supported document; raise ReadError with a French reason otherwise."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(unsupported_reason(path), "format non pris en charge")
    if path.stat().st_size == 0:
        raise ReadError(EMPTY_FILE, "fichier vide")
    check_file_size(path)
    if path.suffix.lower() in ZIPPED:
        check_zip_size(path)
    try:
        doc = reader(path)
    except ReadError:
        raise
    except Exception as exc:  # a reader bug or an odd file must not stop the run
        raise ReadError(UNEXPECTED.format(error=type(exc).__name__), "fichier abîmé") from exc
    if not any(b.kind != HEADING for b in doc.blocks):
        raise ReadError(NO_TEXT, "sans texte")
    return doc
