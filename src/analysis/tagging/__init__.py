"""Automatic tagging of passages with the codebook's themes (spaCy + rules).

Stage `tag`: `run(cfg)` (= `run_tag`): passages.parquet -> tags_auto.parquet (the review
stage then applies the reviewers' decisions: tags.parquet). Also `Tagger` (used by the
notebooks, the evaluation and the bench) and `tag_jsonl(cfg, stdin, stdout)` (the
`python -m analysis tag --jsonl` filter). Importing this package loads neither pandas nor
spaCy: the filter starts fast, and a warm cache never loads the model.

Modules: `tagger` (the Tagger), `nlp` (spaCy), `matcher` (codebook patterns on lemmas),
`context`, `stance`, `strength` (rules), `cache` (SQLite), `stage` (entry points),
`explore` (tables for the notebook).
"""

from analysis.tagging.stage import run, run_tag, tag_jsonl, tags_frame
from analysis.tagging.tagger import Tagger

__all__ = ["Tagger", "run", "run_tag", "tag_jsonl", "tags_frame"]
