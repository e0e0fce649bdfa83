"""Safe unpacking of submissions: folders and zips in, escapes and bombs out."""
import os
import stat
import zipfile

import pytest

from autograde.grade import unpack
from autograde.grade.unpack import UnpackError, find_submissions, unpack_submission


def write_zip(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_find_submissions_takes_folders_and_zips_by_name_and_skips_dotfiles(tmp_path):
    (tmp_path / "bob").mkdir()
    write_zip(tmp_path / "alice.zip", {"course_lib/__init__.py": ""})
    (tmp_path / ".DS_Store").write_text("")
    (tmp_path / "notes.txt").write_text("")
    assert list(find_submissions(tmp_path)) == ["alice", "bob"]


def test_zip_with_a_single_top_level_folder_is_descended_into(tmp_path):
    zip_path = write_zip(tmp_path / "alice.zip", {"assignment2/course_lib/__init__.py": "X = 1\n",
                                                  "__MACOSX/assignment2/._x": "junk"})
    root = unpack_submission(zip_path, tmp_path / "scratch")
    assert (root / "course_lib" / "__init__.py").read_text() == "X = 1\n"
    assert not (tmp_path / "scratch" / "submission" / "__MACOSX").exists()


@pytest.mark.parametrize("name, reason", [("../evil.py", "'..'"), ("/etc/evil.py", "absolute"),
                                          ("a\\..\\evil.py", "backslash")])
def test_zip_member_that_could_escape_is_refused(tmp_path, name, reason):
    zip_path = write_zip(tmp_path / "x.zip", {"course_lib/__init__.py": "", name: "print('escaped')"})
    with pytest.raises(UnpackError, match=reason):
        unpack_submission(zip_path, tmp_path / "scratch")
    assert not (tmp_path / "evil.py").exists()


def test_zip_symlink_is_refused(tmp_path):
    info = zipfile.ZipInfo("course_lib/link.py")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(tmp_path / "x.zip", "w") as archive:
        archive.writestr(info, "/work/main/course_lib/layers/affine.py")
    with pytest.raises(UnpackError, match="symbolic link"):
        unpack_submission(tmp_path / "x.zip", tmp_path / "scratch")


def test_folder_with_a_symlink_is_refused(tmp_path):
    folder = tmp_path / "bob" / "course_lib"
    folder.mkdir(parents=True)
    os.symlink("/etc/passwd", folder / "layers.py")
    with pytest.raises(UnpackError, match="symbolic link"):
        unpack_submission(tmp_path / "bob", tmp_path / "scratch")


def test_zip_bomb_over_the_size_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(unpack, "MAX_TOTAL_BYTES", 1000)
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("course_lib/big.py", "0" * 100_000)
    with pytest.raises(UnpackError, match="MiB"):
        unpack_submission(tmp_path / "bomb.zip", tmp_path / "scratch")


def test_zip_with_too_many_members_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(unpack, "MAX_MEMBERS", 3)
    write_zip(tmp_path / "many.zip", {f"f{index}.py": "" for index in range(5)})
    with pytest.raises(UnpackError, match="5 entries"):
        unpack_submission(tmp_path / "many.zip", tmp_path / "scratch")


def test_empty_and_corrupt_zips_are_refused_with_clear_messages(tmp_path):
    write_zip(tmp_path / "empty.zip", {})
    (tmp_path / "corrupt.zip").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(UnpackError, match="empty"):
        unpack_submission(tmp_path / "empty.zip", tmp_path / "scratch1")
    with pytest.raises(UnpackError, match="not a readable zip"):
        unpack_submission(tmp_path / "corrupt.zip", tmp_path / "scratch2")


def test_compiled_bytecode_is_dropped_so_the_source_is_what_runs(tmp_path):
    folder = tmp_path / "bob" / "course_lib" / "__pycache__"
    folder.mkdir(parents=True)
    (folder / "layers.cpython-311.pyc").write_bytes(b"\x00")
    (tmp_path / "bob" / "course_lib" / "__init__.py").write_text("")
    root = unpack_submission(tmp_path / "bob", tmp_path / "scratch")
    assert sorted(path.name for path in (root / "course_lib").iterdir()) == ["__init__.py"]
