"""Stage `coverage`: how much, how strongly and with which stance each list covers each theme.

`run(cfg)` (= `run_coverage`, in `stage`): passages.parquet + tags.parquet +
questionnaire_responses.csv -> coverage.parquet. The measures (`compute`: coverage, combined
sources, per axis, best evidence; definitions in templates/methode.md) and the questionnaire
tables (`questionnaire`: who answered, answers per question, programme vs answers) are
pure functions on DataFrames, used by the publish and workbook stages too.
"""

from analysis.coverage.stage import run, run_coverage

__all__ = ["run", "run_coverage"]
