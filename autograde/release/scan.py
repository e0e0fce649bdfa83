"""Leak scan: prove that a release holds nothing of the solution.

The scan reads every file of a release folder and reports, with file and line:

- any solution or hidden-test marker text;
- any line of a reference solution region (the library's regions, the source notebooks' solution regions and
  solution cells), compared with whitespace normalised, leaving out lines too short or too common to tell
  anything (under MIN_SECRET_LENGTH characters, or also present outside every region, e.g. `return out, cache`);
  a secret of MIN_EMBEDDED_LENGTH characters or more is also found inside a longer line, unless a shipped line
  contains it too;
- any line of a hidden check module or of a notebook's hidden tests;
- a hidden check module, `hidden.npz`, a gradebook (it stores the hidden tests' source), a symbolic link;
- an expected value that belongs to a hidden check (keys of the release's .npz files against the registry);
- a byte-for-byte copy of a reference file under any name, or a path into the instructor's project.
"""
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograde.paths import PROJECT_ROOT
from autograde.release.errors import LeakError
from autograde.release.strip import MARKERS, find_regions, is_ignored, read_source, split_lines

MIN_SECRET_LENGTH = 12
# A secret at least this long is also found inside a longer line (a comment, a string, a notebook output).
MIN_EMBEDDED_LENGTH = 24
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Leak:
    """One finding: `path` relative to the release folder, `line` 1-based (None for the whole file)."""

    path: str
    line: object
    what: str

    def __str__(self):
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.what}"


@dataclass
class Secrets:
    """What must not reach a release, collected from the instructor's project."""

    # normalised line -> where it comes from ("course_lib/layers/affine.py:34")
    lines: dict = field(default_factory=dict)
    # sha256 of a reference file -> its path in the project
    file_hashes: dict = field(default_factory=dict)
    hidden_check_ids: frozenset = frozenset()
    # The check ids that may have public expected values; None when the registry cannot be imported.
    public_check_ids: object = None
    project_root: str = ""

    # The long secrets that no shipped line contains: these are also searched for inside longer lines.
    embedded: dict = field(default_factory=dict)

    def find_in(self, normalised_line):
        """(secret line, origin) of a secret that is this line or is embedded in it; else None."""
        if normalised_line in self.lines:
            return normalised_line, self.lines[normalised_line]
        if len(normalised_line) > MIN_EMBEDDED_LENGTH:
            for secret, origin in self.embedded.items():
                if secret in normalised_line:
                    return secret, origin
        return None


def normalise(line):
    """A line with its whitespace runs collapsed to one space and its ends stripped."""
    return " ".join(line.split())


def is_telling(normalised_line):
    """True when a line is long and specific enough that finding it in a release reveals a solution."""
    if len(normalised_line) < MIN_SECRET_LENGTH:
        return False
    return any(character.isalnum() for character in normalised_line)


def _sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _notebook_cells(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle).get("cells", [])


def _cell_source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _notebook_cell_split(cell):
    """(secret lines, public lines) of a source-notebook cell, as nbgrader's generate_assignment divides them."""
    lines = split_lines(_cell_source(cell))
    nbgrader = cell.get("metadata", {}).get("nbgrader", {})
    has_markers = any(marker in line for line in lines for marker in MARKERS)
    if nbgrader.get("solution") and not has_markers:
        # nbgrader replaces an unmarked solution cell as a whole (code stub or "YOUR ANSWER HERE").
        return lines, []
    secret, public = [], []
    inside = False
    for line in lines:
        if MARKERS[0] in line or MARKERS[2] in line:
            inside = True
        elif MARKERS[1] in line or MARKERS[3] in line:
            inside = False
        elif inside:
            secret.append(line)
        else:
            public.append(line)
    return secret, public


