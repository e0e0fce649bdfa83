"""Fixtures of the grading tests: the trusted library checks on a submission, and the fixture class graded once."""
import pytest
from library_submissions import checks_by_id

import grading_course
from autograde.checks.expected import load_all_expected
from autograde.grade.library import run_library_checks


@pytest.fixture(scope="session")
def expected_values():
    return load_all_expected()


@pytest.fixture
def grade_library(tmp_path, expected_values):
    """grade_library(student_dir, *check_ids, timeout=3) -> {check id: CheckResult}, plus the log as `.log`."""

    runs = []

    def run(student_dir, *check_ids, timeout=3.0, **options):
        runs.append(student_dir)
        results, log = run_library_checks(student_dir, checks_by_id(*check_ids), expected_values,
                                          scratch_dir=tmp_path / f"scratch-{len(runs)}", timeout=timeout, **options)
        run.log = log
        return {result.id: result for result in results}

    return run


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    """The fixture class (grading_course.STUDENTS) graded once per session: (out_dir, course, {student: result})."""
    base = tmp_path_factory.mktemp("fixture-class")
    out_dir = base / "out"
    course, results = grading_course.grade_class(out_dir, base / "submissions", list(grading_course.STUDENTS))
    return out_dir, course, results
