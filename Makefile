# A fresh clone needs two commands: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test check lint bench clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/briefs build --strict

serve: $(STAMP)
	$(BIN)/briefs serve

check: $(STAMP)
	$(BIN)/briefs check --strict

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy generator

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf site .site-staging .site-old $(VENV)
