"""A folder or a .zip on disk seen as a tree of names, so that every layout is recognised the same way in an LMS's
downloaded zip and in its unzipped folder. Nothing is extracted here; `unpack` does that, one student at a time.
"""
import os
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from autograde.grade.submissions import safe_unzip
from autograde.grade.submissions.model import Submission, SubmissionsError, UnpackError


class Container:
    """The names in the folder or .zip at `path`; `children(prefix)` lists one level, litter left out.

    unsafe: how many zip entries have an absolute or `..` path (never listed); links: the links skipped.
    """

    def __init__(self, path):
        self.path = Path(path)
        self.is_zip = self.path.is_file()
        self.unsafe = 0
        self.links = set()
        self._zip_levels = self._read_zip() if self.is_zip else None

    def _read_zip(self):
        try:
            with zipfile.ZipFile(self.path) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise SubmissionsError(f"SUBMISSIONS: {self.path} is not a readable zip file ({error}); download it "
                                   "again") from None
        if len(infos) > safe_unzip.MAX_BULK_MEMBERS:
            raise SubmissionsError(f"SUBMISSIONS: {self.path} holds {len(infos)} entries, more than the limit of "
                                   f"{safe_unzip.MAX_BULK_MEMBERS}; unzip it and pass the folder")
        levels = defaultdict(lambda: (set(), set()))
        for info in infos:
            try:
                parts = safe_unzip.safe_relative_path(info.filename, self.path.name).parts
            except UnpackError:
                self.unsafe += 1
                continue
            if not parts:
                continue
            for depth in range(1, len(parts)):
                levels["/".join(parts[:depth - 1])][1].add(parts[depth - 1])
            files, folders = levels["/".join(parts[:-1])]
            (folders if info.is_dir() else files).add(parts[-1])
        return levels

    def children(self, prefix=""):
        """(file names, folder names) directly under the folder `prefix` ("" = the top), sorted."""
        if self.is_zip:
            files, folders = self._zip_levels.get(prefix.strip("/"), (set(), set()))
        else:
            files, folders = set(), set()
            try:
                entries = list(os.scandir(self.path / prefix))
            except (NotADirectoryError, FileNotFoundError):
                entries = []
            for entry in entries:
                if entry.is_symlink():
                    self.links.add(entry.path)
                elif entry.is_dir():
                    folders.add(entry.name)
                elif entry.is_file():
                    files.add(entry.name)
        keep = [name for name in files | folders if safe_unzip.litter((name,)) is None]
        return sorted(name for name in keep if name in files), sorted(name for name in keep if name in folders)

    def read_texts(self, members, limit=65536):
        """{member: its first `limit` bytes as text} for the (small) files `members`; unreadable ones left out."""
        texts = {}
        if self.is_zip:
            with zipfile.ZipFile(self.path) as archive:
                for member in members:
                    try:
                        with archive.open(member) as stream:
                            texts[member] = stream.read(limit).decode("utf-8", errors="replace")
                    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                        continue
        else:
            for member in members:
                path = self.path / member
                if path.is_file() and not path.is_symlink():
                    with open(path, "rb") as stream:
                        texts[member] = stream.read(limit).decode("utf-8", errors="replace")
        return texts

    def label(self, member=""):
        """How messages name `member` of this container: `submissions.zip: alice/` or `SUBMISSIONS/alice`."""
        if not member:
            return self.path.name
        return f"{self.path.name}: {member}" if self.is_zip else (PurePosixPath(self.path.name) / member).as_posix()


def join(prefix, name):
    return f"{prefix.strip('/')}/{name}" if prefix.strip("/") else name


@dataclass
class Context:
    """What every layout needs to build its submissions: the container, the options, the notes so far."""

    container: Container
    assignment: str
    release_paths: tuple
    notes: list = field(default_factory=list)

    def submission(self, *, student, source, root="", files=(), container=None, **details):
        """A Submission in this container (or in the folder or .zip at `container`) with the batch's options."""
        return Submission(student=student, source=source, container=str(container or self.container.path),
                          root=root, files=tuple(files), assignment=self.assignment,
                          release_paths=self.release_paths, **details)

    def trial(self, container=None):
        """A copy for trying a layout: its own notes, and `container` instead of this one when given."""
        return replace(self, container=container or self.container, notes=[])
