"""The environment files of each role list exactly what pyproject.toml asks for, with the same version specs, and
the interpreter running the tests (the grader's) satisfies every pin: a student's environment is the grader's."""
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from autograde.release.bundle import student_environment

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
SELF = PROJECT["name"]
# Conda names of PyPI distributions published under another name (or split in two) on conda-forge.
CONDA_NAMES = {"dask[distributed]": ["dask", "distributed"]}


def _name_and_spec(requirement):
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+(?:\[[^\]]+\])?)\s*(.*)$", requirement)
    return match.group(1).lower(), match.group(2).replace(" ", "")


def role_requirements(role):
    """{name: spec} that a role installs: students the runtime list; instructors and developers their extras too."""
    requirements = list(PROJECT["dependencies"])
    extras = {"student": [], "instructor": ["instructor"], "dev": ["instructor", "dev"]}[role]
    for extra in extras:
        requirements += [r for r in PROJECT["optional-dependencies"][extra] if not r.startswith(SELF)]
    listed = {}
    for name, spec in map(_name_and_spec, requirements):
        for conda_name in CONDA_NAMES.get(name, [name]):
            listed[conda_name] = spec
    return listed


def environment_file_requirements(path):
    """{name: spec} of an environment file's dependencies, conda and pip (python, pip and `-e .` left out)."""
    listed, section = {}, None
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].rstrip()
        if re.match(r"^\S", line):
            section = line.rstrip(":")
        item = re.match(r"^\s*-\s+(.*)$", line)
        if not item or section != "dependencies":
            continue
        value = item.group(1).strip().strip('"')
        if value in ("pip", "pip:", "-e .") or value.startswith("python"):
            continue
        name, spec = _name_and_spec(value)
        listed[name] = spec
    return listed


@pytest.mark.parametrize("role, path", [("instructor", "environment.yml"), ("dev", "environment-dev.yml")])
def test_each_roles_environment_file_lists_what_pyproject_asks_for(role, path):
    assert environment_file_requirements(REPO / path) == role_requirements(role)


def test_the_students_environment_is_the_runtime_list_and_the_notebook_front_end(tmp_path):
    (tmp_path / "environment.yml").write_text(student_environment(REPO / "pyproject.toml"))
    expected = role_requirements("student")
    expected["jupyterlab"] = role_requirements("instructor")["jupyterlab"]
    assert environment_file_requirements(tmp_path / "environment.yml") == expected


def _satisfies(installed, spec):
    """Whether version `installed` meets a spec made of `~=X.Y[.Z]`, `==X` or `>=X` clauses."""
    def parts(text):
        return [int(part) for part in re.findall(r"\d+", text.split("+")[0])[:3]]

    for clause in filter(None, spec.split(",")):
        operator, wanted = re.match(r"(~=|==|>=)(.*)", clause).groups()
        have, want = parts(installed), parts(wanted)
        if operator == "==" and have[:len(want)] != want:
            return False
        if operator == ">=" and have < want:
            return False
        if operator == "~=" and (have < want or have[:len(want) - 1] != want[:-1]):
            return False
    return True


@pytest.mark.parametrize("name, spec", sorted(role_requirements("dev").items()))
def test_the_grader_runs_the_pinned_versions(name, spec):
    distribution = "dask" if name == "distributed" else name.split("[")[0]
    installed = version(distribution if name != "distributed" else "distributed")
    assert _satisfies(installed, spec), f"{name} {installed} does not meet the pin {spec} in pyproject.toml"


def test_the_version_check_refuses_versions_outside_a_pin():
    assert _satisfies("2.4.6", "~=2.4.0") and not _satisfies("2.5.0", "~=2.4.0") and not _satisfies("1.26.4", "~=2.4.0")
    assert _satisfies("2.13.0+cpu", "==2.13.0") and not _satisfies("2.14.1", "==2.13.0")
    assert _satisfies("4.70.1", "~=4.70") and not _satisfies("5.0.0", "~=4.70")


def test_every_result_records_the_versions_the_students_code_ran_on_and_they_meet_the_pins():
    from autograde.grade.results import student_result

    versions = student_result("someone", [])["versions"]
    assert versions["numpy"] == version("numpy") and versions["nbgrader"] == version("nbgrader")
    pins = role_requirements("student")
    for name in ("numpy", "matplotlib", "scikit-learn", "ipykernel"):
        assert _satisfies(versions[name], pins[name]), (name, versions[name], pins[name])
