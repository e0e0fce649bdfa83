# Every target bootstraps .venv itself: a fresh clone needs only python3 (>= 3.10) and network access to PyPI.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEMO_OUT ?= demo-out
# nbgrader runs helper commands (alembic, jupyter) through PATH: put the venv's scripts first.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: install test test-fast demo lab bench release verify clean

install: $(STAMP)

$(STAMP): pyproject.toml scripts/install-system-packages.sh scripts/install-browser.sh
	bash scripts/install-system-packages.sh
	bash scripts/install-browser.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

demo: $(STAMP)
	$(PY) -m autograde demo --out $(DEMO_OUT)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP)
	$(PY) -m bench

release: $(STAMP)
	$(PY) -m autograde release --out release

verify: $(STAMP)
	$(PY) -m autograde verify

clean:
	rm -rf $(VENV) $(DEMO_OUT) release bench-out .pytest_cache
