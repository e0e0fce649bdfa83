"""The code a student hands in, as the class record keeps it: `OUT/code/<student>/`, one file per course_lib
module (as it is) and one `<Notebook>.py` per notebook (its code cells joined, each after a `# %% cell <index>`
line, so that a line of the text names its cell)."""
import json
from pathlib import Path

MAX_FILE_BYTES = 1_000_000
CELL_HEADER = "# %% cell {index}\n"
CELL_PREFIX = CELL_HEADER.split("{")[0]
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints"}


def notebook_text(document):
    """The code cells of a notebook (its JSON document, a dict) joined into one Python text, each after a
    `# %% cell <index>` line (its index among all the notebook's cells)."""
    cells = document.get("cells")
    parts = []
    for index, cell in enumerate(cells if isinstance(cells, list) else []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        parts.append(CELL_HEADER.format(index=index) + source.rstrip("\n") + "\n")
    return "\n".join(parts)


def notebook_code(path):
    """notebook_text of the notebook file at `path`; None when it is not a readable notebook."""
    try:
        document = json.loads(Path(path).read_bytes().decode("utf-8", errors="replace"))
        return notebook_text(document) if isinstance(document, dict) else None
    except (OSError, ValueError):
        return None


def _read_text(path):
    with open(path, "rb") as stream:
        return stream.read(MAX_FILE_BYTES).decode("utf-8", errors="replace")


def code_files(folder, *, notebooks=True):
    """{relative path: text} of every .py file (as is) and, with `notebooks`, every .ipynb file (as `<stem>.py`)
    under `folder`."""
    folder = Path(folder)
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_symlink() or not path.is_file() or IGNORED_PARTS & set(relative.parts):
            continue
        if path.suffix == ".py":
            files[relative.as_posix()] = _read_text(path)
        elif notebooks and path.suffix == ".ipynb":
            code = notebook_code(path)
            if code is not None:
                files[relative.with_suffix(".py").as_posix()] = code
    return files


def student_code(submission_dir):
    """The code a student hands in, as {relative path: text}: `course_lib/**/*.py` as they are and, for every
    notebook at the top of `submission_dir`, its code cells joined into `<Notebook>.py` (see `notebook_code`).

    Files of more than MAX_FILE_BYTES are cut there; unreadable notebooks and symbolic links are left out.
    """
    submission_dir = Path(submission_dir)
    files = {}
    if (submission_dir / "course_lib").is_dir():
        files.update({f"course_lib/{relative}": text
                      for relative, text in code_files(submission_dir / "course_lib", notebooks=False).items()})
    for notebook in sorted(submission_dir.glob("*.ipynb")):
        code = None if notebook.is_symlink() else notebook_code(notebook)
        if code is not None:
            files[f"{notebook.stem}.py"] = code
    return files


def read_student_code(folder):
    """{relative path: text} of the .py files under `folder` (a student's folder of the class record)."""
    return code_files(folder, notebooks=False)


def write_student_code(folder, files):
    """Write {relative path: text} (e.g. `student_code`'s) under `folder`, replacing what was there."""
    folder = Path(folder)
    for relative in files:
        if ".." in Path(relative).parts or Path(relative).is_absolute():
            raise ValueError(f"files: {relative!r} is not a path inside the student's folder")
    for old in sorted(folder.rglob("*.py"), reverse=True) if folder.is_dir() else ():
        old.unlink()
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder
