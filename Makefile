# Every target bootstraps .venv from the pinned requirements, so a fresh clone needs only `make demo` or `make test`.
# Another interpreter or venv: make PYTHON=python3.13 VENV=.venv313 test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint eval bench clean

# An older or missing Python stops here with what to do, not with a pip traceback (the check is
# written so that Python 2 can run it too).
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  found=$$($(PYTHON) -c 'import sys; print("Python " + sys.version.split()[0])' 2>/dev/null); \
	  echo "Factbot needs Python 3.11 or newer; $(PYTHON) is $${found:-not installed}." >&2; \
	  echo "Install Python 3.11, 3.12 or 3.13 and name it, e.g.: make PYTHON=python3.12 $(or $(MAKECMDGOALS),demo)" >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,datasette]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/factbot build
	$(BIN)/factbot check "Rebels took about 20 villages on the first day of the offensive."
	$(BIN)/factbot check "Peskov said: \"We urge Syria's authorities to reassert control and restore constitutional order as soon as possible.\""
	$(BIN)/factbot check "Government forces retook Aleppo in 2018."
	$(BIN)/factbot check "The UN Security Council held an emergency session on Aleppo."
	$(BIN)/factbot eval eval/dev_claims.jsonl

lint: $(STAMP)
	$(BIN)/ruff check bot facts adapters bench tests
	$(BIN)/ruff format --check bot facts adapters bench tests
	$(BIN)/mypy bot facts

test: lint
	$(BIN)/pytest

# Every labeled set in eval/ as one table, on a store built from seeds/ alone (moderators' edits to
# your own store do not move the figures).
eval: $(STAMP)
	$(BIN)/factbot --db .factbot/eval.db build
	$(BIN)/factbot --db .factbot/eval.db eval eval/*.jsonl

bench: $(STAMP)
	$(BIN)/factbot bench

clean:
	rm -rf $(VENV) .factbot
