"""The class record: the head writes what the workers return; the gradebook holds the trusted points and keeps the
grades given by hand across re-grades; grades.csv and the pages always cover the whole class."""
import json
import shutil

import pytest
from nbgrader.api import Gradebook

import grading_course
from autograde.grade import record
from autograde.grade.notebooks import course as grading_course_module
from autograde.nbgrader_adapter.layout import ASSIGNMENT

HEADER = "student,name,lms_id,Fixture,Second,pending,total,max"


def gradebook_rows(db_url, students):
    """{(student, notebook, grade_id): (auto_score, manual_score, needs_manual_grade)} of a gradebook."""
    rows = {}
    with Gradebook(db_url) as book:
        for student in students:
            for notebook in book.find_submission(ASSIGNMENT, student).notebooks:
                for grade in notebook.grades:
                    rows[(student, notebook.name, grade.name)] = (grade.auto_score, grade.manual_score,
                                                                   grade.needs_manual_grade)
    return rows


@pytest.mark.slow
def test_gradebook_holds_the_trusted_library_points_and_matches_the_results(graded_class):
    _, course, results = graded_class
    rows = gradebook_rows(course.db_url, results)
    assert rows[("carol", "Fixture", "ops-double")][0] == 0.0  # neither her claimed public point nor her 10 points
    assert rows[("bob", "Fixture", "ops-double")][0] == 1.0
    assert rows[("alice", "Fixture", "nb-Fixture-inline_question")] == (None, None, True)
    assert rows[("dave", "Fixture", "nb-Fixture-inline_question")] == (0.0, None, False)
    with Gradebook(course.db_url) as book:
        totals = {student: book.find_submission(ASSIGNMENT, student).score for student in results}
    assert totals == {student: sum(check["points"] for check in result["checks"])
                      for student, result in results.items()}


@pytest.mark.slow
def test_grades_csv_has_a_row_per_student_with_notebook_columns_the_pending_points_and_one_maximum(graded_class):
    out_dir, _, _ = graded_class
    assert (out_dir / "grades.csv").read_text().splitlines() == [
        HEADER, "alice,,,6,1,2,7,9", "bob,,,2,1,2,3,9", "carol,,,1,1,2,2,9", "dave,,,3,0,0,3,9"]


@pytest.mark.slow
def test_the_record_keeps_the_bulky_parts_in_their_own_files(graded_class):
    out_dir, course, _ = graded_class
    saved = json.loads((out_dir / "results" / "bob.json").read_text())
    assert not {"outcome", "autograded", "nbgrader_feedback", "log", "code"} & set(saved)
    assert (saved["points"], saved["max_points"], saved["pending_points"]) == (3.0, 9.0, 2.0)
    assert [check["id"] for check in saved["auto_checks"]] == [check["id"] for check in saved["checks"]]
    assert sorted(path.name for path in course.layout.autograded_dir("bob").iterdir()) == ["Fixture.ipynb",
                                                                                         "Second.ipynb"]
    assert sorted(path.name for path in (out_dir / "feedback" / "bob").iterdir()) == ["Fixture.html", "Second.html",
                                                                                     "index.html"]


@pytest.mark.slow
def test_regrading_keeps_hand_grades_never_flags_them_again_and_keeps_the_rest_of_the_class(graded_class, tmp_path):
    out_dir, _, _ = graded_class
    copy = tmp_path / "out"
    shutil.copytree(out_dir, copy)
    course = grading_course.prepare_course(copy / "course")
    skeleton = course.skeleton_db.stat().st_mtime_ns
    with Gradebook(course.db_url) as book:
        book.find_grade("nb-Fixture-inline_question", "Fixture", ASSIGNMENT, "alice").manual_score = 1.5
        book.find_comment("nb-Fixture-inline_question", "Fixture", ASSIGNMENT, "alice").manual_comment = "brief"
        book.db.commit()
    rows_before = (copy / "grades.csv").read_text().splitlines()
    submissions = out_dir.parent / "submissions"
    _, results = grading_course.grade_class(copy, submissions, ["alice"])
    answer = next(check for check in results["alice"]["checks"] if check["id"] == "nb.Fixture.inline_question")
    assert (answer["points"], answer["status"]) == (1.5, "fail")
    assert answer["message"] == "graded by hand: 1.5 of 2 points\nGrader's comment: brief"
    assert gradebook_rows(course.db_url, ["alice"])[("alice", "Fixture", "nb-Fixture-inline_question")] == (
        None, 1.5, False)
    assert course.skeleton_db.stat().st_mtime_ns == skeleton
    rows = (copy / "grades.csv").read_text().splitlines()
    assert rows == [HEADER, "alice,,,7.5,1,0,8.5,9", *rows_before[2:]]
    assert sorted(results) == ["alice", "bob", "carol", "dave"]
    assert "Grader&#x27;s comment: brief" in (copy / "feedback" / "alice" / "Fixture.html").read_text()
    assert "Answers still to be graded by hand" not in (copy / "feedback" / "alice" / "index.html").read_text()


