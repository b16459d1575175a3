"""Size caps: a document that would take the machine's memory (a zip bomb, a 5,000-page
PDF, a million passages) gets the status `too_large` and a reason, never an out-of-memory."""

from __future__ import annotations

import zipfile
from pathlib import Path

from analysis.ingest.blocks import ReadError

MAX_FILE_BYTES = 200 * 1024 * 1024          # as received
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # a docx/odt/xlsx once unzipped
MAX_XML_BYTES = 40 * 1024 * 1024            # its text parts (a 300-page DOCX: ~5 MB)
MAX_RATIO = 200                             # unzipped / zipped size of the text parts
MAX_PASSAGES = 20_000                       # per document (a long programme: ~3,000)
TOO_LARGE = "too_large"

_ADVICE = "vérifier le fichier (archive piégée ?) ou déposer le programme seul, puis relancer"


def check_file_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError(f"fichier de {size // 2**20} Mo (plus de {MAX_FILE_BYTES // 2**20} Mo) :"
                        f" {_ADVICE}", "trop volumineux", status=TOO_LARGE)


def check_zip_size(path: Path) -> None:
    """Raise ReadError(status too_large) for an office file whose content, once unzipped,
    is out of proportion (zip bomb) — read from the zip directory, nothing is inflated."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # the reader says the file is damaged
    total = sum(i.file_size for i in infos)
    xml = [i for i in infos if i.filename.lower().endswith((".xml", ".rels"))]
    xml_size = sum(i.file_size for i in xml)
    xml_packed = sum(i.compress_size for i in xml) or 1
    if total > MAX_UNCOMPRESSED_BYTES or xml_size > MAX_XML_BYTES or (
            xml_size > 5 * 2**20 and xml_size / xml_packed > MAX_RATIO):
        raise ReadError(
            f"document qui occupe {xml_size // 2**20} Mo de texte une fois décompressé "
            f"({total // 2**20} Mo en tout, pour {path.stat().st_size // 1024} Ko reçus) : "
            f"{_ADVICE}", "trop volumineux", status=TOO_LARGE)


def too_many_passages(n: int) -> str:
    return (f"{n} passages dans un seul document (plus de {MAX_PASSAGES}) : document "
            f"anormalement long, non analysé ; {_ADVICE}")
