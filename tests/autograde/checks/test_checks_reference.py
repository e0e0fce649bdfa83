"""The reference library passes every public and hidden check through the comparison the grader uses."""
from pathlib import Path

import pytest

from autograde.check.runner import run_checks
from autograde.checks import load, spec

REFERENCE = Path(__file__).resolve().parents[3] / "course_lib"


@pytest.fixture(scope="module")
def reference_results():
    return run_checks(spec.all_checks(hidden=True), load.load_lib(REFERENCE))


def test_reference_passes_every_public_and_hidden_check(reference_results):
    failures = [f"{result.id}: {result.message}" for result in reference_results if not result.passed]
    assert failures == []


def test_reference_earns_every_point(reference_results):
    assert sum(result.points for result in reference_results) == sum(
        check.points for check in spec.all_checks(hidden=True))


@pytest.mark.parametrize("notebook", spec.NOTEBOOKS)
def test_every_notebook_has_public_and_hidden_checks_worth_15_to_45_points(notebook):
    checks = [check for check in spec.all_checks(hidden=True) if check.notebook == notebook]
    assert any(check.hidden for check in checks) and any(not check.hidden for check in checks)
    assert 15 <= sum(check.points for check in checks) <= 45


def test_every_task_has_a_public_and_a_hidden_check():
    for task in spec.tasks():
        checks = spec.checks_for(task, hidden=True)
        assert {check.hidden for check in checks} == {False, True}, task
