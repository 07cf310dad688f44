# postmortem developer tasks. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
# Debian packages WeasyPrint needs at run time (harfbuzz-subset keeps PDF writing fast),
# plus poppler-utils for looking at PDF pages as images.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils

.DEFAULT_GOAL := help
.PHONY: help install system-deps demo samples test check lint format typecheck pytest golden bench eval dist clean review-demo

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

system-deps: ## install the Debian libraries WeasyPrint needs (when root), else print the command
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "installing system packages:$$missing"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "missing system packages:$$missing"; \
	  echo "run: sudo apt-get install -y$$missing"; exit 1; \
	fi

$(BIN)/postmortem: pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -e . --group dev
	$(PY) -m compileall -q postmortem  # bytecode, as a wheel install would have
	@touch $@

install: $(BIN)/postmortem ## create .venv with the package and the dev tools

REVIEW := --project samples/review/postmortem.yaml

demo: install ## build the bundled samples and a weekly review offline into out/
	$(BIN)/postmortem build samples/*.yaml --offline -f md,html,json,pdf -o out/
	$(BIN)/postmortem build samples/review/incidents/*.yaml -q -f html -o out/review/incidents
	$(BIN)/postmortem archive update $(REVIEW) --offline
	$(BIN)/postmortem review $(REVIEW) --week 2026-W12 -f md,html,json,pdf -o out/review
	@echo "done: open out/ (PDF, HTML, Markdown, JSON) and out/review/"

samples: install ## regenerate the committed sample outputs (Markdown)
	$(BIN)/postmortem build samples/*.yaml --offline -q -f md -o samples/output/
	$(BIN)/postmortem archive update $(REVIEW) --offline
	$(BIN)/postmortem review $(REVIEW) --week 2026-W12 -f md -o samples/output/

lint: install ## ruff lint and format check
	$(BIN)/ruff check postmortem tests bench evaluation
	$(BIN)/ruff format --check postmortem tests bench evaluation

format: install ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix postmortem tests bench evaluation
	$(BIN)/ruff format postmortem tests bench evaluation

typecheck: install ## mypy --strict
	$(BIN)/mypy

pytest: install ## the test suite alone
	$(BIN)/pytest -q

test: lint typecheck pytest ## lint, typecheck and the whole test suite

check: test

golden: install ## regenerate golden files after a deliberate output change (review the diff)
	$(BIN)/postmortem schema > incident.schema.json
	POSTMORTEM_REGEN_GOLDEN=1 $(BIN)/pytest -q tests -k golden
	$(BIN)/postmortem schema > incident.schema.json
	$(MAKE) --no-print-directory samples

bench: install ## benchmarks, printed as ratios against floors measured in the same run
	$(PY) bench/run.py

eval: install ## score drafted sections against the corpus's hand labels (precision, recall, confusion)
	$(PY) evaluation/run.py

dist: install ## build the wheel, install it in a scratch venv, run it
	rm -rf dist /tmp/postmortem-dist-venv
	$(PY) -m pip wheel -q --no-deps -w dist .
	$(PYTHON) -m venv /tmp/postmortem-dist-venv
	/tmp/postmortem-dist-venv/bin/pip install -q dist/*.whl
	/tmp/postmortem-dist-venv/bin/postmortem --version

clean: ## remove build outputs and caches (keeps .venv)
	rm -rf out dist .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