def collect_secrets(root, *, hidden_check_ids=None, public_check_ids=None):
    """Collect the secrets of the instructor's project at `root` (course_lib/, notebooks/, autograde/).

    `hidden_check_ids` / `public_check_ids` default to the registry's (autograde.checks) when `root` is this
    project and the registry imports; elsewhere the expected-value keys are not checked unless they are given.
    """
    root = Path(root).resolve()
    secrets = Secrets(project_root=str(root))
    solution_lines, hidden_lines, public_lines, bundle_lines = {}, {}, set(), set()

    library = root / "course_lib"
    for path in sorted(library.rglob("*.py")) if library.is_dir() else []:
        if is_ignored(path.relative_to(root)):
            continue
        relative = path.relative_to(root).as_posix()
        lines = split_lines(read_source(path))
        regions = find_regions(lines, relative)
        inside = set()
        for region in regions:
            for index in range(region.begin + 1, region.end):
                inside.add(index)
                solution_lines.setdefault(normalise(lines[index]), f"{relative}:{index + 1}")
        public_lines.update(normalise(line) for index, line in enumerate(lines) if index not in inside)
        if regions:
            secrets.file_hashes[_sha256(path)] = relative

    notebooks = root / "notebooks"
    for path in sorted(notebooks.glob("*.ipynb")) if notebooks.is_dir() else []:
        relative = path.relative_to(root).as_posix()
        has_secret = False
        for cell_number, cell in enumerate(_notebook_cells(path), start=1):
            secret, public = _notebook_cell_split(cell)
            for line in secret:
                solution_lines.setdefault(normalise(line), f"{relative} cell {cell_number}")
            has_secret = has_secret or bool(secret)
            public_lines.update(normalise(line) for line in public)
        if has_secret:
            secrets.file_hashes[_sha256(path)] = relative

    checks = root / "autograde" / "checks"
    hidden_dir = checks / "hidden"
    for path in sorted(hidden_dir.rglob("*")) if hidden_dir.is_dir() else []:
        if path.is_dir() or is_ignored(path.relative_to(root)):
            continue
        relative = path.relative_to(root).as_posix()
        secrets.file_hashes[_sha256(path)] = relative
        if path.suffix == ".py":
            for index, line in enumerate(split_lines(read_source(path))):
                hidden_lines.setdefault(normalise(line), f"{relative}:{index + 1}")
    hidden_expected = root / "autograde" / "expected" / "hidden.npz"
    if hidden_expected.is_file():
        secrets.file_hashes[_sha256(hidden_expected)] = hidden_expected.relative_to(root).as_posix()
    # Lines the hidden modules share with the shipped check code (imports, helpers) tell nothing.
    for path in sorted(checks.rglob("*.py")) if checks.is_dir() else []:
        if hidden_dir not in path.parents:
            bundle_lines.update(normalise(line) for line in split_lines(read_source(path)))

    for pool, shipped in ((solution_lines, public_lines), (hidden_lines, public_lines | bundle_lines)):
        long_shipped = [line for line in shipped if len(line) > MIN_EMBEDDED_LENGTH]
        for line, origin in pool.items():
            if not is_telling(line) or line in shipped or line in secrets.lines:
                continue
            secrets.lines[line] = origin
            if len(line) >= MIN_EMBEDDED_LENGTH and not any(line in other for other in long_shipped):
                secrets.embedded[line] = origin

    if hidden_check_ids is None and public_check_ids is None and root == PROJECT_ROOT:
        public_check_ids, hidden_check_ids = registry_check_ids()
    secrets.hidden_check_ids = frozenset(hidden_check_ids or ())
    secrets.public_check_ids = None if public_check_ids is None else frozenset(public_check_ids)
    return secrets


def registry_check_ids():
    """(public ids, hidden ids) of this project's check registry, or (None, ()) where it does not import."""
    try:
        from autograde.checks import spec
    except ImportError:
        return None, ()
    checks = list(spec.all_checks(hidden=(spec.CHECKS_DIR / "hidden" / "__init__.py").is_file()))
    return (
        frozenset(check.id for check in checks if not check.hidden),
        frozenset(check.id for check in checks if check.hidden),
    )


