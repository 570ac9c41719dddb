# tradestance: `make run` sets everything up and runs the main job; `make test` runs the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/tradestance.duckdb
SAMPLE := corpora/sample/documents.jsonl
SHARED := ../shared/corpora
STAMP := $(VENV)/.installed

.PHONY: run test setup bench quality dev-eval report clean chromium

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	@echo "installing pinned dependencies and the spaCy model into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install --upgrade pip > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@$(BIN)/python -m pip install -e '.[test]' >> $(VENV)/install.log 2>&1 || { tail -50 $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/tradestance --db $(DB) ingest $(SAMPLE)
	@mkdir -p out
	$(BIN)/tradestance --db $(DB) export --format annotations -o out/annotations.jsonl
	$(BIN)/tradestance --db $(DB) report --out out/report
	@echo "database: $(DB)"
	@echo "annotations: out/annotations.jsonl"
	@echo "report: out/report/index.html (with one CSV per chart beside it)"
	@echo "try: $(BIN)/tradestance --db $(DB) query \"SELECT issue, count(*) FROM document_issues GROUP BY ALL ORDER BY 2 DESC\""

# The report's browser test needs Debian's chromium; install it where missing (the test skips if this fails).
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 || \
	  echo "note: chromium could not be installed; the browser test will skip"; }

test: $(STAMP) chromium
	$(BIN)/python -m pytest -q

# Extraction quality on the project's dev gold (needs ../shared).
dev-eval: $(STAMP)
	@mkdir -p out
	rm -f out/dev-eval.duckdb
	$(BIN)/tradestance --db out/dev-eval.duckdb evaluate corpora/gold/dev.jsonl \
	  --docs $(SHARED)/reuters21578/trade.jsonl --docs $(SHARED)/us_gov/proclamations_trade.jsonl \
	  --docs $(SHARED)/us_gov/speeches_trade.jsonl --docs $(SHARED)/seed/documents.jsonl --json out/dev-eval.json \
	  --model-card models/stance.md

quality: dev-eval

# Performance benchmarks (needs ../shared): prints a table, writes out/bench/*.json. Sizes are options, e.g.
# make bench BENCH_ARGS="--docs 434 --sizes 1000,5000,10000,19779" (docs/benchmarks.md).
BENCH_ARGS ?= --docs 200 --sizes 1000,2000,4000
report: $(STAMP)
	$(BIN)/tradestance --db $(DB) report --out out/report

bench: $(STAMP)
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf out data/*.duckdb data/*.lock
