"""`python -m autograde demo`: the whole instructor pipeline on sample submissions and the embedded dataset.

1. trains a ThreeLayerConvNet with the reference library (progress bar; loss curve and filter grid as PNG),
2. builds the student release,
3. makes sample submissions (reference, untouched, typical bugs, one hostile, one as a .zip),
4. grades them in parallel on nbgrader plus the trusted library checks,
5. prints the grades and says where the report and the feedback are.
"""
import time
from pathlib import Path

from autograde.demo.submissions import make_submissions
from autograde.demo.training import train_convnet
from autograde.paths import PROJECT_ROOT


def _table(results, shown):
    rows = [("student", "points", "max", "statuses", "what it shows")]
    for result in results:
        checks = result["checks"]
        points = sum(check["points"] for check in checks)
        max_points = sum(check["max_points"] for check in checks)
        counts = {}
        for check in checks:
            counts[check["status"]] = counts.get(check["status"], 0) + 1
        statuses = " ".join(f"{status}:{count}" for status, count in sorted(counts.items()))
        rows.append((result["student"], f"{points:g}", f"{max_points:g}", statuses, shown.get(result["student"], "")))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths)) + "  " + row[4]
                     for row in rows)


def run_demo(out, *, workers=None, train=True, show_progress=True):
    """Run the demo into `out`; return the graded results (one dict per student)."""
    from autograde.grade import grade
    from autograde.release import release

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if train:
        print("1/4 Training a ThreeLayerConvNet with the reference library")
        trained = train_convnet(out / "training", progress=show_progress)
        print(f"    {trained['dataset']}")
        print(f"    train accuracy {trained['train_acc']:.2f}, best validation accuracy {trained['val_acc']:.2f} "
              f"in {trained['seconds']:.1f} s; pictures: {', '.join(trained['files'])}")
    print("2/4 Building the student release")
    release_dir = release(out=out / "release", course_dir=out / "release-course")
    print(f"    {release_dir}")
    print("3/4 Making sample submissions")
    shown = make_submissions(release_dir, out / "submissions", PROJECT_ROOT)
    for student, description in shown.items():
        print(f"    {student}: {description}")
    print("4/4 Grading them (nbgrader + trusted library checks)")
    grading = out / "grading"
    results = grade(out / "submissions", out=grading, workers=workers, show_progress=show_progress).results
    print()
    print(_table(results, shown))
    print()
    print(f"grades:   {grading / 'grades.csv'}")
    print(f"results:  {grading / 'results'}/<student>.json")
    print(f"feedback: {grading / 'feedback'}/<student>/<notebook>.html")
    print(f"report:   {grading / 'report.html'}")
    print(f"done in {time.perf_counter() - started:.0f} s")
    return results
