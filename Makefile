# Two commands do all the set-up: `make chat` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Rasa's own YAML schemas, taken from the rasa wheel: only `make test` needs them.
RASA_VERSION ?= 3.6.21
SCHEMAS := .faqbot-cache/rasa-$(RASA_VERSION)/VERSION
export RASA_VERSION
SEMANTIC_STAMP := $(VENV)/.semantic-installed

.PHONY: chat test lint bench install clean semantic

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(SCHEMAS): scripts/fetch_rasa_schemas.sh | $(STAMP)
	bash scripts/fetch_rasa_schemas.sh $(PY)
	touch $(SCHEMAS)

chat: $(STAMP)
	$(PY) -m bot console

test: $(STAMP) $(SCHEMAS)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP) semantic
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) benchmarks/run_all.py

# Optional semantic signal (nlu.semantic): onnxruntime, tokenizers and the hash-checked model.
semantic: $(SEMANTIC_STAMP)
	$(PY) -m bot.nlu.semantic.install

$(SEMANTIC_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev,semantic]'
	touch $(SEMANTIC_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
