"""`report.html`: class statistics of one grading batch, with the plots embedded as PNG.

Number of students; mean, median, min and max total; a histogram of totals; the pass rate per check (table and
bar plot); the most common failures (check, count, most frequent message); averages per notebook; and a list of
the students with checks whose status needs the instructor (error, timeout, tampered, missing).
"""
import base64
import collections
import html
import io
import statistics
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend must be chosen before pyplot is imported)

ATTENTION_STATUSES = ("tampered", "error", "timeout", "missing")
TOP_FAILURES = 15
MESSAGE_CHARACTERS = 300

REPORT_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
td.number { text-align: right; } td.message { font-family: monospace; font-size: 0.85em; white-space: pre-wrap; }
.note { background: #fff4e5; border-left: 4px solid #9a6700; padding: 0.5em 1em; }
"""


def _totals(result):
    return (sum(float(check["points"]) for check in result["checks"]),
            sum(float(check["max_points"]) for check in result["checks"]))


def class_statistics(results):
    """{"students", "mean", "median", "min", "max", "max_points"} of the students' total points."""
    totals = [_totals(result)[0] for result in results]
    if not totals:
        return {"students": 0, "mean": 0.0, "median": 0.0, "min": 0.0, "max": 0.0, "max_points": 0.0}
    return {"students": len(totals), "mean": statistics.fmean(totals), "median": statistics.median(totals),
            "min": min(totals), "max": max(totals), "max_points": max(_totals(result)[1] for result in results)}


def pass_rates(results):
    """[(check id, passed, graded)] over the checks that carry points, in the order they first appear."""
    counts = {}
    for result in results:
        for check in result["checks"]:
            if float(check["max_points"]) <= 0:
                continue
            passed, graded = counts.get(check["id"], (0, 0))
            counts[check["id"]] = (passed + (check["status"] == "pass"), graded + 1)
    return [(check_id, passed, graded) for check_id, (passed, graded) in counts.items()]


def common_failures(results, limit=TOP_FAILURES):
    """[(check id, number of students, most frequent message)] of the checks that did not pass, most first."""
    messages = collections.defaultdict(collections.Counter)
    for result in results:
        for check in result["checks"]:
            if check["status"] != "pass":
                messages[check["id"]][check["message"]] += 1
    ranked = sorted(messages.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return [(check_id, sum(counter.values()), counter.most_common(1)[0][0]) for check_id, counter in ranked[:limit]]


def notebook_averages(results, notebooks=()):
    """[(notebook, mean points, max points)] in `notebooks` order, then any other notebook the checks name."""
    order = list(notebooks)
    sums = collections.defaultdict(lambda: [0.0, 0.0])
    for result in results:
        for check in result["checks"]:
            if check["notebook"] not in order:
                order.append(check["notebook"])
            sums[check["notebook"]][0] += float(check["points"])
    count = max(len(results), 1)
    maxima = {}
    for result in results:
        per_notebook = collections.Counter()
        for check in result["checks"]:
            per_notebook[check["notebook"]] += float(check["max_points"])
        for notebook, value in per_notebook.items():
            maxima[notebook] = max(maxima.get(notebook, 0.0), value)
    return [(notebook, sums[notebook][0] / count, maxima.get(notebook, 0.0)) for notebook in order]


def attention_list(results):
    """[(student, status, check id, message)] for every check whose status needs the instructor's attention."""
    rows = []
    for result in sorted(results, key=lambda result: result["student"]):
        for check in result["checks"]:
            if check["status"] in ATTENTION_STATUSES:
                rows.append((result["student"], check["status"], check["id"], check["message"]))
        if result.get("error"):
            rows.append((result["student"], "error", "(grader)", result["error"]))
    return rows


def _png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def histogram_png(totals, max_points):
    figure, axes = plt.subplots(figsize=(7, 3))
    axes.hist(totals, bins=min(20, max(5, len(totals))), range=(0, max(max_points, 1e-9)), color="#4c72b0")
    axes.set_xlabel("total points")
    axes.set_ylabel("students")
    axes.set_title("Score distribution")
    return _png(figure)


def pass_rate_png(rates):
    height = max(2.5, 0.22 * len(rates))
    figure, axes = plt.subplots(figsize=(8, height))
    labels = [check_id for check_id, _, _ in rates]
    values = [100.0 * passed / graded if graded else 0.0 for _, passed, graded in rates]
    axes.barh(range(len(values)), values, color="#55a868")
    axes.set_yticks(range(len(values)), labels, fontsize=7)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("students passing (%)")
    axes.set_title("Pass rate per check")
    return _png(figure)


def _trim(text):
    text = str(text)
    return text if len(text) <= MESSAGE_CHARACTERS else text[:MESSAGE_CHARACTERS] + " [...]"


def report_html(results, *, notebooks=()):
    """The report as one self-contained HTML page."""
    stats = class_statistics(results)
    rates = pass_rates(results)
    totals = [_totals(result)[0] for result in results]
    parts = ["<h1>Grading report</h1>",
             "<table><tr><th>students</th><th>mean</th><th>median</th><th>min</th><th>max</th>"
             "<th>out of</th></tr>"
             f"<tr><td class='number'>{stats['students']}</td><td class='number'>{stats['mean']:.2f}</td>"
             f"<td class='number'>{stats['median']:.2f}</td><td class='number'>{stats['min']:g}</td>"
             f"<td class='number'>{stats['max']:g}</td><td class='number'>{stats['max_points']:g}</td></tr>"
             "</table>"]
    attention = attention_list(results)
    if attention:
        students = sorted({row[0] for row in attention})
        parts.append(f"<div class='note'><strong>{len(students)} student(s) need a look</strong> "
                     f"(checks with status {', '.join(ATTENTION_STATUSES)}): "
                     f"{html.escape(', '.join(students))}. Details at the end of this page.</div>")
    if totals:
        parts.append(f"<h2>Score distribution</h2><img alt='histogram of total points' "
                     f"src='{histogram_png(totals, stats['max_points'])}'>")
    parts.append("<h2>Averages per notebook</h2><table><tr><th>notebook</th><th>mean points</th><th>max</th></tr>")
    parts += [f"<tr><td>{html.escape(notebook)}</td><td class='number'>{mean:.2f}</td>"
              f"<td class='number'>{maximum:g}</td></tr>" for notebook, mean, maximum in
              notebook_averages(results, notebooks)]
    parts.append("</table>")
    parts.append("<h2>Most common failures</h2><table><tr><th>check</th><th>students</th>"
                 "<th>most frequent message</th></tr>")
    parts += [f"<tr><td>{html.escape(check_id)}</td><td class='number'>{count}</td>"
              f"<td class='message'>{html.escape(_trim(message))}</td></tr>"
              for check_id, count, message in common_failures(results)]
    parts.append("</table>")
    if rates:
        parts.append(f"<h2>Pass rate per check</h2><img alt='pass rate per check' src='{pass_rate_png(rates)}'>")
        parts.append("<table><tr><th>check</th><th>passed</th><th>of</th><th>rate</th></tr>")
        parts += [f"<tr><td>{html.escape(check_id)}</td><td class='number'>{passed}</td>"
                  f"<td class='number'>{graded}</td><td class='number'>{100.0 * passed / graded:.0f}%</td></tr>"
                  for check_id, passed, graded in rates]
        parts.append("</table>")
    if attention:
        parts.append("<h2>Students who need a look</h2><table><tr><th>student</th><th>status</th><th>check</th>"
                     "<th>message</th></tr>")
        parts += [f"<tr><td>{html.escape(student)}</td><td>{html.escape(status)}</td><td>{html.escape(check_id)}"
                  f"</td><td class='message'>{html.escape(_trim(message))}</td></tr>"
                  for student, status, check_id, message in attention]
        parts.append("</table>")
    return ("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>Grading report</title>"
            f"<style>{REPORT_STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")


def write_report(path, results, *, notebooks=()):
    """Write `report.html` for the student result dicts `results`; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_html(results, notebooks=notebooks), encoding="utf-8")
    return path
