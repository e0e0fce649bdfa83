"""Unpack one submission into a scratch folder and find its assignment folder by content; pack it as zip bytes
for a job that runs on another machine, and unpack those bytes there.

The assignment folder is the folder that holds `course_lib/` or the notebooks (a few levels deep at most), not
the folder that happens to be alone: stray files beside it (`notes.txt`) are left out with a note. When nothing
holds an assignment but a single zip does (an LMS's per-student zip, a zip inside the zip), that zip is unpacked
in its turn, with the same limits. Single library files (an LMS's per-file uploads, a zip of loose files) are
put back at their release paths (`placement`).
"""
import io
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from autograde.grade.submissions import placement, safe_unzip
from autograde.grade.submissions.model import UnpackError
from autograde.text import plural, short_list

MAX_SEARCH_DEPTH = 4
LIBRARY_DIR = placement.LIBRARY


def _stage(submission, destination, budget, skipped):
    """Copy or unzip the submission's raw files into `destination`."""
    container = Path(submission.container)
    label = submission.source or container.name
    if submission.files and container.is_dir():
        for member, file_name in submission.files:
            relative = safe_unzip.safe_relative_path(file_name, label)
            safe_unzip.copy_file(container / member, destination.joinpath(*relative.parts), budget, label)
    elif container.is_dir():
        source = container / submission.root if submission.root else container
        safe_unzip.copy_tree(source, destination, budget, label, skipped)
    elif container.is_file():
        with safe_unzip.open_zip(container, label) as archive:
            if submission.files:
                selection = safe_unzip.named_members(archive, submission.files, label)
            else:
                selection = safe_unzip.members_under(archive, submission.root, label, skipped)
            safe_unzip.extract(archive, selection, destination, budget, label)
    else:
        raise UnpackError(f"{label} is gone (not found at {container}); download the submissions again")
    if not any(destination.iterdir()):
        raise UnpackError(f"{label} is empty; submit the assignment folder (notebooks and course_lib/)")


def _score(folder, library_names):
    """How much `folder` looks like an assignment folder: course_lib/ 4, a notebook 2, loose library files 1."""
    score = 0
    files = []
    for entry in folder.iterdir():
        if entry.is_dir() and entry.name == LIBRARY_DIR:
            score += 4
        elif entry.is_file():
            files.append(entry.name)
    if any(name.endswith(".ipynb") for name in files):
        score += 2
    if any(placement.release_name(name, library_names)[0] in library_names for name in files):
        score += 1
    return score


def _assignment_folders(root, library_names):
    """[(score, depth, folder)] of the folders under `root` that look like an assignment folder."""
    found = []
    level = [root]
    for depth in range(MAX_SEARCH_DEPTH + 1):
        next_level = []
        for folder in level:
            score = _score(folder, library_names)
            if score:
                found.append((score, depth, folder))
            next_level.extend(sorted(entry for entry in folder.iterdir()
                                     if entry.is_dir() and entry.name != LIBRARY_DIR))
        level = next_level
    return found


def _choose(candidates, root, assignment, label):
    best_score = max(score for score, _, _ in candidates)
    best = [(depth, folder) for score, depth, folder in candidates if score == best_score]
    shallowest = min(depth for depth, _ in best)
    folders = [folder for depth, folder in best if depth == shallowest]
    if len(folders) == 1:
        return folders[0]
    named = [folder for folder in folders if folder.name.lower() == assignment.lower()]
    if len(named) == 1:
        return named[0]
    listing = ", ".join(folder.relative_to(root).as_posix() for folder in folders)
    raise UnpackError(f"{label} holds several assignment folders ({listing}) and none is named {assignment!r}; "
                      "submit only the one to grade")


def _note_strays(root, chosen, notes, label):
    """Note what lies beside the path from `root` down to the assignment folder `chosen`."""
    strays = []
    folder = root
    for part in chosen.relative_to(root).parts:
        strays.extend(entry.relative_to(root).as_posix() for entry in sorted(folder.iterdir())
                      if entry.name != part)
        folder = folder / part
    if strays:
        notes.append(f"{label}: left out beside the assignment folder: {short_list(strays)}")