@pytest.mark.slow
def test_scores_reach_the_gradebook_only_at_a_flush_in_one_transaction(graded_class, tmp_path):
    out_dir, course, results = graded_class
    fresh = grading_course.prepare_course(tmp_path / "out" / "course")
    course_cells = grading_course_module.course_cells(fresh)
    class_record = record.ClassRecord(tmp_path / "out", fresh, course_cells)
    for student in ("alice", "bob"):
        class_record.add({**results[student], "checks": results[student]["auto_checks"],
                          "outcome": _outcome_of(results[student])})
    with Gradebook(fresh.db_url) as book:
        assert book.find_assignment(ASSIGNMENT).submissions == []
    class_record.flush()
    assert gradebook_rows(fresh.db_url, ["alice", "bob"]) == gradebook_rows(course.db_url, ["alice", "bob"])


def _outcome_of(result):
    """The notebook outcome of a recorded student as far as the gradebook needs it (nbgrader's answer scores)."""
    answers = {"alice": None, "bob": None}
    return {"notebooks": {"Fixture": {"status": "graded", "comments": {}, "cells": {
        "nb-Fixture-inline_question": {"auto_score": answers[result["student"]]}}},
        "Second": {"status": "graded", "comments": {}, "cells": {}}}}


def test_a_second_run_on_the_same_record_is_refused_at_once(tmp_path):
    with record.locked(tmp_path / "out"):
        with pytest.raises(record.RecordBusyError, match="being graded by another `grade` run"):
            with record.locked(tmp_path / "out"):
                pass
    with record.locked(tmp_path / "out"):
        pass


def _check(check_id, status, points, max_points=1.0, notebook="Fixture"):
    return {"id": check_id, "task": check_id.rsplit(".", 1)[0], "notebook": notebook, "max_points": max_points,
            "status": status, "message": "", "points": points, "hidden": False, "duration": 0.0, "label": ""}


def test_a_partial_regrade_replaces_only_its_checks_and_keeps_the_students_maximum(tmp_path):
    class_record = record.ClassRecord(tmp_path, None, {})
    earlier = {"student": "amy", "checks": [_check("ops.double.public", "fail", 0.0),
                                            _check("ops.half.public", "pass", 1.0),
                                            _check("nb.Fixture.answer", "pass", 2.0, 2.0)], "outcome": None}
    class_record.add(earlier)
    only = {"student": "amy", "checks": [_check("ops.double.public", "pass", 1.0)], "outcome": None}
    class_record.add(only, partial=True)
    saved = json.loads((tmp_path / "results" / "amy.json").read_text())
    assert [(check["id"], check["status"]) for check in saved["auto_checks"]] == [
        ("ops.double.public", "pass"), ("ops.half.public", "pass"), ("nb.Fixture.answer", "pass")]
    assert (saved["points"], saved["max_points"]) == (4.0, 4.0)


def test_a_full_regrade_replaces_the_whole_result(tmp_path):
    class_record = record.ClassRecord(tmp_path, None, {})
    class_record.add({"student": "amy", "checks": [_check("ops.half.public", "pass", 1.0)], "outcome": None})
    class_record.add({"student": "amy", "checks": [_check("ops.double.public", "fail", 0.0)], "outcome": None})
    saved = json.loads((tmp_path / "results" / "amy.json").read_text())
    assert [check["id"] for check in saved["checks"]] == ["ops.double.public"]
