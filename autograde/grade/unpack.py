"""Find the submissions in a folder and copy or unzip each one, safely, into a scratch folder.

A submission is a folder (the student's assignment folder: notebooks and `course_lib/`) or a `.zip` of it; a
single top-level folder inside (as LMS downloads and "compress folder" make) is descended into. The student id
is the entry's name without `.zip`. Anything unsafe (absolute or `..` paths, links, too many or too large
members, a corrupt or empty zip) raises `UnpackError` with a message for the instructor and the student.
"""
import os
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
# Operating-system litter that is dropped silently; compiled bytecode is dropped so that the source is what runs.
IGNORED_NAMES = {"__MACOSX", ".DS_Store", "Thumbs.db", "__pycache__", ".ipynb_checkpoints"}
IGNORED_SUFFIXES = (".pyc", ".pyo")


class UnpackError(Exception):
    """A submission that cannot be unpacked safely; the message says why."""


def find_submissions(submissions_dir):
    """{student id: path} for every folder and `.zip` in `submissions_dir`, sorted by id; dotfiles are skipped."""
    submissions_dir = Path(submissions_dir)
    if not submissions_dir.is_dir():
        raise FileNotFoundError(f"SUBMISSIONS: {submissions_dir} is not a folder; pass the folder that holds "
                                "one folder or .zip per student")
    found = {}
    for entry in sorted(submissions_dir.iterdir()):
        if entry.name.startswith(".") or entry.name in IGNORED_NAMES:
            continue
        if entry.is_dir() and not entry.is_symlink():
            found[entry.name] = entry
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            found[entry.name[: -len(".zip")]] = entry
    return dict(sorted(found.items()))


def _is_ignored(parts):
    return any(part in IGNORED_NAMES for part in parts) or parts[-1].endswith(IGNORED_SUFFIXES)


def _safe_relative_path(name):
    """The member name as a relative PurePosixPath, or UnpackError when it could escape the scratch folder."""
    if "\\" in name or "\x00" in name:
        raise UnpackError(f"zip member {name!r} has a backslash or NUL in its name; zip the folder again with "
                          "a standard tool")
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        raise UnpackError(f"zip member {name!r} has an absolute path; only paths inside the folder are allowed")
    if ".." in path.parts:
        raise UnpackError(f"zip member {name!r} points outside the folder ('..'); only paths inside the folder "
                          "are allowed")
    return path


def _extract_zip(zip_path, destination):
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnpackError(f"{zip_path.name} is not a readable zip file ({error}); upload the .zip again") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UnpackError(f"{zip_path.name} has {len(members)} entries, more than the limit of {MAX_MEMBERS}")
        declared = sum(member.file_size for member in members)
        if declared > MAX_TOTAL_BYTES:
            raise UnpackError(f"{zip_path.name} unpacks to {declared / 2**20:.0f} MiB, more than the limit of "
                              f"{MAX_TOTAL_BYTES / 2**20:.0f} MiB")
        written = 0
        kept = 0
        for member in members:
            relative = _safe_relative_path(member.filename)
            if not relative.parts or _is_ignored(relative.parts):
                continue
            mode = member.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnpackError(f"zip member {member.filename!r} is a symbolic link; links are not allowed")
            target = destination.joinpath(*relative.parts)
            try:
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, open(target, "wb") as sink:
                    while chunk := source.read(1 << 20):
                        written += len(chunk)
                        if written > MAX_TOTAL_BYTES:
                            raise UnpackError(f"{zip_path.name} unpacks to more than the limit of "
                                              f"{MAX_TOTAL_BYTES / 2**20:.0f} MiB")
                        sink.write(chunk)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError) as error:
                raise UnpackError(f"{zip_path.name} is corrupt at {member.filename!r} ({error}); upload the .zip "
                                  "again") from None
            kept += 1
        if kept == 0:
            raise UnpackError(f"{zip_path.name} is empty; zip the assignment folder (notebooks and course_lib/)")


def _copy_folder(source, destination):
    count = 0
    total = 0
    for root, dirnames, filenames in os.walk(source):
        root_path = Path(root)
        relative_root = root_path.relative_to(source)
        for name in list(dirnames):
            if (root_path / name).is_symlink():
                raise UnpackError(f"{(relative_root / name).as_posix()} is a symbolic link; links are not allowed")
            if name in IGNORED_NAMES:
                dirnames.remove(name)
        for name in filenames:
            path = root_path / name
            relative = relative_root / name
            if _is_ignored(relative.parts):
                continue
            if path.is_symlink():
                raise UnpackError(f"{relative.as_posix()} is a symbolic link; links are not allowed")
            if not path.is_file():
                continue
            count += 1
            total += path.stat().st_size
            if count > MAX_MEMBERS or total > MAX_TOTAL_BYTES:
                raise UnpackError(f"the submission has more than {MAX_MEMBERS} files or "
                                  f"{MAX_TOTAL_BYTES / 2**20:.0f} MiB")
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    if count == 0:
        raise UnpackError("the submission folder is empty; it should hold the notebooks and course_lib/")


def _descend_single_folder(root):
    """The folder that holds the assignment: `root`, or its only child folder when `root` holds nothing else."""
    entries = list(root.iterdir())
    if len(entries) == 1 and entries[0].is_dir() and entries[0].name != "course_lib":
        return _descend_single_folder(entries[0])
    return root


def unpack_submission(entry, scratch_dir):
    """Copy or unzip the submission `entry` into `scratch_dir/submission`; return the assignment folder in it."""
    entry = Path(entry)
    destination = Path(scratch_dir) / "submission"
    destination.mkdir(parents=True)
    if entry.is_dir():
        _copy_folder(entry, destination)
    elif entry.suffix.lower() == ".zip":
        _extract_zip(entry, destination)
    else:
        raise UnpackError(f"{entry.name} is neither a folder nor a .zip file")
    return _descend_single_folder(destination)
