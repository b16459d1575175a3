"""Write docs/configuration.md from the config validator's schema (analysis.config_schema).

    .venv/bin/python scripts/make_config_reference.py           # rewrite the reference
    .venv/bin/python scripts/make_config_reference.py --check   # exit 1 if it is stale

The reference is never edited by hand: a test fails when the committed file differs from
what the validator describes.
"""

from __future__ import annotations

import argparse
import sys

from analysis.config import PROJECT_ROOT
from analysis.config_schema import reference_markdown

REFERENCE = PROJECT_ROOT / "docs" / "configuration.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit docs/configuration.md depuis le "
                                                 "validateur de la configuration.")
    parser.add_argument("--check", action="store_true",
                        help="ne rien écrire ; code 1 si le fichier n'est pas à jour")
    args = parser.parse_args(argv)
    text = reference_markdown()
    current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.is_file() else ""
    if args.check:
        if current != text:
            print(f"{REFERENCE} n'est pas à jour : lancez "
                  f".venv/bin/python scripts/make_config_reference.py", file=sys.stderr)
            return 1
        return 0
    REFERENCE.write_text(text, encoding="utf-8")
    print(f"{REFERENCE} écrit ({len(text.splitlines())} lignes).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
