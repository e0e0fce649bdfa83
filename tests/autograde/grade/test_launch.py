"""autograde.grade.launch: subprocesses started without the slow optional import, otherwise as `python -m`."""
import subprocess

from autograde.grade import launch


def run_probe(tmp_path, source, *arguments):
    (tmp_path / "probe_module.py").write_text(source)
    command = launch.python_module_command("probe_module", *arguments)
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
