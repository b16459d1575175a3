"""Letters answering the questionnaire: split by their question headings ("Question 2",
"Q2", "Q2.", "2." at line start) into question ids; the date written in the letter."""

from __future__ import annotations

import datetime as dt
import re

from analysis.common.text import MONTHS_FR, normalise_name
from analysis.config import Config, Question
from analysis.ingest.blocks import HEADING, Block
from analysis.ingest.questionnaire import question_label

_EXPLICIT_RE = re.compile(
    r"^\s*(?:question\s*(?:n\s*°|n°|no\.?)?\s*|q\s*)(\d{1,2})(?!\d)\s*[.):\-–—]?\s*", re.I
)
_BARE_RE = re.compile(r"^\s*(\d{1,2})\s*[.)]\s+")
HEADING_REST_MAX = 120
# the letter's closing: what follows answers no question (politeness, signature)
_CLOSING_RE = re.compile(
    r"^\s*(?:je vous prie|nous vous prions|veuillez (?:recevoir|agr[ée]er)|"
    r"(?:bien |tr[èe]s )?cordialement|avec nos (?:sinc[èe]res |meilleures )?salutations|"
    r"nous restons [àa] votre (?:enti[èe]re )?disposition)",
    re.I,
)
CLOSING_SECTION = "Fin du courrier"


def _same_as_question(text: str, questions: list[Question]) -> bool:
    key = normalise_name(text)
    if len(key) < 15:
        return False
    for q in questions:
        qk = normalise_name(q.text)
        if key.startswith(qk[:60]) or (qk.startswith(key) and len(key) >= 30):
            return True
        if normalise_name(q.column) == key:
            return True
    return False


def split_letter(blocks: list[Block], cfg: Config) -> tuple[list[Block], int]:
    """Blocks of a letter with question_id and section set from question headings
    ("Question 2", "Q2", "Q2.", "2." at line start); returns the blocks and the number of
    question headings found. A paragraph repeating a question's text is made a heading
    (the list's answer is what follows, not the question). From the closing formula on
    ("Je vous prie d'agréer...", "Cordialement"), passages belong to no question."""
    questions = cfg.questions
    out: list[Block] = []
    current: Question | None = None
    label: str | None = None
    number = 0
    found = 0
    seen: set[int] = set()
    for block in blocks:
        text = block.text
        explicit = _EXPLICIT_RE.match(text)
        bare = _BARE_RE.match(text)
        m, n = None, None
        if explicit and 1 <= int(explicit.group(1)) <= len(questions) and \
                int(explicit.group(1)) not in seen:
            m, n = explicit, int(explicit.group(1))
        elif bare and int(bare.group(1)) == number + 1 <= len(questions):
            rest = text[bare.end():]
            if block.kind == HEADING or _looks_like_title(rest, questions):
                m, n = bare, int(bare.group(1))
        if m is not None and n is not None:
            current, number = questions[n - 1], n
            seen.add(n)
            found += 1
            label = question_label(current, n)
            rest = text[m.end():].strip()
            if block.kind == HEADING or _looks_like_title(rest, questions) or not rest:
                out.append(Block(HEADING, text, block.page, block.level, block.page_marks,
                                 question_id=current.id))
            else:  # "Q2. Nous associerons..." : the answer starts on the heading line
                out.append(Block(HEADING, text[: m.end()].strip(), block.page,
                                 question_id=current.id))
                out.append(Block(block.kind, rest, block.page, section=label,
                                 question_id=current.id))
            continue
        if current is not None and block.kind != HEADING and _CLOSING_RE.match(text):
            current, label = None, CLOSING_SECTION
        if block.kind != HEADING and _same_as_question(text, questions):
            out.append(Block(HEADING, text, block.page, question_id=current and current.id))
            continue
        out.append(Block(block.kind, text, block.page, block.level, block.page_marks,
                         section=label if block.kind != HEADING else None,
                         question_id=current.id if current else None))
    return out, found


def _looks_like_title(rest: str, questions: list[Question]) -> bool:
    rest = rest.strip(" —–-:")
    return (len(rest) <= HEADING_REST_MAX and not rest.endswith(".")) or _same_as_question(
        rest, questions
    )


_DATE_RE = re.compile(
    r"\b(\d{1,2})(?:er)?\s+(" + "|".join(MONTHS_FR) + r")\s+(\d{4})\b", re.I
)


def date_in_text(text: str) -> str | None:
    """First French date written in a letter ("le 12 février 2026"), ISO formatted."""
    m = _DATE_RE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), MONTHS_FR.index(m.group(2).lower()) + 1,
                       int(m.group(1))).isoformat()
    except ValueError:
        return None
