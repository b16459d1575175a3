"""Test factories: small real inputs (files, tables, projects) built in temporary folders."""

from analysis.config import DEFAULT_CONFIG, load_config

# the project's own codebook, as the demo config names it
CODEBOOK = load_config(DEFAULT_CONFIG).codebook_path
