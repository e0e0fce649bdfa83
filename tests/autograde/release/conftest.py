"""Fixtures of the release tests."""
import pytest

from release_fixtures import make_project


@pytest.fixture
def project(tmp_path):
    """A fresh miniature instructor project."""
    return make_project(tmp_path / "project")
