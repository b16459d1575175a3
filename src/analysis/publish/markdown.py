"""The small markdown of templates/methode.md, rendered for the report."""

from __future__ import annotations

import html
import re


def markdown_to_html(md: str) -> str:
    """The small markdown of methode.md: ## / ### headings, - lists, paragraphs, **, `."""
    def inline(text: str) -> str:
        text = html.escape(text, quote=False)
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        return re.sub(r"`(.+?)`", r"<code>\1</code>", text)

    out, para, items = [], [], []

    def flush() -> None:
        if para:
            out.append(f"<p>{inline(' '.join(para))}</p>")
            para.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for line in md.splitlines():
        stripped = line.strip()
        heading = re.match(r"^(#{1,4})\s+(.*)", stripped)
        if not stripped:
            flush()
        elif heading:
            flush()
            level = min(len(heading.group(1)) + 1, 5)     # '##' in the file -> <h3>
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif stripped.startswith("- "):
            if para:
                flush()
            items.append(stripped[2:])
        elif items and line.startswith("  "):
            items[-1] += " " + stripped
        else:
            para.append(stripped)
    flush()
    return "\n".join(out)


def split_limits(md: str) -> tuple[str, str]:
    """(method without its 'Limites' section, the 'Limites' section body)."""
    parts = re.split(r"^#{2,4}\s+Limites\s*$", md, maxsplit=1, flags=re.MULTILINE)
    return (parts[0], parts[1]) if len(parts) == 2 else (md, "")
