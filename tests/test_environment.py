"""environment.yml (conda, instructors) must list the same packages as pyproject.toml (pip)."""
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Conda names for PyPI distributions that are published under another name (or split in two) on conda-forge.
CONDA_NAMES = {"dask[distributed]": ["dask", "distributed"]}


def _name_and_spec(requirement):
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+(?:\[[^\]]+\])?)\s*(.*)$", requirement)
    return match.group(1).lower(), match.group(2).replace(" ", "")


def _pyproject_requirements():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    return dict(_name_and_spec(r) for r in requirements)


def _environment_requirements():
    conda, pip = {}, {}
    section = None
    for line in (REPO / "environment.yml").read_text().splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped.strip():
            continue
        if re.match(r"^\S", stripped):
            section = stripped.rstrip(":")
            continue
        item = re.match(r"^(\s*)-\s+(.*)$", stripped)
        if section != "dependencies" or not item:
            continue
        indent, value = len(item.group(1)), item.group(2).strip()
        if value in ("pip", "pip:") or value.startswith("python=") or value == "-e .":
            continue
        target = pip if indent > 2 else conda
        name, spec = _name_and_spec(value)
        target[name] = spec
    return conda, pip


def test_every_pyproject_dependency_is_in_environment_yml_with_the_same_version_spec():
    conda, pip = _environment_requirements()
    listed = {**conda, **pip}
    for name, spec in _pyproject_requirements().items():
        for conda_name in CONDA_NAMES.get(name, [name]):
            assert conda_name in listed, f"{conda_name} (from pyproject.toml) is missing from environment.yml"
            assert listed[conda_name] == spec, (
                f"{conda_name}: pyproject.toml asks for '{spec}', environment.yml for '{listed[conda_name]}'")


def test_environment_yml_lists_nothing_that_pyproject_lacks():
    conda, pip = _environment_requirements()
    known = {c for name in _pyproject_requirements() for c in CONDA_NAMES.get(name, [name])}
    extra = sorted((set(conda) | set(pip)) - known)
    assert not extra, f"environment.yml lists {extra}, which pyproject.toml does not: add them there or remove them"
