"""Fixtures of the grading tests."""
import pytest
from submissions import checks_by_id

from autograde.checks.expected import load_all_expected
from autograde.grade import library_checks


@pytest.fixture(scope="session")
def expected_values():
    return load_all_expected()


@pytest.fixture
def grade_library(tmp_path, expected_values):
    """grade_library(student_dir, *check_ids, timeout=3) -> {check id: CheckResult}, plus the log as `.log`."""

    runs = []

    def run(student_dir, *check_ids, timeout=3.0, **options):
        runs.append(student_dir)
        results, log = library_checks.run_library_checks(
            student_dir, checks_by_id(*check_ids), expected_values, scratch_dir=tmp_path / f"scratch-{len(runs)}",
            timeout=timeout, **options)
        run.log = log
        return {result.id: result for result in results}

    return run