def _contents(folder):
    return short_list(sorted(entry.name + ("/" if entry.is_dir() else "") for entry in folder.iterdir()))


def _locate(root, submission, scratch, budget, skipped, notes, nesting):
    label = submission.source or Path(submission.container).name
    library_names = placement.library_names(submission.release_paths)
    candidates = _assignment_folders(root, library_names)
    if not candidates:
        zips = [entry for entry in sorted(root.iterdir()) if entry.is_file() and entry.suffix.lower() == ".zip"]
        if len(zips) == 1 and nesting < safe_unzip.MAX_NESTED_ZIPS:
            inner = scratch / f"unzipped-{nesting + 1}"
            inner_label = f"{label}: {zips[0].name}"
            with safe_unzip.open_zip(zips[0], inner_label) as archive:
                selection = safe_unzip.members_under(archive, "", inner_label, skipped)
                safe_unzip.extract(archive, selection, inner, budget, inner_label)
            if not inner.exists() or not any(inner.iterdir()):
                raise UnpackError(f"{inner_label} is empty; zip the assignment folder (notebooks and course_lib/)")
            _note_strays(root, zips[0], notes, label)
            return _locate(inner, submission, scratch, budget, skipped, notes, nesting + 1)
        raise UnpackError(f"{label}: no course_lib/ folder or notebook found (it holds {_contents(root)}); "
                          "submit the assignment folder with the notebooks and course_lib/")
    chosen = _choose(candidates, root, submission.assignment, label)
    _note_strays(root, chosen, notes, label)
    if submission.files or not (chosen / LIBRARY_DIR).is_dir():
        placement.place_loose_files(chosen, submission.release_paths, notes, resubmissions=bool(submission.files))
    return chosen


def _note_litter(skipped, notes, label):
    if skipped:
        notes.append(f"{label}: left out {plural(sum(skipped.values()), 'entry', 'entries')} of operating-system "
                     f"or editor litter ({', '.join(sorted(skipped))})")


def unpack(submission, scratch_dir, *, notes=None):
    """Copy or unzip `submission` into `scratch_dir/submission`; return its assignment folder (the folder that
    holds course_lib/ and the notebooks). Raises UnpackError with a message for the instructor and the student.

    notes: a list that gets one line per thing left out or decided (stray files, metadata, older uploads).
    """
    notes = [] if notes is None else notes
    scratch = Path(scratch_dir)
    destination = scratch / "submission"
    destination.mkdir(parents=True)
    budget = safe_unzip.Budget()
    skipped = Counter()
    _stage(submission, destination, budget, skipped)
    folder = _locate(destination, submission, scratch, budget, skipped, notes, nesting=0)
    _note_litter(skipped, notes, submission.source or submission.student)
    return folder


def pack(submission, *, notes=None):
    """The submission's assignment folder as zip bytes (paths relative to it), after the same checks as `unpack`;
    `unpack_bytes` turns them back into a folder on another machine. Raises UnpackError like `unpack`."""
    with tempfile.TemporaryDirectory(prefix="autograde-pack-") as scratch:
        folder = unpack(submission, scratch, notes=notes)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder).as_posix())
        return buffer.getvalue()


def unpack_bytes(data, scratch_dir):
    """Unzip `data` (what `pack` returned) into `scratch_dir/submission` with every limit of `unpack`; return the
    assignment folder. Raises UnpackError."""
    destination = Path(scratch_dir) / "submission"
    destination.mkdir(parents=True)
    label = "the packed submission"
    with safe_unzip.open_zip(io.BytesIO(data), label) as archive:
        selection = safe_unzip.members_under(archive, "", label, Counter())
        safe_unzip.extract(archive, selection, destination, safe_unzip.Budget(), label)
    if not any(destination.iterdir()):
        raise UnpackError(f"{label} is empty")
    candidates = _assignment_folders(destination, set())
    if not candidates:
        raise UnpackError(f"{label}: no course_lib/ folder or notebook found (it holds {_contents(destination)})")
    return _choose(candidates, destination, "", label)
