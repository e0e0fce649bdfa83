"""The class report: statistics, a row per student with a link to their feedback, item analysis of the checks,
a one-row-per-student "needs a look" list, pending manual grading, integrity and similarity sections, one
self-contained page; and the class report written from a class record."""
import html.parser
import json
import re

import pytest

from autograde.grade import report, similarity
from autograde.grade.integrity import CODE, Signal
from autograde.grade.report import analysis, charts

NOTEBOOKS = ["FC", "Conv"]


def check(check_id, status, *, points=1.0, notebook="FC", message=""):
    return {"id": check_id, "task": check_id.rsplit(".", 1)[0], "notebook": notebook, "status": status,
            "points": points if status == "pass" else 0.0, "max_points": points, "hidden": False,
            "message": message if message or status == "pass" else f"{check_id} {status}", "duration": 0.01}


def student(name, statuses, *, pending=(), error=""):
    """A result whose checks `layers.f.c<index>` have `statuses`, plus one Conv check that always passes."""
    checks = [check(f"layers.f.c{index}", status) for index, status in enumerate(statuses)]
    checks.append(check("nb.Conv.filters", "pass", points=2.0, notebook="Conv"))
    return {"student": name, "checks": checks, "error": error, "isolation": "bwrap", "durations": {},
            "manual_pending": [{"id": answer, "notebook": "FC", "max_points": 2.0} for answer in pending]}


RESULTS = [
    student("ana", ["pass", "pass", "pass", "pass"]),
    student("ben", ["pass", "fail", "fail", "pass"], pending=["fc.depth.answer"]),
    student("cat", ["pass", "fail", "tampered", "error", "error", "error", "timeout"],
            pending=["fc.depth.answer", "fc.adagrad.answer"]),
    student("dan <b>", ["missing", "missing", "missing", "missing"]),
    student("eve", ["pass", "error", "fail", "fail"], pending=["fc.depth.answer"]),
]


