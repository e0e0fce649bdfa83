"""`python -m autograde demo`: the whole instructor pipeline on sample submissions and the embedded dataset.

1. trains a ThreeLayerConvNet with the reference library (progress bar; loss curve and filter grid as PNG),
2. builds the student release,
3. makes sample submissions (reference, untouched, typical bugs, one hostile, one as a .zip, one that copies a
   classmate),
4. grades them in parallel on nbgrader plus the trusted library checks, into the class record,
5. grades a late student, handed in as a Canvas bulk download, into the same record (everyone is kept),
6. exports the grades as a CSV, prints the grades and says where the report and the feedback are.
"""
import time
from pathlib import Path

from autograde.demo.submissions import make_copycat, make_late_canvas_download, make_submissions
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
    from autograde.export import export_csv
    from autograde.grade import grade
    from autograde.release import release

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if train:
        print("1/5 Training a ThreeLayerConvNet with the reference library")
        trained = train_convnet(out / "training", progress=show_progress)
        print(f"    {trained['dataset']}")
        print(f"    train accuracy {trained['train_acc']:.2f}, best validation accuracy {trained['val_acc']:.2f} "
              f"in {trained['seconds']:.1f} s; pictures: {', '.join(trained['files'])}")
    print("2/5 Building the student release")
    release_dir = release(out=out / "release", course_dir=out / "release-course")
    print(f"    {release_dir}")
    print("3/5 Making sample submissions")
    shown = make_submissions(release_dir, out / "submissions", PROJECT_ROOT)
    shown["copycat"] = make_copycat(out / "submissions", "batchnorm_unbiased_variance")
    for student, description in shown.items():
        print(f"    {student}: {description}")
    print("4/5 Grading them (nbgrader + trusted library checks)")
    grading = out / "grading"
    grade(out / "submissions", out=grading, workers=workers, show_progress=show_progress,
          on_discovery=lambda discovery: print(f"    {discovery.description}"))
    print("5/5 A late student hands in through Canvas: graded into the same class record")
    late = make_late_canvas_download(release_dir, out / "late", PROJECT_ROOT)
    batch = grade(late, out=grading, workers=workers, show_progress=show_progress,
                  on_discovery=lambda discovery: print(f"    {discovery.description}"))
    shown.update({result["student"]: "late, through a Canvas bulk download: max-pool backward overwrites"
                  for result in batch.results})
    results = batch.class_results
    export = grading / "export" / "grades.csv"
    export.parent.mkdir(parents=True, exist_ok=True)
    export_csv(grading, export)
    print()
    print(_table(results, shown))
    print()
    pending = sum(check["status"] == "pending" for result in results for check in result["checks"])
    inherited = sum(check["status"] == "inherited" for result in results for check in result["checks"])
    print(f"class record: {grading} ({len(results)} students, one maximum for everyone); {pending} written answers "
          f"to grade by hand (make formgrader OUT={grading}); {inherited} checks kept as 'inherited' (each bug "
          "costs once)")
    print(f"grades:   {grading / 'grades.csv'} (exported for an LMS: {export})")
    print(f"results:  {grading / 'results'}/<student>.json")
    print(f"feedback: {grading / 'feedback'}/<student>/index.html")
    print(f"report:   {grading / 'report.html'} (per-student table, item analysis, integrity, similar pairs)")
    print(f"done in {time.perf_counter() - started:.0f} s")
    return results
