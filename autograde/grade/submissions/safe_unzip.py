"""Safe copying and unzipping of untrusted files: no absolute or `..` paths, no links, a member count and a
total size per submission (over every level of nested zips), corrupt and encrypted zips refused.

Litter (`autograde.paths.is_ignored`: operating-system metadata such as `__MACOSX`, `.DS_Store`, `._*`, and
caches such as `__pycache__`, `.pyc`) is left out and counted by name for a note, so that the source is what runs.
"""
import os
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from autograde.grade.submissions.model import UnpackError
from autograde.paths import IGNORED_NAMES, IGNORED_SUFFIXES

MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
# A zip inside the submission is unpacked when it is all there is (an LMS's per-student zip, a zip of a zip).
MAX_NESTED_ZIPS = 2
# A bulk download (every student's files in one zip) may hold this many entries at most.
MAX_BULK_MEMBERS = 500_000

_CORRUPT = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error)


def litter(parts):
    """The name that makes a path with these parts litter (`__MACOSX`, `._*`, `*.pyc`, ...), or None."""
    for part in parts:
        if part in IGNORED_NAMES:
            return part
        if part.startswith("._"):
            return "._*"
    if parts and parts[-1].endswith(IGNORED_SUFFIXES):
        return "*" + PurePosixPath(parts[-1]).suffix
    return None


class Budget:
    """What one submission may still write: files and bytes, shared by every level of nested zips."""

    def __init__(self):
        self.members_left = MAX_MEMBERS
        self.bytes_left = MAX_TOTAL_BYTES

    def _too_many(self, label):
        return UnpackError(f"{label} has more than the limit of {MAX_MEMBERS} files; submit only the assignment "
                           "folder (notebooks and course_lib/)")

    def _too_large(self, label):
        return UnpackError(f"{label} unpacks to more than the limit of {MAX_TOTAL_BYTES / 2**20:.0f} MiB; submit "
                           "only the assignment folder, without data sets")

    def check_declared(self, count, size, label):
        """Refuse a zip whose directory already declares too many files or bytes, before writing any."""
        if count > self.members_left:
            raise UnpackError(f"{label} has {count} entries, more than the limit of {MAX_MEMBERS}; submit only "
                              "the assignment folder (notebooks and course_lib/)")
        if size > self.bytes_left:
            raise UnpackError(f"{label} unpacks to {size / 2**20:.0f} MiB, more than the limit of "
                              f"{MAX_TOTAL_BYTES / 2**20:.0f} MiB; submit only the assignment folder")

    def take_member(self, label):
        self.members_left -= 1
        if self.members_left < 0:
            raise self._too_many(label)

    def take_bytes(self, count, label):
        self.bytes_left -= count
        if self.bytes_left < 0:
            raise self._too_large(label)


def safe_relative_path(name, label):
    """`name` (a zip member or an LMS file name) as a relative PurePosixPath; UnpackError if it could escape."""
    if "\\" in name or "\x00" in name:
        raise UnpackError(f"{label}: entry {name!r} has a backslash or NUL in its name; zip the folder again "
                          "with a standard tool")
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        raise UnpackError(f"{label}: entry {name!r} has an absolute path; only paths inside the folder are allowed")
    if ".." in path.parts:
        raise UnpackError(f"{label}: entry {name!r} points outside the folder ('..'); only paths inside the "
                          "folder are allowed")
    return path


def open_zip(source, label):
    """zipfile.ZipFile of `source` (a path or a binary file); UnpackError when it is not a readable zip."""
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnpackError(f"{label} is not a readable zip file ({error}); upload the .zip again") from None


def members_under(archive, root, label, skipped):
    """[(ZipInfo, relative path)] of the members under the folder `root` ("" for all), `root` stripped."""
    prefix = root.rstrip("/") + "/" if root else ""
    selection = []
    for info in archive.infolist():
        if not info.filename.startswith(prefix):
            continue
        relative = safe_relative_path(info.filename[len(prefix):], label)
        if not relative.parts:
            continue
        name = litter(relative.parts)
        if name is not None:
            skipped[name] += 1
            continue
        selection.append((info, relative))
    return selection


def named_members(archive, files, label):
    """[(ZipInfo, relative path)] for `files` = ((member name, file name), ...): each member under its name."""
    selection = []
    for member, file_name in files:
        try:
            info = archive.getinfo(member)
        except KeyError:
            raise UnpackError(f"{label}: {member!r} is missing from the zip; download the submissions again") from None
        selection.append((info, safe_relative_path(file_name, label)))
    return selection


def extract(archive, selection, destination, budget, label):
    """Write the [(ZipInfo, relative path)] `selection` of `archive` under `destination`, within `budget`."""
    budget.check_declared(sum(not info.is_dir() for info, _ in selection),
                          sum(info.file_size for info, _ in selection), label)
    for info, relative in selection:
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnpackError(f"{label}: entry {info.filename!r} is a symbolic link; links are not allowed")
        target = destination.joinpath(*relative.parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        budget.take_member(label)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(info) as source, open(target, "wb") as sink:
                while chunk := source.read(1 << 20):
                    budget.take_bytes(len(chunk), label)
                    sink.write(chunk)
        except RuntimeError as error:
            raise UnpackError(f"{label}: entry {info.filename!r} is encrypted ({error}); zip it again without a "
                              "password") from None
        except NotImplementedError as error:
            raise UnpackError(f"{label}: entry {info.filename!r} uses an unsupported compression ({error}); zip "
                              "it again with a standard tool") from None
        except _CORRUPT as error:
            raise UnpackError(f"{label} is corrupt at {info.filename!r} ({error}); upload the .zip again") from None


def copy_file(source, target, budget, label):
    """Copy the regular file `source` to `target` within `budget`; a link is refused."""
    source = Path(source)
    if source.is_symlink():
        raise UnpackError(f"{label}: {source.name} is a symbolic link; links are not allowed")
    if not source.is_file():
        return
    budget.take_member(label)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as reader, open(target, "wb") as sink:
        while chunk := reader.read(1 << 20):
            budget.take_bytes(len(chunk), label)
            sink.write(chunk)


def copy_tree(source, destination, budget, label, skipped):
    """Copy the folder `source` into `destination` within `budget`; links are refused, other special files
    (pipes, devices) left out."""
    source = Path(source)
    if source.is_symlink():
        raise UnpackError(f"{label} is a symbolic link; links are not allowed")
    for root, dirnames, filenames in os.walk(source):
        root_path = Path(root)
        relative_root = root_path.relative_to(source)
        for name in list(dirnames):
            if (root_path / name).is_symlink():
                raise UnpackError(f"{label}: {(relative_root / name).as_posix()} is a symbolic link; links are "
                                  "not allowed")
            if litter((name,)) is not None:
                skipped[litter((name,))] += 1
                dirnames.remove(name)
        for name in filenames:
            relative = relative_root / name
            if litter(relative.parts) is not None:
                skipped[litter(relative.parts)] += 1
                continue
            if (root_path / name).is_symlink():
                raise UnpackError(f"{label}: {relative.as_posix()} is a symbolic link; links are not allowed")
            copy_file(root_path / name, destination / relative, budget, label)
