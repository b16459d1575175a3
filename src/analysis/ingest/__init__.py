"""Stage `ingest`: programmes and questionnaire answers under data/raw/ -> passages.

`run(cfg)` (= `run_ingest`): data/raw/programmes/<list_id>/* and data/raw/questionnaire/*
-> passages.parquet, ingest_report.csv (one row per document, with the reason when it could
not be read) and questionnaire_responses.csv. Readers per format (`pdf`, `docx`, `odt`,
`html`, `text`), clean-up and segmentation (`cleanup`, `paragraphs`, `segment`), the
questionnaire's form exports, filled templates and letters (`questionnaire`, `letters`),
privacy masks (`privacy`), stable ids (`ids`), the rows of ingest_report.csv
(`ingest_report`), the stage (`stage`).
"""

from analysis.ingest.stage import passages_frame, run_ingest

run = run_ingest

__all__ = ["passages_frame", "run", "run_ingest"]
