# Every target bootstraps .venv itself: a fresh clone needs only python3 (>= 3.10) and network access to PyPI.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEMO_OUT ?= demo-out
OUT    ?= grade-out
# nbgrader runs helper commands (alembic, jupyter) through PATH: put the venv's scripts first.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install test test-fast demo lab bench release verify grade refresh formgrader export clean

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

# Authoring: JupyterLab on the SOURCE notebooks (solutions in). Grading by hand: `make formgrader`.
lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks $(ROOT_FLAG)

bench: $(STAMP)
	$(PY) -m bench

release: $(STAMP)
	$(PY) -m autograde release --out release

verify: $(STAMP)
	$(PY) -m autograde verify

# make grade SUBMISSIONS=path/to/submissions [OUT=grade-out] [GRADE_OPTIONS="--workers 4 --roster class.csv"]
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "make grade: say which submissions, e.g. make grade SUBMISSIONS=submissions OUT=grade-out" >&2; exit 2; }
	$(PY) -m autograde grade $(SUBMISSIONS) --out $(OUT) $(GRADE_OPTIONS)

# make refresh [OUT=grade-out]: after grading by hand, rebuild grades.csv, the feedback and the report (no regrading).
refresh: $(STAMP)
	$(PY) -m autograde grade --refresh --out $(OUT)

# make formgrader [OUT=grade-out]: JupyterLab on the class record's nbgrader course, Nbgrader > Formgrader.
formgrader: $(STAMP)
	@test -f "$(OUT)/course/nbgrader_config.py" || { echo "make formgrader: $(OUT) holds no graded class yet; run make grade SUBMISSIONS=... OUT=$(OUT) first" >&2; exit 2; }
	cd $(OUT)/course && $(CURDIR)/$(VENV)/bin/jupyter lab --no-browser $(ROOT_FLAG)

# make export [OUT=grade-out] [FORMAT=csv|canvas|nbgrader] [DEST=file.csv] [EXPORT_OPTIONS="--canvas-gradebook ..."]
export: $(STAMP)
	$(PY) -m autograde export $(OUT) --format $(or $(FORMAT),csv) $(if $(DEST),--output $(DEST)) $(EXPORT_OPTIONS)

clean:
	rm -rf $(VENV) $(DEMO_OUT) release bench-out .pytest_cache
