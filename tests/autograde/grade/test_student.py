"""One student's job on a worker: data in, data out; whose fault a failure is; nothing written to the class record."""
import json

import pytest
from library_submissions import HONEST_CHECK, TARGET_CHECK, make_submission

import grading_course
from autograde.grade import student
from autograde.grade.notebooks import course as grading_course_module
from autograde.grade.submissions import discover


def submission_of(folder):
    (found,) = [entry for entry in discover(folder.parent).submissions if entry.student == folder.name]
    return found


def library_job(folder, **job):
    return {"student": folder.name, "submission": submission_of(folder), "course": None, "course_cells": {},
            "manual": {}, "hidden": [], "options": {"timeout": 5, "only": [HONEST_CHECK, TARGET_CHECK]}, **job}


def test_selected_checks_by_task_or_check_id_and_unknown_names_refused():
    assert {check.id for check in student.selected_checks([HONEST_CHECK])} == {HONEST_CHECK}
    by_task = student.selected_checks(["layers.relu_forward"])
    assert TARGET_CHECK in {check.id for check in by_task} and {check.task for check in by_task} == {
        "layers.relu_forward"}
    assert any(check.hidden for check in by_task)
    with pytest.raises(KeyError, match="unknown task or check layers.relu_fwd; tasks are"):
        student.selected_checks(["layers.relu_fwd"])


def test_a_submission_that_cannot_be_unpacked_is_the_students_error_with_every_item_at_zero(tmp_path):
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    (submissions / "zoe.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    make_submission(submissions, "yan")
    (entry,) = [found for found in discover(submissions).submissions if found.student == "zoe"]
    course_cells = {"Fixture": {"nb-Fixture-answer": (2.0, "code", False),
                                "nb-Fixture-inline_question": (2.0, "markdown", True)}}
    result = student.grade_student({"student": "zoe", "submission": entry, "course": None,
                                    "course_cells": course_cells, "options": {"timeout": 5, "only": None}})
    assert result["error"].startswith("the submission could not be unpacked") and result["grader_error"] == ""
    assert {check["points"] for check in result["checks"]} == {0.0}
    assert sum(check["max_points"] for check in result["checks"]) == (
        sum(check.points for check in student.selected_checks()) + 4.0)


def test_a_failure_of_the_notebook_grading_is_the_graders_and_the_library_points_stand(tmp_path):
    folder = make_submission(tmp_path / "submissions", "amy")
    broken_course = grading_course_module.GradingCourse(root=tmp_path / "no-course", db_url="sqlite:///x.db",
                                                        notebooks=("Fixture",))
    result = student.grade_student(library_job(folder, course=broken_course.to_dict()))
    assert result["grader_error"].startswith("grading the notebooks failed:") and result["error"] == ""
    assert {check["id"]: (check["status"], check["points"]) for check in result["checks"]} == {
        HONEST_CHECK: ("pass", 1.0), TARGET_CHECK: ("pass", 1.0)}


def test_a_failed_result_of_the_grader_says_so_and_blames_no_student():
    result = student.failed_result("amy", "the grader failed on this submission: BrokenProcessPool", course_cells={},
                                   only=[HONEST_CHECK], grader_error=True)
    assert (result["error"], result["grader_error"]) == ("", "the grader failed on this submission: "
                                                             "BrokenProcessPool")
    assert [(check["id"], check["status"], check["points"]) for check in result["checks"]] == [
        (HONEST_CHECK, "error", 0.0)]


def _tree(folder):
    return {path.relative_to(folder).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in folder.rglob("*") if path.is_file()}


@pytest.mark.slow
def test_the_worker_returns_everything_as_data_and_writes_nothing_in_the_class_record(graded_class, tmp_path):
    out_dir, course, _ = graded_class
    before = _tree(out_dir)
    folder = grading_course.write_submission(tmp_path / "submissions", "erin", answer=41)
    result = grading_course.grade_student(submission_of(folder), course=course,
                                          course_cells=grading_course_module.course_cells(course),
                                          manual={"scores": {"Fixture": {"nb-Fixture-inline_question": 2.0}},
                                                  "comments": {}},
                                          hidden=(out_dir, tmp_path / "submissions"))
    assert _tree(out_dir) == before
    assert json.loads(json.dumps(result)) == result
    assert sorted(result["autograded"]) == sorted(result["nbgrader_feedback"]) == ["Fixture", "Second"]
    assert "answer is 41" in result["autograded"]["Fixture"]
    assert "Score: 2.0 / 2.0" in result["nbgrader_feedback"]["Fixture"]  # the hand grade sent with the job
    assert result["outcome"]["notebooks"]["Fixture"]["status"] == "graded"
    assert "course_lib/ops.py" in result["code"]
    assert str(out_dir) not in json.dumps({key: value for key, value in result.items() if key != "durations"})
