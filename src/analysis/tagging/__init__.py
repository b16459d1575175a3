"""Automatic tagging of passages with the codebook's themes (spaCy + rules).

Public API: `Tagger` (used by the notebooks, the evaluation and the bench), `run_tag(cfg)`
(pipeline stage: passages.parquet -> tags_auto.parquet, tags.parquet) and
`tag_jsonl(cfg, stdin, stdout)` (the `python -m analysis tag --jsonl` filter).
"""

from analysis.tagging.stage import run_tag, tag_jsonl, tags_frame
from analysis.tagging.tagger import Tagger

__all__ = ["Tagger", "run_tag", "tag_jsonl", "tags_frame"]
