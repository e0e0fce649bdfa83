"""`report.html`: the class report, one self-contained page for the whole class (every student graded into the
output folder), written again after every grading run.

From top to bottom: a summary (students, mean, median, range, a histogram of totals, means per notebook,
answers still to grade by hand), the students who need a look (one row each, with the reasons), a sortable and
filterable table of every student (points per notebook, pending answers, flags, a link to their feedback), the
checks by pass rate with an item analysis (discrimination index), the manual grading still pending, the
integrity signals (autograde/grade/integrity) and the pairs of similar code (autograde/grade/similarity).
"""
import datetime
import json
from pathlib import Path

from autograde.grade import integrity as integrity_signals
from autograde.grade import similarity as code_similarity
from autograde.grade.report import analysis, page

TITLE = "Class report"


def _generated_text(generated):
    if generated is None:
        generated = datetime.datetime.now().astimezone()
    if isinstance(generated, datetime.datetime):
        return generated.strftime("%Y-%m-%d %H:%M %Z").strip()
    return str(generated)


def report_html(results, *, notebooks=(), feedback_root="feedback", similarity=None, integrity=None,
                generated=None, similarity_root="similarity"):
    """The report of `results` (student result dicts) as one HTML page; the arguments are write_report's."""
    rows = analysis.student_rows(results, notebooks, integrity=integrity, similarity=similarity)
    order = analysis.notebook_order(rows, notebooks)
    summary = analysis.class_summary(rows, order)
    looks = analysis.needs_a_look(rows)
    stats = analysis.item_analysis(results)
    pending_students, answers = analysis.pending_summary(rows)
    pairs = list(similarity or [])
    flagged = sum(bool(row.signals) for row in rows)
    navigation = [("summary", "Summary"), ("look", f"Needs a look ({len(looks)})"),
                  ("students-section", "Students"), ("checks", "Checks"),
                  ("pending", f"Manual grading ({len(answers)})"), ("integrity", f"Integrity ({flagged})"),
                  ("similarity", f"Similar code ({len(pairs)})")]
    sections = [
        page.summary_section(summary, [row.total for row in rows], len(answers), pending_students),
        page.look_section(looks, feedback_root),
        page.students_section(rows, order, feedback_root),
        page.checks_section(stats),
        page.pending_section(rows),
        page.integrity_section(rows, feedback_root),
        page.similarity_section(pairs, similarity_root, code_similarity.side_by_side_name),
    ]
    return page.page(TITLE, _generated_text(generated), navigation, sections)


def write_report(path, results, *, notebooks, feedback_root="feedback", similarity=None, integrity=None,
                 generated=None, similarity_root="similarity"):
    """Write the class report of `results` (every student's result dict) to `path`; returns the path.

    notebooks: the notebooks in column order; feedback_root and similarity_root: the folders of the students'
    feedback (`<root>/<student>/index.html`) and of the side-by-side pages of similar pairs, relative to the
    report's folder; similarity: [SimilarPair] (similarity.find_similar); integrity: {student: [Signal]}
    (integrity.signals_for); generated: when (a datetime or text; default: now).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_html(results, notebooks=notebooks, feedback_root=feedback_root, similarity=similarity,
                                integrity=integrity, generated=generated, similarity_root=similarity_root),
                    encoding="utf-8")
    return path


def class_results(out_dir):
    """The result dicts of every student graded into `out_dir` (`results/<student>.json`), sorted by student."""
    paths = sorted((Path(out_dir) / "results").glob("*.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]


def write_class_report(out_dir, *, notebooks, boilerplate_files, results=None, known_root=None,
                       threshold=code_similarity.DEFAULT_THRESHOLD, generated=None):
    """Everything the class report needs, from the class record in `out_dir`, then `out_dir/report.html`.

    results: the whole class's result dicts (default: class_results(out_dir)); boilerplate_files: the release's
    code ({relative path: text}, similarity.student_code(release_dir)), left out of both the code scan and the
    similarity; known_root: a folder of known public solutions (or None). Reads `logs/<student>.txt` and
    `code/<student>/`, writes `similarity/<a>--<b>.html` for every flagged pair. Returns the report's path.
    """
    out_dir = Path(out_dir)
    results = class_results(out_dir) if results is None else results
    code_root = out_dir / "code"
    signals = {}
    for result in results:
        student = result["student"]
        log_path = out_dir / "logs" / f"{student}.txt"
        log_text = log_path.read_text(encoding="utf-8", errors="replace") if log_path.is_file() else ""
        code = code_similarity.read_student_code(code_root / student) if (code_root / student).is_dir() else {}
        signals[student] = integrity_signals.signals_for(result, code, log_text, baseline_files=boilerplate_files)
    pairs = []
    if code_root.is_dir():
        pairs = code_similarity.find_similar(code_root, boilerplate_files=boilerplate_files, known_root=known_root,
                                             threshold=threshold)
        for pair in pairs:
            code_similarity.write_side_by_side(pair, out_dir / "similarity")
    return write_report(out_dir / "report.html", results, notebooks=notebooks, similarity=pairs,
                        integrity=signals, generated=generated)
