# Baromètre solidarité — `make` seul liste les cibles.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=
# make report CONFIG=projets/ma-commune/config.yml : une autre analyse que la démo
CONFIG ?=
CONFIG_ARG := $(if $(strip $(CONFIG)),--config $(CONFIG),)

.DEFAULT_GOAL := help

help: ## liste les cibles
	@echo "Baromètre solidarité — cibles :"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "[setup] Python >= 3.11 requis ($(PYTHON) est trop ancien) : make PYTHON=python3.11 ..."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "[setup] création de .venv impossible : sudo apt-get install python3-venv, puis relancer"; \
	  rm -rf $(VENV); exit 1; }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP) ## environnement virtuel, paquet, modèle spaCy français, Chromium, cache de l'étiqueteur
	@scripts/system_deps.sh
	@# compiled codebook + spaCy's expressions in the shared cache: the first `tag` starts warm
	@$(PY) -m analysis tag --prepare $(CONFIG_ARG) || echo "[setup] préparation du démarrage \
	rapide impossible (voir ci-dessus) : le premier étiquetage compilera le codebook lui-même"

report: setup ## analyse complète (démo par défaut ; CONFIG=fichier.yml pour une autre)
	@start=$$(date +%s); \
	$(PY) -m analysis run $(CONFIG_ARG) $(ARGS) && \
	echo "[report] terminé en $$(( $$(date +%s) - start )) s"

test: setup ## suite de tests
	@scripts/system_deps.sh --office
	$(PY) -m pytest $(ARGS)

bench: setup ## vitesse de l'étiqueteur (mots/s, cache, mémoire)
	$(PY) -m analysis bench $(CONFIG_ARG) $(ARGS)

eval: setup ## précision / rappel / F1 de l'étiqueteur -> reports/metrics/
	$(PY) -m analysis evaluate $(CONFIG_ARG) $(ARGS)

lab: setup ## ouvre JupyterLab sur les carnets
	$(VENV)/bin/jupyter lab notebooks/

lint: setup ## ruff (style et erreurs courantes)
	$(VENV)/bin/ruff check src tests scripts

clean: ## efface les sorties régénérables (garde documents, relectures, reports/exports)
	rm -rf data/processed/* data/processed/.cache data/demo/processed/* .cache
	@# reports/exports is kept: a workbook edited in place or archived may hold decisions
	find reports -mindepth 1 -maxdepth 1 ! -name exports ! -name .gitkeep -exec rm -rf {} +
	@touch data/processed/.gitkeep data/demo/processed/.gitkeep reports/.gitkeep

.PHONY: help setup report test bench eval lab lint clean
