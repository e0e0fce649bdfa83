"""nbgrader's own grade export: `nbgrader export` run in the class record's nbgrader course (`OUT/course`, whose
gradebook is `OUT/course/gradebook.db` unless grading was given another database)."""
import shutil
import tempfile
from pathlib import Path

from autograde.export.grades import ExportError
from autograde.nbgrader_adapter.layout import CourseLayout

COURSE_DIR = "course"


def check_course(out_dir, db_url=None):
    """The nbgrader course of `out_dir`; ExportError when it (or its SQLite gradebook) is missing."""
    layout = CourseLayout(Path(out_dir) / COURSE_DIR)
    if not layout.root.is_dir():
        raise ExportError(f"{layout.root} does not exist; grade with the notebooks (`python -m autograde grade "
                          f"SUBMISSIONS --out {out_dir}`) first")
    gradebook = Path(layout.default_db_url.removeprefix("sqlite:///"))
    if db_url is None and not gradebook.is_file():
        raise ExportError(f"{gradebook} does not exist; grade with the notebooks first, or pass the gradebook's URL "
                          "with --db")
    return layout


def export_nbgrader_csv(out_dir, path, *, db_url=None):
    """Run `nbgrader export` in `out_dir/course` and copy the grades.csv it writes to `path`; return report
    lines. Its columns are nbgrader's: assignment, duedate, timestamp, student_id, last_name, first_name,
    email, raw_score, late_submission_penalty, score, max_score."""
    from autograde.nbgrader_adapter.process import NbgraderError, run_nbgrader

    layout = check_course(out_dir, db_url)
    with tempfile.TemporaryDirectory(prefix="autograde-export-") as scratch:
        exported = Path(scratch) / "grades.csv"
        arguments = ["export", f"--to={exported}"] + ([f"--db={db_url}"] if db_url else [])
        try:
            run_nbgrader(arguments, layout=layout)
        except NbgraderError as error:
            raise ExportError(str(error).splitlines()[0] + " " + " ".join(str(error).splitlines()[-1:])) from None
        if not exported.is_file():
            raise ExportError(f"`nbgrader export` in {layout.root} wrote no grades.csv; run it there by hand to see "
                              "why")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(exported, path)
    rows = len(Path(path).read_text(encoding="utf-8").splitlines()) - 1
    return [f"nbgrader export: {rows} rows (one per student and assignment of the gradebook)"]
