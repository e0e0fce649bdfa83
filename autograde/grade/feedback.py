"""Feedback for students: `feedback/<student>/<Notebook>.html` pages, and the step that hides hidden tests' outcomes
in nbgrader's own feedback (made by `notebooks.feedback`).

Every text that a student controls (messages quote their values and errors) is escaped. A hidden check says which
behaviour failed (its case and hint), never its message, code or expected values. nbgrader's `generate_feedback`
runs with `ClearHiddenTests` and `HideHiddenTestOutcomes` (below), so its HTML shows neither the hidden tests'
code nor what they printed.
"""
import html
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from nbgrader import utils as nbgrader_utils
from traitlets import Bool

from autograde.grade.merge import pending_answers
from autograde.markers import has_hidden_tests

VERDICTS = {
    "pass": "passed",
    "fail": "failed",
    "error": "raised an error",
    "timeout": "ran out of time",
    "missing": "missing",
    "tampered": "flagged: the notebook and the trusted check disagree",
    "inherited": "passed with the reference version of a function it calls",
    "pending": "to be graded by hand",
}
HIDDEN_FAILURE_OUTPUT = ("This test cell failed. It includes hidden tests, whose code and values are not shown: "
                         "see the per-check feedback page for which behaviour failed.\n")

PAGE_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 0.4em; text-align: left; vertical-align: top; }
td.message { white-space: pre-wrap; font-family: monospace; font-size: 0.9em; }
.pass, .inherited { color: #1a7f37; } .fail, .error, .timeout, .missing { color: #b42318; }
.tampered { color: #9a6700; } .pending { color: #555; }
"""


def _hidden_description(check_id):
    """(case, hint) of a hidden check from the registry, or empty strings where the registry does not know it."""
    from autograde.checks import spec

    try:
        (check,) = spec.checks_for(check_id)
    except (KeyError, ValueError):
        return "", ""
    return check.case, check.hint


def student_message(check):
    """What the student reads about one check (a result dict): a hidden check's message is never shown."""
    if check["status"] == "pass":
        return "" if check.get("hidden") else check["message"]
    if not check.get("hidden"):
        return check["message"]
    case, hint = _hidden_description(check["id"])
    text = "A hidden check failed"
    if case:
        text += f" on: {case}"
    if hint:
        text += f". What to look at: {hint}"
    return text + "."


def _format_points(value):
    return f"{float(value):g}"


def _points_text(value):
    return f"{_format_points(value)} point{'' if float(value) == 1 else 's'}"


def _page(title, body):
    return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{PAGE_STYLE}</style></head><body>\n{body}\n</body></html>\n")


def notebook_page(student, notebook, checks):
    """The HTML page of one notebook for one student: each check's id, verdict, points and message."""
    points = sum(float(check["points"]) for check in checks)
    max_points = sum(float(check["max_points"]) for check in checks)
    rows = []
    for check in checks:
        status = check["status"]
        rows.append(
            f"<tr class='{html.escape(status)}'><td>{html.escape(check.get('label') or check['id'])}</td>"
            f"<td class='{html.escape(status)}'>{html.escape(VERDICTS.get(status, status))}"
            f"{' (hidden check)' if check.get('hidden') else ''}</td>"
            f"<td>{_format_points(check['points'])} / {_format_points(check['max_points'])}</td>"
            f"<td class='message'>{html.escape(student_message(check))}</td></tr>")
    body = (f"<h1>{html.escape(notebook)}: feedback for {html.escape(student)}</h1>\n"
            f"<p>Score: <strong>{_format_points(points)} / {_format_points(max_points)}</strong> points.</p>\n"
            "<table><tr><th>check</th><th>verdict</th><th>points</th><th>message</th></tr>\n"
            + "\n".join(rows) + "\n</table>")
    return _page(f"{notebook}: {student}", body)


def index_page(student, pages, pending):
    """The student's summary: points per notebook (linked to its page) and answers still to be graded by hand."""
    rows = "\n".join(
        f"<tr><td><a href='{html.escape(notebook)}.html'>{html.escape(notebook)}</a></td>"
        f"<td>{_format_points(points)} / {_format_points(max_points)}</td></tr>"
        for notebook, (points, max_points) in pages.items())
    body = (f"<h1>Feedback for {html.escape(student)}</h1>\n<table><tr><th>notebook</th><th>points</th></tr>\n"
            f"{rows}\n</table>")
    if pending:
        items = "".join(f"<li>{html.escape(item['notebook'])}: {html.escape(item['label'] or item['id'])} "
                        f"({_points_text(item['max_points'])})</li>"
                        for item in pending)
        body += f"\n<p>Answers still to be graded by hand:</p><ul>{items}</ul>"
    return _page(f"Feedback: {student}", body)


def write_student_feedback(folder, result, *, notebooks):
    """Write `folder/<Notebook>.html` for every notebook (those of `notebooks` first) and `folder/index.html`.

    result: a student result dict ({"student", "checks": [...]}); written answers with status `pending` are listed on
    the summary page as still to be graded by hand.
    Returns the paths written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    by_notebook = {notebook: [] for notebook in notebooks}
    for check in result["checks"]:
        by_notebook.setdefault(check["notebook"], []).append(check)
    written, totals = [], {}
    for notebook, checks in by_notebook.items():
        path = folder / f"{notebook}.html"
        path.write_text(notebook_page(result["student"], notebook, checks), encoding="utf-8")
        totals[notebook] = (sum(float(check["points"]) for check in checks),
                            sum(float(check["max_points"]) for check in checks))
        written.append(path)
    index = folder / "index.html"
    index.write_text(index_page(result["student"], totals, pending_answers(result["checks"])), encoding="utf-8")
    return written + [index]


class HideHiddenTestOutcomes(Preprocessor):
    """nbgrader feedback step: a failed test cell that holds hidden tests, or calls the checker (which runs the
    hidden checks at grading time), shows one neutral line instead of its outputs (tracebacks quote hidden code
    and values). Runs before nbgrader's ClearHiddenTests, which then removes the hidden code itself."""

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not nbgrader_utils.is_grade(cell) or nbgrader_utils.is_solution(cell):
            return cell, resources
        failed = any(output.output_type == "error"
                     or (output.output_type == "stream" and output.name == "stderr") for output in cell.outputs)
        if failed and (has_hidden_tests(cell.source) or "check(" in cell.source):
            cell.outputs = [new_output("error", ename="TestFailed", evalue=HIDDEN_FAILURE_OUTPUT.strip(),
                                       traceback=[HIDDEN_FAILURE_OUTPUT.strip()])]
        return cell, resources
