"""Grading by hand round-trips through the real formgrader: a class graded into a class record opens in
nbgrader's formgrader in Chromium; a score and a comment typed there reach grades.csv, the student's feedback page
and nbgrader's feedback once the record is refreshed (`grade --refresh`), without grading anyone again."""
import csv
import sys
from pathlib import Path

import pytest
from conftest import CHROMIUM_ARGS, running_jupyter_lab

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "autograde" / "grade"))
import grading_course  # noqa: E402 (the fixture class of the grading tests)

from autograde.grade.batch import refresh  # noqa: E402

COMMENT = "Name the quantity the answer depends on."


def wait_for_hand_grade(out, *, timeout):
    """(manual score, manual comment) of alice's inline question once formgrader saved both (or what is there)."""
    import time

    from nbgrader.api import Gradebook

    deadline = time.monotonic() + timeout
    while True:
        with Gradebook(f"sqlite:///{out / 'course' / 'gradebook.db'}") as book:
            grade = book.find_grade("nb-Fixture-inline_question", "Fixture", "assignment2", "alice")
            comment = book.find_comment("nb-Fixture-inline_question", "Fixture", "assignment2", "alice")
            found = (grade.manual_score, comment.manual_comment)
        if found == (1.5, COMMENT) or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


@pytest.mark.slow
@pytest.mark.browser
def test_a_score_and_a_comment_given_in_formgrader_reach_the_class_record(tmp_path, chromium_executable):
    from playwright.sync_api import sync_playwright

    out = tmp_path / "out"
    grading_course.grade_class(out, tmp_path / "submissions", ["alice"])
    before = {row["student"]: row for row in csv.DictReader((out / "grades.csv").open())}
    assert (before["alice"]["pending"], before["alice"]["total"]) == ("2", "7")

    with running_jupyter_lab(tmp_path, out / "course") as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_executable), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(server.url("/tree"))  # logs in with the token; formgrader's pages use the cookie
            page.goto(f"{server.base_url}/formgrader/gradebook/assignment2/Fixture")
            page.wait_for_selector("a[href*='/formgrader/submissions/']", timeout=60_000)
            # The fields are in the page before formgrader's scripts attach to them: wait until it has loaded the
            # submission's grades and comments.
            with page.expect_response(lambda response: "/formgrader/api/comments" in response.url, timeout=60_000):
                page.click("a[href*='/formgrader/submissions/']")
            page.wait_for_load_state("networkidle")
            score = page.wait_for_selector("input.score#nb-Fixture-inline_question", timeout=60_000)
            score.fill("1.5")
            score.press("Tab")
            comment = page.wait_for_selector("textarea.comment#nb-Fixture-inline_question-comment")
            comment.fill(COMMENT)
            comment.press("Tab")
            # formgrader saves each field as it loses focus; the gradebook is the truth.
            saved = wait_for_hand_grade(out, timeout=30)
        finally:
            browser.close()

    assert saved == (1.5, COMMENT)
    refresh(out, workers=1)
    after = {row["student"]: row for row in csv.DictReader((out / "grades.csv").open())}
    assert (after["alice"]["pending"], after["alice"]["total"]) == ("0", "8.5")
    page_html = (out / "feedback" / "alice" / "Fixture.html").read_text()
    assert "graded by hand: 1.5 of 2 points" in page_html and COMMENT in page_html
    nbgrader_page = (out / "course" / "feedback" / "alice" / "assignment2" / "Fixture.html").read_text()
    assert COMMENT in nbgrader_page
