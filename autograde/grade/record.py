"""The class record: the output folder of `grade`, which covers the whole class however many runs built it.

    OUT/course/                 the nbgrader grading course; its gradebook is the truth for scores and hand grades
    OUT/results/<student>.json  per-check results: `auto_checks` as graded, `checks` with the hand grades applied
    OUT/logs/<student>.txt      what the student's code printed in the library sandbox
    OUT/code/<student>/         the student's code (course_lib and notebook code cells), for the similarity check
    OUT/feedback/<student>/     the feedback pages (index.html and one page per notebook)
    OUT/grades.csv              one row per student of the whole class, one maximum for everyone
    OUT/report.html             the class report

`add` records a batch of freshly graded students (their files, their automatic scores in the gradebook, in one
transaction per flush); `refresh` rebuilds every student's final checks from the gradebook's hand grades, the
feedback pages, grades.csv and the report. Grading a subset therefore adds or updates those students and keeps
everyone else; re-grading keeps the grades given by hand.
"""
import contextlib
import fcntl
import shutil
from pathlib import Path

from autograde.grade import feedback, merge
from autograde.grade.results import read_student_json, read_student_jsons, write_grades_csv, write_student_json
from autograde.grade.similarity import write_student_code
from autograde.grade.submissions.roster import Roster
from autograde.nbgrader_adapter import gradebook
from autograde.nbgrader_adapter.layout import ASSIGNMENT


class RecordBusyError(RuntimeError):
    """Another `grade` run holds the class record."""


@contextlib.contextmanager
def locked(out_dir):
    """Hold the class record's lock for the block; RecordBusyError at once when another run holds it."""
    path = Path(out_dir) / ".autograde-record.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RecordBusyError(f"{out_dir} is being graded by another `grade` run; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class ClassRecord:
    """The class record in `out_dir` for the grading course `course` (a `GradingCourse`, or None when only the
    library is graded) and its graded cells."""

    def __init__(self, out_dir, course, course_cells):
        self.out_dir = Path(out_dir)
        self.course = course
        self.course_cells = course_cells
        self._unrecorded = {}

    @property
    def notebooks(self):
        return self.course.notebooks if self.course is not None else tuple(self.course_cells)

    def manual(self, students):
        """{student: {"scores", "comments"}}: the grades given by hand to each of `students` so far (sent with their
        jobs, and applied by `refresh`)."""
        if self.course is None:
            return {student: {"scores": {}, "comments": {}} for student in students}
        found = gradebook.manual_grades(self.course.db_url, ASSIGNMENT, students)
        return {student: {"scores": scores, "comments": comments} for student, (scores, comments) in found.items()}

    def _write_files(self, result):
        student = result["student"]
        # Notebooks that were not graded this time (the notebook half failed, or --only) leave the earlier graded
        # copies, nbgrader feedback and gradebook scores as they were.
        if self.course is not None and result.get("outcome") is not None:
            layout = self.course.layout
            for folder, pages, suffix in ((layout.autograded_dir(student), result.get("autograded") or {}, ".ipynb"),
                                          (layout.feedback_dir(student), result.get("nbgrader_feedback") or {},
                                           ".html")):
                shutil.rmtree(folder, ignore_errors=True)
                if pages:
                    folder.mkdir(parents=True)
                    for name, text in pages.items():
                        (folder / f"{name}{suffix}").write_text(text, encoding="utf-8")
        code_dir = self.out_dir / "code" / student
        shutil.rmtree(code_dir, ignore_errors=True)
        if result.get("code"):
            write_student_code(code_dir, result["code"])

    def add(self, result, *, partial=False):
        """Record one freshly graded student: files now, gradebook scores at the next `flush`.

        partial: the result holds only some checks (`grade --only`): they replace the same checks of the student's
        earlier result, and everything else of it stays, so the student keeps the class's maximum.
        """
        self._write_files(result)
        checks = result["checks"]
        earlier = read_student_json(self.out_dir, result["student"]) if partial else None
        if earlier is not None:
            fresh = {check["id"]: check for check in checks}
            kept = [fresh.pop(check["id"], check) for check in earlier.get("auto_checks", earlier["checks"])]
            checks = kept + list(fresh.values())
        document = {**result, "checks": checks, "auto_checks": checks}
        write_student_json(self.out_dir, document)
        if self.course is not None and result.get("outcome") is not None:
            self._unrecorded[result["student"]] = merge.gradebook_scores(result["checks"], self.course_cells,
                                                                         result["outcome"])

    def _gradebook_roster(self):
        """{student: nbgrader Student fields} from the class roster, for the gradebook (formgrader shows them)."""
        found = {}
        for entry in Roster.load(self.out_dir):
            first, _, last = entry.name.rpartition(" ") if " " in entry.name else (entry.name, "", "")
            found[entry.student] = {"first_name": first, "last_name": last, "email": entry.email,
                                    "lms_user_id": entry.lms_id}
        return found

    def flush(self):
        """Write the automatic scores of the students added since the last flush, one transaction."""
        if self._unrecorded:
            with gradebook.writer_lock(self.course.lock_path):
                gradebook.record_students(self.course.db_url, ASSIGNMENT, self._unrecorded,
                                          roster=self._gradebook_roster())
            self._unrecorded = {}

    def refresh(self, *, write_report):
        """Apply the gradebook's hand grades to every student of the record; rewrite their results, feedback pages,
        grades.csv and (through `write_report(results)`) the report. Returns the final results, sorted."""
        self.flush()
        finals = []
        documents = read_student_jsons(self.out_dir)
        by_hand = self.manual([document["student"] for document in documents])
        for document in documents:
            manual = by_hand[document["student"]]
            checks = merge.apply_manual_grades(document.get("auto_checks", document["checks"]), manual["scores"],
                                               manual["comments"], self.course_cells)
            final = {**document, "checks": checks}
            write_student_json(self.out_dir, final)
            feedback.write_student_feedback(self.out_dir / "feedback" / final["student"], final,
                                            notebooks=self.notebooks)
            finals.append(final)
        roster = {entry.student: {"name": entry.name, "lms_id": entry.lms_id} for entry in Roster.load(self.out_dir)}
        write_grades_csv(self.out_dir, finals, notebooks=self.notebooks, roster=roster)
        write_report(finals)
        return finals

