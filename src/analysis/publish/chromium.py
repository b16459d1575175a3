"""Printing HTML to PDF with a headless Chromium (the list sheets)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROME_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--no-pdf-header-footer", "--print-to-pdf-no-header",
]


def find_chromium() -> str | None:
    """A Chromium/Chrome executable: $BROWSER_PATH, then the usual names on PATH."""
    candidates = [os.environ.get("BROWSER_PATH", "")] + [
        shutil.which(n) or "" for n in
        ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    ]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def print_pdf(html_path: Path, pdf_path: Path, chrome: str) -> bool:
    """Print an HTML file to PDF with headless Chromium (fresh profile); True on success."""
    pdf_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        try:
            subprocess.run(
                [chrome, *CHROME_FLAGS, f"--user-data-dir={profile}",
                 f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()],
                capture_output=True, timeout=120, check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
    return pdf_path.is_file() and pdf_path.stat().st_size > 0
