"""What of the instructor's project ships to students, besides the stub library and the notebooks.

- the student subset of `autograde/` (architecture.md, "Release"): the package entry points, the `check` verb, the
  registry (`checks/spec.py`), the public checks and their expected values; never the hidden checks, their
  expected values, the expected-value generator or the instructor verbs;
- `environment.yml` with the course's runtime dependencies only;
- `datasets/get_datasets.py`;
- a short `README.md` for students.
"""
import ast
import tomllib
from pathlib import Path

from autograde.release.errors import ReleaseError
from autograde.release.strip import is_ignored

# Paths relative to the project root. A folder ships whole (minus caches).
STUDENT_AUTOGRADE_PATHS = (
    "autograde/__init__.py",
    "autograde/__main__.py",
    "autograde/check",
    "autograde/checks/__init__.py",
    "autograde/checks/spec.py",
    "autograde/checks/compare.py",
    "autograde/checks/load.py",
    "autograde/checks/run.py",
    "autograde/checks/expected.py",
    "autograde/checks/result.py",
    "autograde/checks/public",
    "autograde/expected/public.npz",
    "autograde/expected/task_points.json",
)
DATASET_HELPER = "datasets/get_datasets.py"
# Front end the students need to open the notebooks; taken with its version from the `instructor` extra.
STUDENT_TOOLS = ("jupyterlab",)
ENVIRONMENT_NAME = "numpy-nn-course"

STUDENT_README = """\
# Assignment 2: neural networks in numpy

This folder is your copy of the assignment:

- `FullyConnectedNets.ipynb`, `BatchNormalization.ipynb`, `Dropout.ipynb`, `ConvolutionalNetworks.ipynb`:
  the notebooks, to work through in this order;
- `course_lib/`: the library you complete; the notebooks import it from this folder;
- `autograde/`: the public checks, which you can run as often as you like;
- `datasets/get_datasets.py`: downloads CIFAR-10 (optional: without it the notebooks use a small dataset that
  scikit-learn ships);
- `environment.yml`: the packages you need.

## Set up

    conda env create -f environment.yml
    conda activate {environment}

(or, without conda, `python -m pip install` the packages listed under `pip:` in `environment.yml`). Install
nothing else into this environment: in particular not the instructor's course project, whose `course_lib`
would take the place of yours.

## Work

Start Jupyter from this folder, so that `import course_lib` finds your copy:

    jupyter lab

Every function you write raises, until you fill it in, an error that names it and repeats its instructions:

    NotImplementedError: layers.relu_forward: Implement the ReLU forward pass.

`layers.relu_forward` is the task's id: find the function in `course_lib/` (the `# TODO [layers.relu_forward]:`
comment just above the `raise` says what to do), replace the `raise` line with your code, then restart the notebook's kernel and run the cells again (a running kernel keeps
the version of `course_lib` it imported first).

## Check your work

From this folder:

    python -m autograde check                         # every public check
    python -m autograde check layers.affine_forward   # the checks of one task

Each check prints PASS or FAIL with what was computed, what was expected and what to look at. In a notebook,
the check cells do the same and fail with an AssertionError that carries these messages. Your grade also uses
hidden checks (other shapes, edge cases), so code that passes only the public cases may still lose points.

## Hand in

Hand in this whole folder (the notebooks and `course_lib/`), as your instructor tells you.
"""


def _copy_entry(root, relative, files):
    source = root / relative
    if source.is_file():
        files[relative] = source.read_bytes()
        return
    if not source.is_dir():
        raise ReleaseError(f"{source} is missing; the student release needs it (see docs/architecture.md)")
    for path in sorted(source.rglob("*")):
        path_relative = path.relative_to(root)
        if path.is_file() and not is_ignored(path_relative):
            files[path_relative.as_posix()] = path.read_bytes()


def _imports_hidden(source):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""] + [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        if any("hidden" in name.split(".") for name in names):
            return True
    return False


def student_autograde_files(root):
    """{path relative to the release root: bytes} of the student subset of `autograde/` in the project at `root`.

    Refuses a shipped module that imports the hidden checks, since the students' copy would then fail to import.
    """
    root = Path(root)
    files = {}
    for relative in STUDENT_AUTOGRADE_PATHS:
        _copy_entry(root, relative, files)
    for relative, content in files.items():
        if relative.endswith(".py") and _imports_hidden(content.decode("utf-8")):
            raise ReleaseError(
                f"{root / relative} imports the hidden checks, which never ship; load them lazily "
                "(spec.all_checks does) so that the student copy imports without them"
            )
    return files


def _dependency_name(requirement):
    for separator in "<>=!~[; ":
        requirement = requirement.split(separator, 1)[0]
    return requirement.strip().lower()


def student_environment(pyproject_path):
    """The text of the students' environment.yml: python, pip, and the project's runtime dependencies.

    The runtime dependencies are pyproject.toml's [project].dependencies, plus the notebook front end
    (STUDENT_TOOLS, with the version the `instructor` extra asks for); none of the instructor's tooling.
    """
    with open(pyproject_path, "rb") as handle:
        project = tomllib.load(handle)["project"]
    requirements = list(project.get("dependencies", []))
    instructor = project.get("optional-dependencies", {}).get("instructor", [])
    for tool in STUDENT_TOOLS:
        matching = [requirement for requirement in instructor if _dependency_name(requirement) == tool]
        requirements.append(matching[0] if matching else tool)
    python = project.get("requires-python", "").replace(" ", "")
    lines = [
        f"name: {ENVIRONMENT_NAME}",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python{python}",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - \"{requirement}\"" for requirement in requirements]
    return "\n".join(lines) + "\n"


def student_files(root):
    """{path relative to the release root: bytes} of everything the release ships besides course_lib/ and the
    notebooks: the student autograde subset, environment.yml, the dataset helper and README.md."""
    root = Path(root)
    files = student_autograde_files(root)
    files["environment.yml"] = student_environment(root / "pyproject.toml").encode("utf-8")
    helper = root / DATASET_HELPER
    if not helper.is_file():
        raise ReleaseError(f"{helper} is missing; the student release ships the dataset helper")
    files[DATASET_HELPER] = helper.read_bytes()
    files["README.md"] = STUDENT_README.format(environment=ENVIRONMENT_NAME).encode("utf-8")
    return files


def write_files(files, destination):
    """Write {relative path: bytes} under the folder `destination`."""
    destination = Path(destination)
    for relative, content in sorted(files.items()):
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
