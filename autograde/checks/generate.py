"""`python -m autograde expected [--check]`: compute the expected values of every check from the reference library.

Runs every probe against the repository's course_lib (imported with load.load_lib, so an installed copy cannot
stand in for it) and writes autograde/expected/public.npz and hidden.npz, keys '<check id>/<output name>', and
task_points.json, the public and hidden points of every task. With --check it writes nothing, recomputes, and
exits 1 listing every stored value that differs (the test suite runs the same comparison in
tests/autograde/checks/test_expected_values.py).
"""
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np

from autograde.checks import load, run, spec
from autograde.checks.expected import EXPECTED_DIR, EXPECTED_FILES, TASK_POINTS_FILE
from autograde.paths import COURSE_LIB_DIR

REFERENCE_LIB = COURSE_LIB_DIR


class ReferenceError(Exception):
    """The reference library failed a probe: its expected values cannot be computed."""


def compute_expected(lib=None, *, checks=None):
    """{False: public values, True: hidden values}, each {'<check id>/<output>': array}, computed by `lib`
    (default: the repository's reference course_lib)."""
    lib = load.load_lib(REFERENCE_LIB) if lib is None else lib
    checks = spec.all_checks(hidden=True) if checks is None else checks
    values = {False: {}, True: {}}
    for check in checks:
        try:
            outputs, notes = run.run_probe(check, lib)
        except Exception as error:
            raise ReferenceError(f"the reference failed {check.id}: {run.describe_error(check, error)}") from error
        if notes:
            raise ReferenceError(f"the reference raised numpy warnings in {check.id}: {'; '.join(notes)}")
        stored = outputs if check.stored is None else {name: outputs[name] for name in check.stored}
        ok, message = check.compare(outputs, stored, reveal=True)
        if not ok:
            raise ReferenceError(f"the reference fails its own check {check.id}: {message}")
        for name, value in stored.items():
            values[check.hidden][f"{check.id}/{name}"] = value
    return values


def task_points():
    """{task: {"public": points, "hidden": points}} of every registered check, in task order."""
    points = {task: {"public": 0, "hidden": 0} for task in spec.TASKS}
    for check in spec.all_checks(hidden=True):
        points[check.task]["hidden" if check.hidden else "public"] += check.points
    return points


def task_points_text():
    """task_points() as the text of task_points.json."""
    return json.dumps(task_points(), indent=2) + "\n"


def _write_npz(path, arrays):
    # np.savez_compressed stamps each member with the current time; fixed stamps make the files byte-identical
    # from run to run, so regenerating unchanged values leaves git clean.
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(arrays[key]), allow_pickle=False)
            member = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, buffer.getvalue())


def write_expected(values, directory=EXPECTED_DIR):
    """Write public.npz and hidden.npz (deflated .npy members, no pickles) and task_points.json into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for hidden, name in ((False, "public.npz"), (True, "hidden.npz")):
        _write_npz(directory / name, values[hidden])
    (directory / TASK_POINTS_FILE.name).write_text(task_points_text(), encoding="utf-8")


# Far below every check's tolerance (1e-6 float64, 1e-4 float32), far above rounding differences between CPUs.
STORED_RTOL = 1e-9
# Below this, a difference is roundoff whatever the array's own size. Some stored arrays are pure roundoff (the
# gradient of a bias that feeds batch normalization is zero in exact arithmetic; computed, it is ~1e-16 and differs
# from CPU to CPU), and the graded comparison measures them against an absolute floor too (compare.rel_error).
ROUNDOFF_FLOOR = 1e-12


def mismatches(values, directory=EXPECTED_DIR):
    """Lines describing every difference between `values` (and the task points) and the stored files."""
    problems = []
    points_path = directory / TASK_POINTS_FILE.name
    if not points_path.is_file() or points_path.read_text(encoding="utf-8") != task_points_text():
        problems.append(f"{points_path} does not hold the points of the registered checks")
    for hidden, name in ((False, "public.npz"), (True, "hidden.npz")):
        path = directory / name
        if not path.is_file():
            problems.append(f"{path} is missing")
            continue
        with np.load(path, allow_pickle=False) as archive:
            stored = {key: archive[key] for key in archive.files}
        for key in sorted(set(values[hidden]) - set(stored)):
            problems.append(f"{name}: {key} is not stored")
        for key in sorted(set(stored) - set(values[hidden])):
            problems.append(f"{name}: {key} is stored but no check produces it")
        for key in sorted(set(stored) & set(values[hidden])):
            now, then = values[hidden][key], stored[key]
            if now.shape != then.shape or now.dtype != then.dtype or not _same_values(now, then):
                problems.append(f"{name}: {key} differs (stored {then.dtype}{then.shape}, "
                                f"reference now {now.dtype}{now.shape})")
    return problems


def _same_values(now, then):
    """Equal up to the last bits of rounding: BLAS kernels for another CPU may sum in another order."""
    if now.dtype.kind != "f":
        return np.array_equal(now, then)
    finite = np.abs(then[np.isfinite(then)])
    scale = float(finite.max()) if finite.size else 0.0
    # Entries that are rounding noise around zero are measured against the array's largest entry, and an array of
    # roundoff alone against the absolute floor.
    return np.allclose(now, then, rtol=STORED_RTOL, atol=max(STORED_RTOL * scale, ROUNDOFF_FLOOR), equal_nan=True)


def add_arguments(parser):
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the stored values differ from what the reference computes")


def main(args):
    try:
        values = compute_expected()
    except ReferenceError as error:
        print(f"autograde expected: {error}", file=sys.stderr)
        return 1
    if args.check:
        problems = mismatches(values)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} stored expected values are out of date: run `python -m autograde expected`",
                  file=sys.stderr)
            return 1
        print(f"expected values up to date: {len(values[False])} public, {len(values[True])} hidden arrays")
        return 0
    write_expected(values)
    print(f"wrote {EXPECTED_FILES[False]} ({len(values[False])} arrays), {EXPECTED_FILES[True]} "
          f"({len(values[True])} arrays) and {TASK_POINTS_FILE}")
    return 0
