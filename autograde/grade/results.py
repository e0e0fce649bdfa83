"""A student's result: the dict one grading job returns, `results/<student>.json`, and the class's `grades.csv`.

A result travels between processes (local workers, Dask workers) as a plain JSON-able dict:

    student, versions (the grader's, see VERSIONED), checks [CheckResult.to_dict()], isolation, durations, log (the sandbox's output), error (why the
    submission could not be graded: the student's), grader_error (why the grader failed: never the student's),
    notes, worker (on a Dask cluster: the worker that graded it), and the data the class record keeps apart: outcome (the notebooks' nbgrader outcome), autograded
    ({notebook: JSON text}), nbgrader_feedback ({notebook: HTML}), code ({relative path: text}).
"""
import csv
import functools
import json
import math
import platform
from importlib import metadata
from pathlib import Path

# What a student's code ran on when it was graded, recorded in every result (the students' environment pins the same).
VERSIONED = ("numpy-nn-course", "numpy", "matplotlib", "scikit-learn", "ipykernel", "nbgrader")

# Bulky parts of a result that the class record keeps in files of their own, not in results/<student>.json.
SEPARATE_PARTS = ("log", "outcome", "autograded", "nbgrader_feedback", "code")


@functools.cache
def grader_versions():
    """{distribution: version} of the grader's Python and the packages a student's code runs on."""
    versions = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def student_result(student, checks, *, isolation="", durations=None, log="", error="", grader_error="",
                   outcome=None, autograded=None):
    """The JSON-able dict that one student's grading returns (see the module docstring)."""
    return {
        "student": student,
        "versions": grader_versions(),
        "checks": [check.to_dict() for check in checks],
        "isolation": isolation,
        "durations": dict(durations or {}),
        "log": log,
        "error": error,
        "grader_error": grader_error,
        "notes": [],
        "outcome": outcome,
        "autograded": dict(autograded or {}),
        "nbgrader_feedback": {},
        "code": {},
    }


def total_points(result):
    """(points, max_points) of a student result dict, rounded to 1e-6 so sums do not drift."""
    points = sum(check["points"] for check in result["checks"])
    max_points = sum(check["max_points"] for check in result["checks"])
    return round(points, 6), round(max_points, 6)


def pending_points(result):
    """Points of the written answers still to be graded by hand."""
    return round(sum(check["max_points"] for check in result["checks"] if check["status"] == "pending"), 6)


def write_student_json(out_dir, result):
    """Write `out_dir/results/<student>.json` (without the parts in SEPARATE_PARTS) and the sandbox output to
    `out_dir/logs/<student>.txt`; returns the JSON's path."""
    results_dir = Path(out_dir) / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    points, max_points = total_points(result)
    document = {key: value for key, value in result.items() if key not in SEPARATE_PARTS}
    document.update(points=points, max_points=max_points, pending_points=pending_points(result))
    path = results_dir / f"{result['student']}.json"
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    if result.get("log"):
        logs_dir = Path(out_dir) / "logs"
        logs_dir.mkdir(parents=True, exist_ok=True)
        (logs_dir / f"{result['student']}.txt").write_text(result["log"], encoding="utf-8", errors="replace")
    return path


def read_student_json(out_dir, student):
    """`out_dir/results/<student>.json`, or None when the student has none."""
    path = Path(out_dir) / "results" / f"{student}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def read_student_jsons(out_dir):
    """Every `out_dir/results/<student>.json`, sorted by student."""
    folder = Path(out_dir) / "results"
    if not folder.is_dir():
        return []
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]


def _format_points(value):
    value = round(value, 6)
    return str(int(value)) if math.isclose(value, round(value)) else f"{value:g}"


def write_grades_csv(out_dir, results, *, notebooks, roster=None):
    """Write `out_dir/grades.csv`: a row per student (sorted by id) with name and LMS id from `roster` ({student:
    entry with name, lms_id}), points per notebook (written answers included), the points of written answers still
    to grade by hand (`pending`), total and max."""
    path = Path(out_dir) / "grades.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    roster = roster or {}
    columns = list(notebooks) + sorted({check["notebook"] for result in results for check in result["checks"]}
                                       - set(notebooks))
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["student", "name", "lms_id", *columns, "pending", "total", "max"])
        for result in sorted(results, key=lambda result: result["student"]):
            per_notebook = {column: 0.0 for column in columns}
            for check in result["checks"]:
                per_notebook[check["notebook"]] += check["points"]
            points, max_points = total_points(result)
            entry = roster.get(result["student"]) or {}
            writer.writerow([result["student"], entry.get("name", ""), entry.get("lms_id", ""),
                             *(_format_points(per_notebook[column]) for column in columns),
                             _format_points(pending_points(result)), _format_points(points),
                             _format_points(max_points)])
    return path
