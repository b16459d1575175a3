"""Ingestion: programmes and questionnaire answers under raw/ to passages (see run.py)."""

from analysis.ingest.run import passages_frame, run_ingest

__all__ = ["passages_frame", "run_ingest"]
