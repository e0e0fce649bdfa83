"""Hostile submissions in every layout: escapes, links, bombs, too many files, corrupt and encrypted zips."""
import io
import os
import stat
import zipfile

import pytest
from layout_fixtures import RELEASE_PATHS, assignment_files, by_student, under, unpacked, write_tree, write_zip, \
    zip_bytes

from autograde.grade.submissions import SubmissionsError, UnpackError, discover, safe_unzip, unpack_bytes
from autograde.grade.submissions.model import Submission


def zip_submission(tmp_path, files, name="x.zip"):
    path = write_zip(tmp_path / "in" / name, files)
    return Submission(student="x", source=name, container=str(path), assignment="assignment2",
                      release_paths=RELEASE_PATHS)


def link_zip(target_name="course_lib/link.py"):
    buffer = io.BytesIO()
    info = zipfile.ZipInfo(target_name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course_lib/__init__.py", "")
        archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


@pytest.mark.parametrize("name, reason", [("../evil.py", "'..'"), ("/etc/evil.py", "absolute"),
                                          ("a\\..\\evil.py", "backslash"), ("C:/evil.py", "absolute")])
def test_a_member_that_could_escape_is_refused_and_nothing_is_written_outside(tmp_path, name, reason):
    submission = zip_submission(tmp_path, {"course_lib/__init__.py": "", name: "print('escaped')"})
    with pytest.raises(UnpackError, match=reason):
        unpacked(submission, tmp_path / "scratch" / "deep")
    assert not list(tmp_path.rglob("evil.py"))


def test_a_symbolic_link_in_a_zip_is_refused(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(link_zip())
    submission = Submission(student="x", source="x.zip", container=str(path))
    with pytest.raises(UnpackError, match="symbolic link"):
        unpacked(submission, tmp_path / "scratch")


def test_a_symbolic_link_in_a_folder_is_refused(tmp_path):
    folder = write_tree(tmp_path / "bob", assignment_files("bob"))
    os.symlink("/etc/passwd", folder / "course_lib" / "stolen.py")
    with pytest.raises(UnpackError, match="symbolic link"):
        unpacked(Submission(student="bob", source="bob", container=str(folder)), tmp_path / "scratch")


def test_a_linked_student_entry_is_left_out_of_discovery(tmp_path):
    write_tree(tmp_path / "subs" / "alice", assignment_files("alice"))
    write_tree(tmp_path / "elsewhere" / "secret", assignment_files("secret"))
    os.symlink(tmp_path / "elsewhere" / "secret", tmp_path / "subs" / "mallory")
    discovery = discover(tmp_path / "subs", release_paths=RELEASE_PATHS)
    assert [submission.student for submission in discovery.submissions] == ["alice"]
    assert "left out 1 symbolic link in subs" in discovery.notes


def test_a_zip_bomb_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_unzip, "MAX_TOTAL_BYTES", 10_000)
    submission = zip_submission(tmp_path, {"course_lib/big.py": "0" * 1_000_000})
    with pytest.raises(UnpackError, match="MiB"):
        unpacked(submission, tmp_path / "scratch")


def test_the_size_limit_covers_every_level_of_nested_zips(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_unzip, "MAX_TOTAL_BYTES", 60_000)
    inner = zip_bytes({"course_lib/a.py": "1" * 40_000, "course_lib/b.py": "2" * 40_000})
    submission = zip_submission(tmp_path, {"assignment2.zip": inner})
    with pytest.raises(UnpackError, match="more than the limit"):
        unpacked(submission, tmp_path / "scratch")


def test_too_many_files_are_refused_also_inside_a_nested_zip(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_unzip, "MAX_MEMBERS", 3)
    with pytest.raises(UnpackError, match="5 entries"):
        unpacked(zip_submission(tmp_path, {f"f{index}.py": "" for index in range(5)}), tmp_path / "scratch1")
    nested = zip_submission(tmp_path, {"all.zip": zip_bytes({f"course_lib/f{index}.py": "" for index in range(3)})},
                            name="nested.zip")
    with pytest.raises(UnpackError, match="3 entries"):
        unpacked(nested, tmp_path / "scratch2")


def encrypted_zip():
    """A zip whose one member is marked encrypted (general purpose flag bit 0, in both of its headers)."""
    data = bytearray(zip_bytes({"course_lib/__init__.py": "x"}))
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    return bytes(data)


def test_empty_corrupt_and_encrypted_zips_are_refused_with_clear_messages(tmp_path):
    (tmp_path / "corrupt.zip").write_bytes(b"PK\x03\x04garbage")
    cases = {"empty.zip": (zip_bytes({}), "is empty"), "corrupt.zip": (None, "not a readable zip"),
             "locked.zip": (encrypted_zip(), "encrypted")}
    for name, (content, message) in cases.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
        with pytest.raises(UnpackError, match=message):
            unpacked(Submission(student="x", source=name, container=str(tmp_path / name)), tmp_path / f"s-{name}")


def test_a_hostile_per_student_zip_in_a_canvas_download_fails_only_that_student(tmp_path):
    files = {"doejane_1_10_assignment2.zip": zip_bytes(assignment_files("jane")),
             "evilmal_2_20_assignment2.zip": zip_bytes({"course_lib/__init__.py": "", "../../escape.py": "x"}),
             "linkeve_3_30_assignment2.zip": link_zip(),
             "brokenbo_5_50_assignment2.zip": b"PK\x03\x04 not really a zip",
             "../outside_4_40_x.py": "x"}
    discovery = discover(write_zip(tmp_path / "submissions.zip", files), release_paths=RELEASE_PATHS)
    assert "left out 1 entry of submissions.zip with an absolute or '..' path" in discovery.notes
    students = by_student(discovery)
    assert sorted(students) == ["brokenbo_5", "doejane_1", "evilmal_2", "linkeve_3"]
    with pytest.raises(UnpackError, match=r"brokenbo_5_50_assignment2.zip: assignment2.zip is not a readable zip"):
        unpacked(students["brokenbo_5"], tmp_path / "bo")
    assert unpacked(students["doejane_1"], tmp_path / "jane")[0] == assignment_files("jane")
    with pytest.raises(UnpackError, match="'..'"):
        unpacked(students["evilmal_2"], tmp_path / "mal")
    with pytest.raises(UnpackError, match="symbolic link"):
        unpacked(students["linkeve_3"], tmp_path / "eve")
    assert not list(tmp_path.rglob("escape.py"))


def test_an_escaping_member_inside_a_moodle_folder_fails_that_student(tmp_path):
    files = {**under("Jane Doe_1_assignsubmission_file_", assignment_files("jane")),
             **under("Mal Lory_2_assignsubmission_file_", assignment_files("mal")),
             "Mal Lory_2_assignsubmission_file_/../../escape.py": "x"}
    students = by_student(discover(write_zip(tmp_path / "moodle.zip", files), release_paths=RELEASE_PATHS))
    assert unpacked(students["Jane_Doe_1"], tmp_path / "jane")[0] == assignment_files("jane")
    with pytest.raises(UnpackError, match="'..'"):
        unpacked(students["Mal_Lory_2"], tmp_path / "mal")


def test_zips_nested_deeper_than_the_limit_are_not_unpacked(tmp_path):
    deepest = zip_bytes(assignment_files("x"))
    for level in range(safe_unzip.MAX_NESTED_ZIPS):
        deepest = zip_bytes({f"level{level}.zip": deepest})
    with pytest.raises(UnpackError, match=r"no course_lib/ folder or notebook found \(it holds level\d\.zip\)"):
        unpacked(zip_submission(tmp_path, {"outer.zip": deepest}), tmp_path / "scratch")


def test_unpack_bytes_applies_the_same_limits(tmp_path, monkeypatch):
    with pytest.raises(UnpackError, match="'..'"):
        unpack_bytes(zip_bytes({"course_lib/__init__.py": "", "../escape.py": "x"}), tmp_path / "a")
    with pytest.raises(UnpackError, match="not a readable zip"):
        unpack_bytes(b"not a zip", tmp_path / "b")
    monkeypatch.setattr(safe_unzip, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(UnpackError, match="MiB"):
        unpack_bytes(zip_bytes({"course_lib/big.py": "0" * 100_000}), tmp_path / "c")
    assert not list(tmp_path.rglob("escape.py"))


def test_a_pipe_in_a_submission_folder_is_left_out_instead_of_blocking(tmp_path):
    folder = write_tree(tmp_path / "bob", assignment_files("bob"))
    os.mkfifo(folder / "course_lib" / "fifo")
    files, _ = unpacked(Submission(student="bob", source="bob", container=str(folder)), tmp_path / "scratch")
    assert files == assignment_files("bob")


def test_a_bulk_zip_with_more_entries_than_the_limit_is_refused_as_a_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_unzip, "MAX_BULK_MEMBERS", 3)
    path = write_zip(tmp_path / "submissions.zip", {f"doe_{index}_9_x.py": "" for index in range(4)})
    with pytest.raises(SubmissionsError, match="holds 4 entries, more than the limit of 3; unzip it and pass the "):
        discover(path, release_paths=RELEASE_PATHS)
