"""Builders of submission layouts for the discovery and unpacking tests: assignment folders, zips, trees."""
import io
import zipfile
from pathlib import Path

from autograde.grade.submissions import unpack

# The paths of a release that the tests place single files against (a subset of the real one, with its three
# `__init__.py`).
RELEASE_PATHS = (
    "course_lib/__init__.py",
    "course_lib/layers/__init__.py",
    "course_lib/layers/affine.py",
    "course_lib/classifiers/__init__.py",
    "course_lib/classifiers/fc_net.py",
    "course_lib/optim.py",
    "FullyConnectedNets.ipynb",
    "Dropout.ipynb",
    "autograde/__init__.py",
)


def assignment_files(marker):
    """An assignment folder's files {relative path: text}; `marker` tells one student's copy from another's."""
    return {
        "course_lib/__init__.py": '"""The course library."""\n',
        "course_lib/layers/__init__.py": "from course_lib.layers.affine import affine_forward\n",
        "course_lib/layers/affine.py": f"MARKER = {marker!r}\n",
        "course_lib/classifiers/__init__.py": "from course_lib.classifiers.fc_net import FullyConnectedNet\n",
        "course_lib/classifiers/fc_net.py": f"NET = {marker!r}\n",
        "course_lib/optim.py": f"OPTIM = {marker!r}\n",
        "FullyConnectedNets.ipynb": '{"cells": [], "metadata": {"student": "%s"}}' % marker,
    }


def under(prefix, files):
    return {f"{prefix}/{path}": text for path, text in files.items()}


def write_tree(root, files):
    root = Path(root)
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    return root


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def write_zip(path, files):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(zip_bytes(files))
    return Path(path)


def tree(folder):
    """{relative path: text} of the files under `folder`."""
    folder = Path(folder)
    return {path.relative_to(folder).as_posix(): path.read_text() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def unpacked(submission, scratch):
    """(files of the unpacked assignment folder, notes) of `submission`."""
    notes = []
    folder = unpack(submission, scratch, notes=notes)
    return tree(folder), notes


def by_student(discovery):
    return {submission.student: submission for submission in discovery.submissions}
