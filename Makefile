# Every entry point of the kit. Each target bootstraps .venv itself; re-running is quick.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8888
APP_PORT ?= 8866
LEARNERS ?= 30
BENCH_RUNS ?= 3
PY := $(VENV)/bin/python
# One .venv; a stamp per dependency set, keyed on pyproject.toml's content (a changed dependency
# list reinstalls). lab: the lessons (with offline speech); grading: + nbgrader, papermill;
# test: + the tools.
HASH := $(shell cat pyproject.toml 2>/dev/null | $(PYTHON) -c "import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])")
STAMP_lab := $(VENV)/.installed-lab-$(HASH)
STAMP_grading := $(VENV)/.installed-grading-$(HASH)
STAMP_test := $(VENV)/.installed-test-$(HASH)
EXTRAS_lab := [speech]
EXTRAS_grading := [grading,speech]
EXTRAS_test := [test]
# installing a set also satisfies the smaller ones
IMPLIES_grading := lab
IMPLIES_test := lab grading
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: help app lab test test-fast lint bench demo slides docs release clean

help:
	@echo "make app [APP_PORT=8866] the learner app: every lesson and exercise, no code (Voila)"
	@echo "make lab [PORT=8888]   start JupyterLab on the lessons (main job)"
	@echo "make test              lint + the whole test suite (real kernels, nbgrader, browser)"
	@echo "make test-fast         lint + unit tests only (no notebooks, no browser)"
	@echo "make demo              grade a simulated class of $(LEARNERS) and write its report"
	@echo "make slides            build offline reveal.js slides for every lesson"
	@echo "make docs              regenerate the generated parts of docs/ (agendas, lessons, rubric)"
	@echo "make bench             import, coach and grading benchmarks (~15 min; BENCH_RUNS=1 is quicker)"
	@echo "make clean             remove .venv and build folders"

$(VENV)/.installed-%-$(HASH): pyproject.toml
	@test -x $(PY) || $(PYTHON) -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 'Python 3.11 or newer is needed (nbgrader 0.9.6 requires it); found ' + sys.version.split()[0])"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".$(EXTRAS_$*)"
	@rm -f $(VENV)/.installed-*
	@touch $@ $(foreach s,$(IMPLIES_$*),$(STAMP_$(s)))

lab: $(STAMP_lab)
	$(PY) -m course lab --port $(PORT)

app: $(STAMP_lab)
	$(PY) -m course app --port $(APP_PORT)

lint: $(STAMP_test)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

test: lint
	$(PY) -m pytest

test-fast: lint
	$(PY) -m pytest -m "not slow and not browser"

bench: $(STAMP_test)
	$(PY) benchmarks/bench_import.py
	$(PY) benchmarks/bench_coach.py
	$(PY) benchmarks/coach_eval.py
	$(PY) -m course bench --runs $(BENCH_RUNS)

demo: $(STAMP_grading)
	$(PY) -m course demo --workshop build/demo-workshop --learners $(LEARNERS)

slides: $(STAMP_lab)
	$(PY) -m course slides --output build/slides

docs: $(STAMP_lab)
	$(PY) tools/gen_docs.py

release: $(STAMP_grading)
	$(PY) -m course release

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
