"""The leak scan: a clean release passes; every kind of planted leak is reported with its file and line."""
import json
import shutil
import sqlite3

import numpy as np
import pytest

from autograde.release.errors import LeakError
from autograde.release.scan import check_release, collect_secrets, scan_release
from autograde.release.strip import stub_tree
from release_fixtures import ANSWER_TEXT, HIDDEN_CHECK_ID, HIDDEN_TEST_LINE, NOTEBOOK_SOLUTION_LINE, PUBLIC_CHECK_ID


@pytest.fixture
def secrets(project):
    return collect_secrets(project, public_check_ids={PUBLIC_CHECK_ID}, hidden_check_ids={HIDDEN_CHECK_ID})


@pytest.fixture
def clean_release(project, tmp_path):
    """A release-shaped folder of the mini project without the nbgrader step: stubs, public checks, README."""
    release = tmp_path / "release"
    stub_tree(project / "course_lib", release / "course_lib")
    shutil.copytree(project / "autograde" / "checks" / "public", release / "autograde" / "checks" / "public")
    expected = release / "autograde" / "expected"
    expected.mkdir(parents=True)
    shutil.copyfile(project / "autograde" / "expected" / "public.npz", expected / "public.npz")
    (release / "README.md").write_text("Run `python -m autograde check`.\n")
    return release


def _findings(release, secrets):
    return [str(leak) for leak in scan_release(release, secrets=secrets)]


def test_clean_release_has_no_leaks(clean_release, secrets):
    assert _findings(clean_release, secrets) == []


def test_solution_line_is_found_whatever_its_indentation(clean_release, secrets):
    path = clean_release / "course_lib" / "extra.py"
    path.write_text('"""Extra."""\n\n\ndef g(x):\n  x *=   factors[:, None]  # (N, D) * (N, 1)\n')
    assert _findings(clean_release, secrets) == [
        "course_lib/extra.py:5: solution text from course_lib/layers.py:30: x *= factors[:, None] # (N, D) * (N, 1)"
    ]


def test_trivial_and_public_lines_of_a_region_are_not_reported(clean_release, secrets):
    (clean_release / "notes.py").write_text("return out, x\npass\n)\nreturn x\n")
    assert _findings(clean_release, secrets) == []


def test_markers_are_reported_with_their_line(clean_release, secrets):
    (clean_release / "README.md").write_text("intro\nsee ### END HIDDEN TESTS\n")
    assert _findings(clean_release, secrets) == ["README.md:2: marker '### END HIDDEN TESTS'"]


def test_notebook_solution_hidden_test_and_answer_are_reported_by_cell(clean_release, secrets):
    cells = [
        {"cell_type": "code", "source": [NOTEBOOK_SOLUTION_LINE], "metadata": {}, "outputs": [],
         "execution_count": None},
        {"cell_type": "markdown", "source": ["x\n", ANSWER_TEXT], "metadata": {}},
        {"cell_type": "code", "source": "", "metadata": {}, "execution_count": 1,
         "outputs": [{"output_type": "stream", "name": "stdout", "text": [HIDDEN_TEST_LINE + "\n"]}]},
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (clean_release / "Tiny.ipynb").write_text(json.dumps(notebook))
    findings = _findings(clean_release, secrets)
    assert [finding.split(": solution text")[0] for finding in findings] == [
        "Tiny.ipynb:cell 1 line 1", "Tiny.ipynb:cell 2 line 2", "Tiny.ipynb:cell 3 output",
    ]


def test_hidden_check_module_and_hidden_expected_values_are_reported(project, clean_release, secrets):
    hidden = clean_release / "autograde" / "checks" / "hidden"
    hidden.mkdir(parents=True)
    shutil.copyfile(project / "autograde" / "checks" / "hidden" / "layers.py", hidden / "layers.py")
    shutil.copyfile(project / "autograde" / "expected" / "hidden.npz", clean_release / "hidden.npz")
    findings = _findings(clean_release, secrets)
    assert "autograde/checks/hidden/layers.py: a hidden check module" in findings
    assert "autograde/checks/hidden/layers.py: a copy of the reference file autograde/checks/hidden/layers.py" \
        in findings
    assert any(finding.startswith("autograde/checks/hidden/layers.py:6: solution text from "
                                  "autograde/checks/hidden/layers.py:6") for finding in findings)
    assert "hidden.npz: hidden expected values (hidden.npz)" in findings


def test_hidden_key_in_public_expected_values_is_reported(clean_release, secrets):
    np.savez(clean_release / "autograde" / "expected" / "public.npz",
             **{f"{PUBLIC_CHECK_ID}/out": np.ones(5), f"{HIDDEN_CHECK_ID}/out": np.zeros(3),
                "layers.made_up.case/out": np.ones(2)})
    assert _findings(clean_release, secrets) == [
        f"autograde/expected/public.npz: expected value '{HIDDEN_CHECK_ID}/out' belongs to the hidden check "
        f"'{HIDDEN_CHECK_ID}'",
        "autograde/expected/public.npz: expected value 'layers.made_up.case/out' belongs to no public check",
    ]


def test_reference_library_under_another_name_is_reported(project, clean_release, secrets):
    shutil.copytree(project / "course_lib", clean_release / "vendor" / "mylib")
    findings = _findings(clean_release, secrets)
    assert "vendor/mylib/layers.py: a copy of the reference file course_lib/layers.py" in findings
    assert "vendor/mylib/models/linear.py: a copy of the reference file course_lib/models/linear.py" in findings
    assert any(finding.startswith("vendor/mylib/layers.py:16: marker") for finding in findings)


def test_gradebook_symlink_and_project_path_are_reported(project, clean_release, secrets):
    sqlite3.connect(clean_release / "gradebook.db").execute("create table t (x)").connection.commit()
    (clean_release / "link").symlink_to(project / "course_lib")
    (clean_release / "paths.txt").write_text(f"sys.path.insert(0, '{project}')\n")
    assert _findings(clean_release, secrets) == [
        "gradebook.db: a database (an nbgrader gradebook stores the hidden tests)",
        "link: a symbolic link (it may point into the instructor's project)",
        "paths.txt:1: a path into the instructor's project",
    ]


def test_check_release_raises_listing_every_leak(clean_release, secrets):
    (clean_release / "README.md").write_text("### BEGIN SOLUTION\n")
    with pytest.raises(LeakError) as raised:
        check_release(clean_release, secrets=secrets)
    assert [str(leak) for leak in raised.value.leaks] == ["README.md:1: marker '### BEGIN SOLUTION'"]
    assert "1 leak(s)" in str(raised.value)
