"""How nbgrader processes start: as `python -m` without the slow optional import, with the venv's scripts on PATH,
and failing with NbgraderError that carries nbgrader's own output."""
import os
import subprocess

import pytest

from autograde.nbgrader_adapter import config, process
from autograde.nbgrader_adapter.layout import CourseLayout


def run_probe(tmp_path, source, *arguments):
    (tmp_path / "probe_module.py").write_text(source)
    command = process.python_module_command("probe_module", *arguments)
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)


def test_runs_a_module_as_python_dash_m_with_its_arguments(tmp_path):
    completed = run_probe(tmp_path, "import sys\nprint(__name__, sys.argv[1:])\n", "a b", 3)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "__main__ ['a b', '3']"


def test_nbformat_validates_notebooks_without_the_skipped_module(tmp_path):
    source = (
        "import sys\n"
        "import nbformat\nimport nbformat.validator\n"
        "notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1 + 1')])\n"
        "nbformat.validate(notebook)\n"
        "try:\n"
        "    nbformat.validate({'nbformat': 4, 'nbformat_minor': 5, 'metadata': {}, 'cells': [], 'not_a_field': 1})\n"
        "except nbformat.validator.NotebookValidationError:\n"
        "    print('invalid notebook refused')\n"
        "print(sys.modules['rfc3987_syntax'] is None)\n"
    )
    completed = run_probe(tmp_path, source)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split("\n")[:2] == ["invalid notebook refused", "True"]


def test_exit_status_and_errors_pass_through(tmp_path):
    completed = run_probe(tmp_path, "import sys\nprint('failing', file=sys.stderr)\nsys.exit(3)\n")
    assert completed.returncode == 3
    assert "failing" in completed.stderr


def test_the_environment_puts_this_interpreters_scripts_first(monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin")
    environment = process.environment({"EXTRA": "1"})
    assert environment["PATH"].split(os.pathsep)[:2] == [process.scripts_dir(), "/usr/bin"]
    assert environment["EXTRA"] == "1"
    with process.scripts_on_path():
        assert os.environ["PATH"].split(os.pathsep)[0] == process.scripts_dir()
    assert os.environ["PATH"] == "/usr/bin"


def test_a_failing_nbgrader_command_raises_with_its_output(tmp_path):
    layout = CourseLayout(tmp_path / "course")
    config.write_course_config(layout)
    with pytest.raises(process.NbgraderError, match="no_such_assignment") as raised:
        process.run_nbgrader(["generate_assignment", "no_such_assignment"], layout=layout)
    assert f"failed in {layout.root}" in str(raised.value)
