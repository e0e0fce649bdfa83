"""`grade` on a batch: hostile classmates leave honest students' grades unchanged, options are checked before any
work, and the class record covers the whole class however many runs built it."""
import json
import os
import zipfile

import pytest
from library_submissions import HONEST_CHECK, LATER_CHECK, TARGET_CHECK, checks_by_id, make_submission, replace_relu

from autograde.grade import GradeOptionError, grade
from autograde.grade.sandbox import isolation
from autograde.grade.submissions import SubmissionsError

ALL_THREE = (HONEST_CHECK, TARGET_CHECK, LATER_CHECK)
FULL = sum(check.points for check in checks_by_id(*ALL_THREE))
PART = FULL - checks_by_id(TARGET_CHECK)[0].points
HEADER = "student,name,lms_id,FullyConnectedNets,pending,total,max"


def _zip_folder(folder, zip_path, prefix=""):
    with zipfile.ZipFile(zip_path, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())


def grade_library(submissions, out, **options):
    return grade(submissions, out=out, workers=2, timeout=3, only=list(ALL_THREE), notebooks=False,
                 show_progress=False, **options)


def by_student(batch):
    return {result["student"]: {check["id"]: check for check in result["checks"]} for result in batch.results}


def test_a_batch_of_hostile_students_leaves_the_honest_students_grades_unchanged(tmp_path):
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    honest = make_submission(submissions, "honest")
    make_submission(submissions, "looper", append=replace_relu("while True:\n    pass"))
    make_submission(submissions, "crasher", append=replace_relu("import os\nos._exit(1)"))
    _zip_folder(make_submission(tmp_path, "zipped"), submissions / "zipped.zip", prefix="assignment2/")
    (submissions / "corrupt.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    with zipfile.ZipFile(submissions / "traversal.zip", "w") as archive:
        archive.writestr("../../escaped.py", "print('escaped')")
    with zipfile.ZipFile(submissions / "empty.zip", "w"):
        pass
    batch = grade_library(submissions, tmp_path / "out")
    graded = by_student(batch)
    assert sorted(graded) == ["corrupt", "crasher", "empty", "honest", "looper", "traversal", "zipped"]
    for student in ("honest", "zipped"):
        assert [graded[student][check_id]["status"] for check_id in ALL_THREE] == ["pass"] * 3
    assert graded["looper"][TARGET_CHECK]["status"] == "timeout"
    assert graded["crasher"][TARGET_CHECK]["status"] == "error"
    assert graded["looper"][LATER_CHECK]["status"] == graded["crasher"][LATER_CHECK]["status"] == "pass"
    failed = {result["student"]: result for result in batch.results if result["error"]}
    assert sorted(failed) == ["corrupt", "empty", "traversal"]
    assert not [result for result in batch.results if result["grader_error"]]
    assert "'..'" in graded["traversal"][HONEST_CHECK]["message"]
    assert "empty.zip is empty" in graded["empty"][HONEST_CHECK]["message"]
    assert not (tmp_path / "escaped.py").exists() and not (submissions.parent.parent / "escaped.py").exists()
    saved = json.loads((tmp_path / "out/results/honest.json").read_text())
    assert (saved["points"], saved["max_points"]) == (FULL, FULL)
    assert saved["isolation"] == isolation.describe()
    assert (tmp_path / "out/grades.csv").read_text().splitlines() == [
        HEADER, f"corrupt,,,0,0,0,{FULL}", f"crasher,,,{PART},0,{PART},{FULL}", f"empty,,,0,0,0,{FULL}",
        f"honest,,,{FULL},0,{FULL},{FULL}",
        f"looper,,,{PART},0,{PART},{FULL}", f"traversal,,,0,0,0,{FULL}", f"zipped,,,{FULL},0,{FULL},{FULL}"]
    assert honest.is_dir() and os.listdir(honest) == ["course_lib"]


def test_a_fork_bomb_beside_honest_students_in_parallel_changes_none_of_their_grades(tmp_path, pids_cgroup):
    submissions = tmp_path / "submissions"
    for student in ("honest1", "honest2", "honest3"):
        make_submission(submissions, student)
    make_submission(submissions, "bomber", append=replace_relu("import os\nwhile True:\n    os.fork()"))
    batch = grade(submissions, out=tmp_path / "out", workers=2, timeout=5, only=list(ALL_THREE), notebooks=False,
                  show_progress=False)
    statuses = {result["student"]: [check["status"] for check in result["checks"]] for result in batch.results}
    assert statuses == {"bomber": ["pass", "error", "pass"], "honest1": ["pass"] * 3, "honest2": ["pass"] * 3,
                        "honest3": ["pass"] * 3}


def test_grading_part_of_the_class_again_updates_those_students_and_keeps_the_others(tmp_path):
    submissions = tmp_path / "submissions"
    make_submission(submissions, "amy", append=replace_relu("return x, x"))
    make_submission(submissions, "ben")
    first = grade_library(submissions, tmp_path / "out")
    assert [result["student"] for result in first.class_results] == ["amy", "ben"]
    again = tmp_path / "again"
    make_submission(again, "amy")
    second = grade_library(again, tmp_path / "out")
    assert [result["student"] for result in second.results] == ["amy"]
    assert [result["student"] for result in second.class_results] == ["amy", "ben"]
    assert (tmp_path / "out/grades.csv").read_text().splitlines() == [
        HEADER, f"amy,,,{FULL},0,{FULL},{FULL}", f"ben,,,{FULL},0,{FULL},{FULL}"]
    assert set(second.phases) == {"prepare", "students", "finish"}


@pytest.mark.parametrize("options, message", [
    ({"workers": 0}, "--workers 0"),
    ({"timeout": 0}, "--timeout 0"),
    ({"only": ["layers.no_such_task"]}, "--only: unknown task or check layers.no_such_task"),
])
def test_a_bad_option_is_refused_before_any_work(tmp_path, options, message):
    make_submission(tmp_path / "submissions", "amy")
    with pytest.raises(GradeOptionError, match=message):
        grade(tmp_path / "submissions", out=tmp_path / "out", show_progress=False, **options)
    assert not (tmp_path / "out").exists()


def test_a_missing_submissions_folder_is_refused_before_any_work(tmp_path):
    with pytest.raises(SubmissionsError, match="does not exist"):
        grade(tmp_path / "nowhere", out=tmp_path / "out", show_progress=False)
    assert not (tmp_path / "out").exists()
