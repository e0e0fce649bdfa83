"""The class report in Debian's Chromium: a click on a column header sorts the student table (numbers by value,
names alphabetically, a second click reverses), and the filter box and the "only flagged" box hide rows."""
import random

import pytest

from autograde.grade import report

STUDENTS = 12


def _results():
    """Twelve students in shuffled order whose totals (0 to 22, not in name order) make every sort visible."""
    rng = random.Random(3)
    names = [f"s{number:02d}" for number in range(STUDENTS)]
    totals = rng.sample(range(0, 23), STUDENTS)
    results = []
    for name, total in zip(rng.sample(names, STUDENTS), totals):
        checks = [{"id": f"layers.f.c{index}", "task": "layers.f", "notebook": "FC",
                   "status": "pass" if index < total else "fail", "points": 1.0 if index < total else 0.0,
                   "max_points": 1.0, "message": "", "hidden": False, "duration": 0.0} for index in range(22)]
        if name == "s05":
            checks[-1]["status"] = "tampered"
        results.append({"student": name, "checks": checks, "error": "", "manual_pending": []})
    return results


def _column(page, index):
    return page.eval_on_selector_all(
        "#students tbody tr:not([hidden])", f"rows => rows.map(row => row.cells[{index}].textContent.trim())")


@pytest.mark.slow
@pytest.mark.browser
def test_clicking_headers_sorts_the_student_table_and_the_filters_hide_rows(tmp_path, chromium_browser):
    results = _results()
    path = report.write_report(tmp_path / "report.html", results, notebooks=["FC"], generated="test")
    page = chromium_browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    totals = {result["student"]: sum(check["points"] for check in result["checks"]) for result in results}

    page.click("#students th:text-is('total')")
    ascending = [float(value) for value in _column(page, 1)]
    assert ascending == sorted(totals.values())
    assert page.get_attribute("#students th:text-is('total')", "aria-sort") == "ascending"

    page.click("#students th:text-is('total')")
    assert [float(value) for value in _column(page, 1)] == sorted(totals.values(), reverse=True)
    assert _column(page, 0) == sorted(totals, key=lambda name: -totals[name])

    page.click("#students th:text-is('student')")
    assert _column(page, 0) == sorted(totals)

    page.fill("#student-filter", "s07")
    assert _column(page, 0) == ["s07"]
    assert page.text_content("#students-shown") == "1"
    page.fill("#student-filter", "")
    page.check("#flagged-only")
    assert _column(page, 0) == ["s05"]
    assert errors == []
