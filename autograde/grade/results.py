"""Grading results: one `CheckResult` per graded check, `results/<student>.json` and `grades.csv`.

A student's result travels between processes (local workers, Dask workers) as a plain JSON-able dict:
`{"student", "checks": [CheckResult.to_dict(), ...], "isolation", "durations", "log", "error"}`.
"""
import csv
import json
import math
from pathlib import Path


def student_result(student, checks, *, isolation="", durations=None, log="", error=""):
    """The JSON-able dict that one student's grading returns (see the module docstring)."""
    return {
        "student": student,
        "checks": [check.to_dict() for check in checks],
        "isolation": isolation,
        "durations": dict(durations or {}),
        "log": log,
        "error": error,
    }


def total_points(result):
    """(points, max_points) of a student result dict, rounded to 1e-6 so sums do not drift."""
    points = sum(check["points"] for check in result["checks"])
    max_points = sum(check["max_points"] for check in result["checks"])
    return round(points, 6), round(max_points, 6)


def write_student_json(out_dir, result):
    """Write `out_dir/results/<student>.json` (and the sandbox output to `out_dir/logs/<student>.txt`)."""
    results_dir = Path(out_dir) / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    points, max_points = total_points(result)
    document = {key: value for key, value in result.items() if key != "log"}
    document["points"] = points
    document["max_points"] = max_points
    path = results_dir / f"{result['student']}.json"
    path.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    if result.get("log"):
        logs_dir = Path(out_dir) / "logs"
        logs_dir.mkdir(parents=True, exist_ok=True)
        (logs_dir / f"{result['student']}.txt").write_text(result["log"], encoding="utf-8", errors="replace")
    return path


def notebook_columns(results):
    """Notebook names in the order their checks first appear (the registry's order), over all students."""
    columns = []
    for result in results:
        for check in result["checks"]:
            if check["notebook"] not in columns:
                columns.append(check["notebook"])
    return columns


def _format_points(value):
    value = round(value, 6)
    return str(int(value)) if math.isclose(value, round(value)) else f"{value:g}"


def write_grades_csv(out_dir, results):
    """Write `out_dir/grades.csv`: a row per student (sorted by id) with points per notebook, total and max."""
    columns = notebook_columns(results)
    path = Path(out_dir) / "grades.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["student", *columns, "total", "max"])
        for result in sorted(results, key=lambda result: result["student"]):
            per_notebook = {column: 0.0 for column in columns}
            for check in result["checks"]:
                per_notebook[check["notebook"]] += check["points"]
            points, max_points = total_points(result)
            writer.writerow([result["student"], *(_format_points(per_notebook[column]) for column in columns),
                             _format_points(points), _format_points(max_points)])
    return path