def _text_lines(path):
    """(location, line) pairs of a text file; a notebook yields its cells' sources and outputs."""
    text = path.read_bytes().decode("utf-8")
    if path.suffix == ".ipynb":
        try:
            cells = json.loads(text).get("cells", [])
        except ValueError:
            cells = None
        if cells is not None:
            for cell_number, cell in enumerate(cells, start=1):
                for line_number, line in enumerate(split_lines(_cell_source(cell)), start=1):
                    yield f"cell {cell_number} line {line_number}", line
                for output in cell.get("outputs", []):
                    for output_text in _output_texts(output):
                        for line in split_lines(output_text):
                            yield f"cell {cell_number} output", line
            yield from ((None, line) for line in split_lines(json.dumps(json.loads(text).get("metadata", {}))))
            return
    for line_number, line in enumerate(split_lines(text), start=1):
        yield line_number, line


def _output_texts(output):
    pieces = [output.get("text", "")]
    pieces += list(output.get("data", {}).values())
    pieces += output.get("traceback", [])
    for piece in pieces:
        if isinstance(piece, list):
            yield "".join(piece)
        elif isinstance(piece, str):
            yield piece


def _scan_npz(path, relative, secrets):
    leaks = []
    with np.load(path, allow_pickle=False) as archive:
        keys = list(archive.files)
    for key in keys:
        check_id = key.rsplit("/", 1)[0]
        if check_id in secrets.hidden_check_ids:
            leaks.append(Leak(relative, None, f"expected value '{key}' belongs to the hidden check '{check_id}'"))
        elif secrets.public_check_ids is not None and check_id not in secrets.public_check_ids:
            leaks.append(Leak(relative, None, f"expected value '{key}' belongs to no public check"))
    return leaks


def _scan_path(relative):
    parts = relative.split("/")
    if parts[-1] == "hidden.npz":
        return "hidden expected values (hidden.npz)"
    if "hidden" in parts[:-1] and "checks" in parts:
        return "a hidden check module"
    return None


def scan_release(release_dir, *, root=None, secrets=None):
    """Return the list of leaks (Leak) in the folder `release_dir`; empty means clean.

    The secrets come from `secrets`, or are collected from the instructor's project at `root`.
    """
    release_dir = Path(release_dir)
    if secrets is None:
        secrets = collect_secrets(root)
    leaks = []
    for path in sorted(release_dir.rglob("*")):
        relative = path.relative_to(release_dir).as_posix()
        if path.is_symlink():
            leaks.append(Leak(relative, None, "a symbolic link (it may point into the instructor's project)"))
            continue
        if path.is_dir():
            continue
        what = _scan_path(relative)
        if what:
            leaks.append(Leak(relative, None, what))
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if digest in secrets.file_hashes:
            leaks.append(Leak(relative, None, f"a copy of the reference file {secrets.file_hashes[digest]}"))
        if content.startswith(SQLITE_HEADER):
            leaks.append(Leak(relative, None, "a database (an nbgrader gradebook stores the hidden tests)"))
            continue
        if path.suffix == ".npz":
            leaks.extend(_scan_npz(path, relative, secrets))
            continue
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            for marker in MARKERS:
                if marker.encode() in content:
                    leaks.append(Leak(relative, None, f"marker text '{marker}' in a binary file"))
            continue
        leaks.extend(_scan_text(path, relative, secrets))
    return leaks


def _scan_text(path, relative, secrets):
    leaks = []
    for location, line in _text_lines(path):
        for marker in MARKERS:
            if marker in line:
                leaks.append(Leak(relative, location, f"marker '{marker}'"))
        found = secrets.find_in(normalise(line))
        if found:
            secret, origin = found
            leaks.append(Leak(relative, location, f"solution text from {origin}: {secret[:80]}"))
        if secrets.project_root and secrets.project_root in line:
            leaks.append(Leak(relative, location, "a path into the instructor's project"))
    return leaks


def check_release(release_dir, *, root=None, secrets=None):
    """Raise LeakError listing every leak in `release_dir`; return None when the release is clean."""
    leaks = scan_release(release_dir, root=root, secrets=secrets)
    if leaks:
        raise LeakError(release_dir, leaks)
