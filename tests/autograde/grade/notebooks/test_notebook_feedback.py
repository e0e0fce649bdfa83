"""nbgrader's own feedback, made on the worker and returned as data: the trusted scores, the grades given by hand,
and never the hidden tests' code or what they printed."""
import shutil

import pytest

import grading_course
from autograde.grade import merge
from autograde.grade.notebooks import course as grading_course_module
from autograde.grade.notebooks import feedback as notebook_feedback
from autograde.nbgrader_adapter import process

SECRETS = (grading_course.HIDDEN_EXPECTED_TEXT, "hidden=True", "BEGIN HIDDEN TESTS", "checks.hidden")


def nbgrader_page(out_dir, student, notebook):
    return (out_dir / "course" / "feedback" / student / "assignment2" / f"{notebook}.html").read_text()


@pytest.mark.slow
def test_nbgrader_feedback_shows_the_trusted_score_but_no_hidden_test_code_or_values(graded_class):
    out_dir, _, _ = graded_class
    page = nbgrader_page(out_dir, "bob", "Fixture")
    for secret in SECRETS:
        assert secret not in page
    assert "Score: 1.0 / 3.0" in page  # ops-double: the trusted public point, the hidden check's 2 lost
    assert "answer is 41; expected the answer to everything" in page


@pytest.mark.slow
def test_a_failed_test_cell_with_hidden_tests_shows_one_neutral_line_instead_of_its_output(graded_class):
    out_dir, _, _ = graded_class
    page = nbgrader_page(out_dir, "dave", "Fixture")
    assert "This test cell failed. It includes hidden tests" in page
    assert "ops.double.public: got" not in page
    for secret in SECRETS:
        assert secret not in page


@pytest.mark.slow
def test_every_graded_notebook_has_its_page_and_a_missing_one_has_none(graded_class):
    _, course, results = graded_class
    pages = {student: sorted(path.name for path in course.layout.feedback_dir(student).iterdir())
             for student in results}
    assert pages == {"alice": ["Fixture.html", "Second.html"], "bob": ["Fixture.html", "Second.html"],
                     "carol": ["Fixture.html", "Second.html"], "dave": ["Fixture.html"]}


def _pages_for(graded_class, tmp_path, student, manual_scores):
    out_dir, course, results = graded_class
    course_cells = grading_course_module.course_cells(course)
    autograded = {path.stem: path.read_text() for path in
                  sorted((out_dir / "course" / "autograded" / student / "assignment2").glob("*.ipynb"))}
    scores = merge.apply_manual_grades(results[student]["auto_checks"], manual_scores, {}, course_cells)
    outcome = {"notebooks": {notebook: {"status": "graded", "cells": {}, "comments": {}} for notebook in autograded}}
    cell_scores, comments = merge.gradebook_scores(scores, course_cells, outcome)
    return notebook_feedback.nbgrader_feedback(course, student, autograded=autograded, cell_scores=cell_scores,
                                               comments=comments, manual_scores=manual_scores, manual_comments={},
                                               scratch_dir=tmp_path)


@pytest.mark.slow
def test_feedback_made_in_a_separate_process_for_huge_notebooks_is_the_same_with_the_hand_grades(
        graded_class, tmp_path, monkeypatch):
    manual = {"Fixture": {"nb-Fixture-inline_question": 1.5}}
    here = _pages_for(graded_class, tmp_path / "here", "alice", manual)
    monkeypatch.setattr(notebook_feedback, "IN_PROCESS_MAX_BYTES", 1)
    separate = _pages_for(graded_class, tmp_path / "separate", "alice", manual)
    assert sorted(here) == sorted(separate) == ["Fixture", "Second"]
    for pages in (here, separate):
        assert "Score: 1.5 / 2.0" in pages["Fixture"]  # the written answer, graded by hand
        assert "Score: 7.5 / 8.0" in pages["Fixture"]
    assert not list(tmp_path.rglob("gradebook.db"))  # the worker's feedback course is gone


@pytest.mark.slow
def test_nbgrader_feedback_split_over_two_processes_covers_every_student_once(graded_class, tmp_path):
    out_dir, course, results = graded_class
    copy = tmp_path / "course"
    shutil.copytree(out_dir / "course", copy, ignore=shutil.ignore_patterns("feedback"))
    layout = type(course.layout)(copy)
    process.generate_feedback(layout, sorted(results), workers=2)
    written = {path.parent.parent.name for path in (copy / "feedback").glob("*/assignment2/*.html")}
    assert written == set(layout.autograded_students()) == set(results)
