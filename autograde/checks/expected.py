"""The stored expected values: `autograde/expected/public.npz` and (instructor side) `hidden.npz`, and the points
of every task: `autograde/expected/task_points.json`.

Keys are `<check id>/<output name>`; the files are written by `python -m autograde expected` from the reference.
The points file ships to students (whose copy has no hidden checks) so that `check` can say how many points the
hidden checks of a task add at grading time.
"""
import json
from pathlib import Path

import numpy as np

EXPECTED_DIR = Path(__file__).resolve().parent.parent / "expected"
EXPECTED_FILES = {False: EXPECTED_DIR / "public.npz", True: EXPECTED_DIR / "hidden.npz"}
TASK_POINTS_FILE = EXPECTED_DIR / "task_points.json"

_cache = {}


def load_expected(*, hidden=False):
    """{check id: {output name: array}} from public.npz or hidden.npz, read once per file version."""
    path = EXPECTED_FILES[bool(hidden)]
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `python -m autograde expected` to generate it")
    stamp = (path, path.stat().st_mtime_ns)
    if stamp not in _cache:
        values = {}
        with np.load(path, allow_pickle=False) as archive:
            for key in archive.files:
                check_id, _, name = key.rpartition("/")
                values.setdefault(check_id, {})[name] = archive[key]
        _cache[stamp] = values
    return _cache[stamp]


def hidden_values_present():
    """True where the hidden expected values exist (the instructor's side)."""
    return EXPECTED_FILES[True].is_file()


def load_all_expected():
    """The public values, plus the hidden ones where they are present: {check id: {output name: array}}."""
    values = dict(load_expected(hidden=False))
    if hidden_values_present():
        values.update(load_expected(hidden=True))
    return values


def load_task_points():
    """{task: {"public": points, "hidden": points}} for every graded task, from task_points.json."""
    if not TASK_POINTS_FILE.is_file():
        raise FileNotFoundError(f"{TASK_POINTS_FILE} is missing: run `python -m autograde expected` to generate it")
    return json.loads(TASK_POINTS_FILE.read_text(encoding="utf-8"))
