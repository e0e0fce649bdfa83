"""Fixtures for every test: isolation that a test needs is either there, or the test is skipped saying why; with
AUTOGRADE_REQUIRE_ISOLATION=1 (CI sets it) a missing isolation fails the test instead, so a green run proves the
isolation it claims."""
import pytest

from autograde.grade.sandbox import isolation, pids


def _require(available, what):
    if available:
        return
    if isolation.required():
        pytest.fail(f"{what} is not available here, and {isolation.REQUIRE_VARIABLE}=1 demands it")
    pytest.skip(f"{what} is not available here")


@pytest.fixture
def bwrap():
    """The test needs bubblewrap isolation."""
    _require(isolation.level().startswith("bwrap"), "bubblewrap isolation")


@pytest.fixture
def pids_cgroup():
    """The test needs a writable pids cgroup (root, cgroup v1 or v2)."""
    _require(pids.available(), "a writable pids cgroup")
