"""What goes into the library sandbox: the probe code without any expected value, the student's course_lib alone."""
import io

from library_submissions import make_submission

from autograde.grade.library.launch import OutputCapture, prepare_library, prepare_probe_code
from autograde.paths import AUTOGRADE_DIR


def test_probe_code_holds_the_registry_and_probes_but_no_expected_values(tmp_path):
    probes = prepare_probe_code(tmp_path / "probes")
    copied = {path.relative_to(probes).as_posix() for path in probes.rglob("*") if path.is_file()}
    assert {"probe_child.py", "autograde/__init__.py", "autograde/text.py", "autograde/checks/spec.py"} <= copied
    assert not [path for path in copied if path.endswith((".npz", ".pyc")) or "expected/" in path]
    assert not [path for path in copied if path.startswith("autograde/") and path.count("/") == 1
                and path not in ("autograde/__init__.py", "autograde/text.py")]
    assert (AUTOGRADE_DIR / "expected" / "hidden.npz").is_file()  # it exists, and stayed out


def test_only_the_students_course_lib_is_copied(tmp_path):
    student = make_submission(tmp_path, "amy", files={"notes.txt": "mine", "Second.ipynb": "{}"})
    assert prepare_library(student, tmp_path / "library")
    assert sorted(path.name for path in (tmp_path / "library").iterdir()) == ["course_lib"]


def test_a_submission_without_a_course_lib_package_is_refused(tmp_path):
    student = make_submission(tmp_path, "ben", remove=["course_lib/__init__.py"])
    assert not prepare_library(student, tmp_path / "library")


def test_output_capture_keeps_the_first_bytes_and_counts_the_rest():
    capture = OutputCapture(io.BufferedReader(io.BytesIO(b"a" * 100 + b"b" * 50)), limit=100)
    capture.run()
    assert capture.text() == "a" * 100 + "\n[... 50 more bytes of output dropped]\n"
