"""The isolation level: chosen once, recorded in every result, and demanded where AUTOGRADE_REQUIRE_ISOLATION=1."""
import pytest

from autograde.grade.sandbox import isolation, pids


@pytest.mark.parametrize("require", ["1", ""])
def test_required_follows_the_environment_variable(monkeypatch, require):
    monkeypatch.setenv(isolation.REQUIRE_VARIABLE, require)
    assert isolation.required() is bool(require)


def test_the_recorded_isolation_names_the_level_and_the_pids_cap():
    described = isolation.describe()
    assert described.split("+pids")[0] == isolation.level()
    assert described.startswith(("bwrap", "unshare-net", "rlimits"))
    assert described.endswith("+pids") == pids.available()
