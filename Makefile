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

# Browser libraries bundled into the site (charts, map) and the test run (axe-core).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

site: $(STAMP) $(NODE_STAMP)
	$(BIN)/briefs build --strict

serve: $(STAMP) $(NODE_STAMP)
	$(BIN)/briefs serve

check: $(STAMP)
	$(BIN)/briefs check --strict

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy generator
	cd tests && ../$(BIN)/mypy bench

test: $(STAMP) $(NODE_STAMP) lint
	$(BIN)/python -m pytest

# A tool beside the tests (tests/bench/), not part of the product. Times briefs build against plain MkDocs, and check against LibYAML, at 200 and 2,000 records.
bench: $(STAMP) $(NODE_STAMP)
	cd tests && ../$(BIN)/python -m bench --sizes 200,2000 --repeat 3

clean:
	rm -rf site .site-staging .site-old $(VENV) node_modules