class _Cells(html.parser.HTMLParser):
    """Text of each row of the table with id `table_id`: [[cell text, ...], ...] (header row first)."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table(text, table_id):
    parser = _Cells(table_id)
    parser.feed(text)
    return parser.rows


@pytest.fixture
def page(tmp_path):
    pair = similarity.SimilarPair("ben", "eve", 0.91, 0.91, 0.85, [similarity.FileOverlap(
        "course_lib/layers/conv.py", "course_lib/layers/conv.py", 0.91, 0.85, 300, 280, [[0, 5]], [[0, 5]])])
    integrity = {"eve": [Signal("network", "course_lib/optim.py:3", "imports socket: import socket", CODE)]}
    path = report.write_report(tmp_path / "out" / "report.html", RESULTS, notebooks=NOTEBOOKS, similarity=[pair],
                               integrity=integrity, generated="2026-11-29 10:00")
    return path.read_text()


def test_student_table_has_one_row_per_student_with_points_per_notebook_and_pending(page):
    rows = table(page, "students")
    assert rows[0] == ["student", "total", "max", "%", "FC", "Conv", "pending", "flags"]
    by_student = {row[0]: row for row in rows[1:]}
    assert sorted(by_student) == ["ana", "ben", "cat", "dan <b>", "eve"]
    assert by_student["cat"][1:7] == ["3", "9", "33%", "1", "2", "2"]
    assert by_student["cat"][7] == "tampered 1timeouts 1errors 3"
    assert by_student["eve"][7] == "errors 1integrity 1similar 1"


def test_each_student_links_to_their_feedback_relative_to_the_report(page):
    assert "<a href='feedback/cat/index.html'>cat</a>" in page
    assert "<a href='feedback/dan%20%3Cb%3E/index.html'>dan &lt;b&gt;</a>" in page


def test_needs_a_look_is_one_row_per_student_with_a_summary_of_reasons(page):
    section = page[page.index("id='look'"):page.index("id='students-section'")]
    rows = table("<table id='look'>" + section.split("<table>", 1)[1], "look")
    assert rows[1:] == [["cat", "3", "1 tampered check, 1 timeout, 3 errors"],
                        ["eve", "3", "1 integrity signal (network), similar to ben (0.91), 1 error"],
                        ["ben", "4", "similar to eve (0.91)"],
                        ["dan <b>", "2", "4 missing"]]


def test_errors_alone_do_not_put_a_student_on_the_look_list_but_handing_in_nothing_does():
    results = [student("fay", ["error", "error", "pass"]),
               {"student": "gus", "error": "", "checks": [check("layers.f.c0", "missing")]}]
    assert [(row.student, reasons) for row, reasons in analysis.needs_a_look(analysis.student_rows(results))] == [
        ("gus", "nothing found to grade")]


def test_item_analysis_sorts_by_pass_rate_and_measures_discrimination():
    # c0 separates: only the five strongest pass it; c1 is passed by the five weakest only; c2 by everyone.
    results = [student(f"s{rank:02d}", ["pass" if rank >= 5 else "fail", "pass" if rank < 5 else "fail", "pass"]
                       + ["pass"] * rank) for rank in range(10)]
    stats = {item.id: item for item in analysis.item_analysis(results)}
    assert stats["layers.f.c0"].discrimination == 1.0
    assert stats["layers.f.c1"].discrimination == -1.0
    assert stats["layers.f.c2"].discrimination == 0.0
    ordered = [item.id for item in analysis.item_analysis(results)]
    assert ordered.index("layers.f.c0") < ordered.index("layers.f.c2")
    assert [item.pass_rate for item in analysis.item_analysis(results)] == sorted(
        item.pass_rate for item in analysis.item_analysis(results))


def test_a_class_too_small_for_two_groups_has_no_discrimination():
    assert all(item.discrimination is None for item in analysis.item_analysis(RESULTS[:3]))


def test_checks_section_lists_the_hardest_first_with_their_most_frequent_message(page):
    section = page[page.index("id='checks'"):page.index("<details>", page.index("id='checks'"))]
    order = re.findall(r"<td class='check'><code>([^<]+)</code>", section)
    assert order == ["layers.f.c4", "layers.f.c5", "layers.f.c6", "layers.f.c1", "layers.f.c2", "layers.f.c3",
                     "layers.f.c0", "nb.Conv.filters"]
    assert "2x</span> layers.f.c1 fail" in section


def test_pending_manual_grading_says_how_many_answers_of_how_many_students(page):
    assert "<b>2 answer(s) of 3 student(s) still to grade by hand</b> (4 in all)" in page
    rows = table(page.replace("<table><thead><tr><th>answer</th>", "<table id='pending-table'><thead><tr><th>answer"
                                                                   "</th>"), "pending-table")
    assert rows[1:] == [["fc.depth.answer", "FC", "2", "3"], ["fc.adagrad.answer", "FC", "2", "1"]]


def test_integrity_and_similarity_sections_show_the_signals_and_link_the_side_by_side(page):
    integrity_section = page[page.index("id='integrity'"):page.index("id='similarity'")]
    assert "course_lib/optim.py:3" in integrity_section and "tampered" in integrity_section
    assert "<a href='similarity/ben--eve.html'>side by side</a>" in page


def test_student_text_is_escaped_and_the_page_loads_nothing_from_elsewhere(page):
    assert "dan <b>" not in page and "dan &lt;b&gt;" in page
    assert not re.search(r"""(src|href)=['"]?(https?:)?//""", page)
    assert "<link" not in page and "<script src" not in page


def test_class_statistics_and_histogram(page):
    rows = analysis.student_rows(RESULTS, NOTEBOOKS)
    summary = analysis.class_summary(rows, NOTEBOOKS)
    assert (summary["students"], summary["mean"], summary["median"], summary["max_points"]) == (5, 3.6, 3.0, 9.0)
    assert summary["notebook_means"] == {"FC": (1.6, 7.0), "Conv": (2.0, 2.0)}
    svg = charts.histogram_svg([row.total for row in rows], summary["max_points"], mean=3.6, median=3.0)
    bars = re.findall(r"<title>(\d+) student\(s\) with ([\d.]+) to ([\d.]+) points</title>", svg)
    assert sum(int(count) for count, _, _ in bars) == 5
    assert svg in page


def test_an_empty_class_gives_a_page_without_plots(tmp_path):
    text = report.write_report(tmp_path / "report.html", [], notebooks=NOTEBOOKS).read_text()
    assert "<svg" not in text and "Students (0)" in text and "Nothing left to grade by hand" in text


def test_write_class_report_reads_the_class_record(tmp_path):
    out = tmp_path / "out"
    (out / "results").mkdir(parents=True)
    for result in RESULTS[:3]:
        (out / "results" / f"{result['student']}.json").write_text(json.dumps(result))
    (out / "logs").mkdir()
    (out / "logs" / "ben.txt").write_text("PermissionError: [Errno 13] Permission denied: '/etc/shadow'\n")
    release = {"course_lib/optim.py": "def sgd(w, dw):\n    raise NotImplementedError('sgd')\n"}
    own = "def sgd(w, dw):\n" + "".join(f"    w = w - {index + 1}.5 * dw * (w + {index}) / (1.0 + w * w)\n"
                                        for index in range(8)) + "    return w, {'steps': 8}\n"
    other = "import socket\n\n\ndef sgd(w, dw):\n    return w - 0.01 * dw, None\n"
    for name, code in (("ana", own), ("ben", own), ("cat", other)):
        similarity.write_student_code(out / "code" / name, {"course_lib/optim.py": code})
    path = report.write_class_report(out, notebooks=NOTEBOOKS, boilerplate_files=release)
    text = path.read_text()
    assert "<a href='similarity/ana--ben.html'>side by side</a>" in text and "Similar code (1 pairs)" in text
    assert (out / "similarity" / "ana--ben.html").is_file()
    assert "Permission denied" in text and "imports socket" in text
