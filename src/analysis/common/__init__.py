"""What every stage may use: errors, progress, formula-safe table and xlsx I/O, French text.

Nothing here knows about a stage; a stage imports `analysis.config`, `analysis.contracts`,
`analysis.common` and the stages before it in `analysis.pipeline`, nothing else.
"""
