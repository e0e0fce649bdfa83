"""Put single uploaded files back where the release has them.

An LMS that takes single files (Canvas, Moodle without folders, Blackboard) keeps only their names, so
`affine.py` has to go back to `course_lib/layers/affine.py`. The release's relative paths say where each name
belongs. Two complications:

- Canvas renames a file uploaded again under a name the student's submissions folder already holds:
  `affine.py` becomes `affine-1.py`, then `affine-2.py`. The highest suffix is the newest upload and wins.
  The suffix is stripped only when the name without it is a release file and the name with it is not.
- Several release files share a name (`__init__.py` of `course_lib/`, `course_lib/layers/`,
  `course_lib/classifiers/`). A package's `__init__.py` imports its own modules, so such a file goes to the
  package whose modules it imports (`from course_lib.layers.affine import ...` -> `course_lib/layers/`, a relative
  `from .affine import ...` -> the package that has an `affine` module); a file that imports none of them goes to
  the shallowest candidate (`course_lib/__init__.py`). Paths under `course_lib/` are preferred to the rest of the
  release (the grader brings its own `autograde/`). A file that still fits several places is left out, noted.
"""
import ast
import re
from collections import defaultdict
from pathlib import Path, PurePosixPath

from autograde.paths import COURSE_LIB_DIR, NOTEBOOKS_DIR, is_ignored

LIBRARY = COURSE_LIB_DIR.name
_SUFFIXED = re.compile(r"(?P<stem>.+?)-(?P<number>\d+)(?P<extension>(?:\.[A-Za-z][A-Za-z0-9]*)*\.[A-Za-z0-9]+)?")


def default_release_paths():
    """The release's graded paths, read from this project: `course_lib/**.py` and the notebooks' names."""
    root = COURSE_LIB_DIR.parent
    library = sorted(path.relative_to(root).as_posix() for path in COURSE_LIB_DIR.rglob("*.py")
                     if not is_ignored(path.relative_to(root)))
    return tuple(library + sorted(path.name for path in NOTEBOOKS_DIR.glob("*.ipynb")))


def _paths_by_name(release_paths):
    by_name = defaultdict(list)
    for path in release_paths:
        by_name[PurePosixPath(path).name].append(path)
    for paths in by_name.values():
        paths.sort(key=lambda path: (not path.startswith(LIBRARY + "/"), path.count("/"), path))
    return by_name


def library_names(release_paths):
    """The file names of the release's library files (`affine.py`, `__init__.py`, ...)."""
    return {PurePosixPath(path).name for path in release_paths if path.startswith(LIBRARY + "/")}


def release_name(file_name, names):
    """(release file name, resubmission number) of an uploaded `file_name`; the number is 0 when unsuffixed."""
    if file_name in names:
        return file_name, 0
    match = _SUFFIXED.fullmatch(file_name)
    if match:
        base = match["stem"] + (match["extension"] or "")
        if base in names:
            return base, int(match["number"])
    return file_name, 0


def _imported_packages(source, package_modules):
    """The packages (dotted) that `source` imports from: `from a.b.c import x` names `a.b.c` and `a.b` (x may be
    a module of a.b.c, or a.b.c a module of a.b); a relative import names the packages that have its module."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    modules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
        elif isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 1:
            first = (node.module or node.names[0].name).split(".")[0]
            modules.extend(f"{package}.{first}" for package, names in package_modules.items() if first in names)
    packages = []
    for module in modules:
        packages.append(module)
        if "." in module:
            packages.append(module.rsplit(".", 1)[0])
    return packages


def _package_modules(release_paths):
    modules = defaultdict(set)
    for path in release_paths:
        parts = PurePosixPath(path).with_suffix("").parts
        for depth in range(1, len(parts)):
            modules[".".join(parts[:depth])].add(parts[depth])
    return modules


def choose_target(path, candidates, package_modules):
    """(release path, how it was chosen) for the uploaded file at `path` among `candidates` (best first); the
    path is None when the content does not decide between several."""
    library = [candidate for candidate in candidates if candidate.startswith(LIBRARY + "/")] or candidates
    if len(library) == 1:
        return library[0], ""
    if path.suffix != ".py":
        return None, ""
    imported = _imported_packages(path.read_text(encoding="utf-8", errors="replace"), package_modules)
    counts = {candidate: imported.count(PurePosixPath(candidate).parent.as_posix().replace("/", "."))
              for candidate in library}
    best = max(counts.values())
    if best == 0:
        return library[0], "it imports no module of the other packages"
    winners = [candidate for candidate, count in counts.items() if count == best]
    if len(winners) > 1:
        return None, ""
    return winners[0], "it imports that package's modules"


def place_loose_files(folder, release_paths, notes, *, resubmissions):
    """Move the files at the top of `folder` whose names are release file names to their release paths.

    resubmissions: uploads may carry Canvas's `-1`, `-2` suffixes (the highest one wins). Notes say which
    uploads were replaced, which shared names were decided by content, and what was left out.
    """
    folder = Path(folder)
    by_name = _paths_by_name(release_paths)
    package_modules = _package_modules(release_paths)
    claims = defaultdict(list)
    for path in sorted(entry for entry in folder.iterdir() if entry.is_file()):
        name, number = release_name(path.name, by_name) if resubmissions else (path.name, 0)
        if name not in by_name:
            continue
        target, reason = choose_target(path, by_name[name], package_modules)
        if target is None:
            notes.append(f"{path.name}: several files of the release have this name "
                         f"({', '.join(by_name[name])}) and its content does not say which; left out")
            continue
        if reason:
            notes.append(f"{path.name}: used as {target} ({reason})")
        claims[target].append((number, path))
    for target, uploads in claims.items():
        uploads.sort()
        newest = uploads[-1][1]
        for _, older in uploads[:-1]:
            notes.append(f"{older.name}: replaced by the newer upload {newest.name}")
            older.unlink()
        destination = folder / target
        if newest != destination:
            destination.parent.mkdir(parents=True, exist_ok=True)
            newest.replace(destination)
