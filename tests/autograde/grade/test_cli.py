"""`python -m autograde grade`: exit 0 when every student was graded, 1 when the grader failed on someone, 2 for a
bad command line or input, said in one line before any work."""
import os

from library_submissions import HONEST_CHECK, TARGET_CHECK, make_submission

from autograde.__main__ import main as autograde_main
from autograde.grade import Batch, cli, student

ARGUMENTS = ["--workers", "1", "--timeout", "5", "--no-notebooks", "--only", HONEST_CHECK, TARGET_CHECK]


def _submissions(tmp_path):
    folder = tmp_path / "submissions"
    make_submission(folder, "amy")
    make_submission(folder, "bob", append={"layers/affine.py": "def relu_forward(x):\n    return x, x"})
    return folder


def test_cli_grades_a_folder_and_regrading_gives_the_same_csv(tmp_path, capsys):
    submissions = _submissions(tmp_path)
    assert autograde_main(["grade", str(submissions), "--out", str(tmp_path / "first"), *ARGUMENTS]) == 0
    assert autograde_main(["grade", str(submissions), "--out", str(tmp_path / "second"), *ARGUMENTS]) == 0
    assert (tmp_path / "first/grades.csv").read_bytes() == (tmp_path / "second/grades.csv").read_bytes()
    printed = capsys.readouterr().out
    assert "sandbox isolation" in printed
    assert "amy      2 / 2" in printed and "bob      1 / 2" in printed
    assert sorted(os.listdir(tmp_path / "first/results")) == ["amy.json", "bob.json"]


def test_a_missing_submissions_folder_or_a_bad_option_exits_2_with_one_line(tmp_path, capsys):
    assert autograde_main(["grade", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("autograde grade: SUBMISSIONS:") and "does not exist" in error
    assert len(error.strip().splitlines()) == 1
    make_submission(tmp_path / "submissions", "amy")
    assert autograde_main(["grade", str(tmp_path / "submissions"), "--out", str(tmp_path / "out"),
                           "--workers", "0"]) == 2
    assert "--workers 0" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_failure_of_the_grader_on_one_student_exits_1_and_says_whose_fault_it_is(tmp_path, capsys, monkeypatch):
    graded = student.failed_result("amy", "the grader failed on this submission: BrokenProcessPool",
                                   course_cells={}, only=[HONEST_CHECK], grader_error=True)
    unpack_failure = student.failed_result("bob", "the submission could not be unpacked: not a zip",
                                           course_cells={}, only=[HONEST_CHECK])
    monkeypatch.setattr(cli, "grade", lambda *args, **kwargs: Batch(
        discovery=None, results=[graded, unpack_failure], class_results=[graded, unpack_failure], phases={}))
    make_submission(tmp_path / "submissions", "amy")
    assert autograde_main(["grade", str(tmp_path / "submissions"), "--out", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert "amy      0 / 1  (the grader failed on this submission: BrokenProcessPool)" in captured.out
    assert "bob      0 / 1  (the submission could not be unpacked: not a zip)" in captured.out
    assert "the grader failed on 1 student(s), not through their fault" in captured.err
