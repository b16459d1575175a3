"""Baromètre solidarité: ingest municipal programmes, tag solidarity themes, chart coverage."""

__version__ = "0.1.0"
