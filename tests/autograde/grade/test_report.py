"""report.html from synthetic results: statistics, plots, pass rates, common failures, students to look at."""
import re

from autograde.grade import report


def student(name, statuses, message="wrong sign"):
    checks = [{"id": f"layers.relu_forward.case{index}", "task": "layers.relu_forward", "notebook": "FC",
               "status": status, "points": 1.0 if status == "pass" else 0.0, "max_points": 1.0,
               "message": "" if status == "pass" else message} for index, status in enumerate(statuses)]
    checks.append({"id": "nb.Conv.filters", "task": "nb.Conv.filters", "notebook": "Conv", "status": "pass",
                   "points": 2.0, "max_points": 2.0, "message": ""})
    return {"student": name, "checks": checks, "error": ""}


RESULTS = [student("a", ["pass", "pass", "pass"]), student("b", ["pass", "fail", "fail"]),
           student("c", ["pass", "fail", "tampered"], message="<img src=x onerror=alert(1)>"),
           student("d", ["missing", "missing", "missing"], message="course_lib/layers.py was not found")]


def test_class_statistics_of_totals():
    assert report.class_statistics(RESULTS) == {"students": 4, "mean": 3.25, "median": 3.0, "min": 2.0, "max": 5.0,
                                                "max_points": 5.0}


def test_pass_rates_and_most_common_failures():
    assert report.pass_rates(RESULTS)[:3] == [("layers.relu_forward.case0", 3, 4),
                                              ("layers.relu_forward.case1", 1, 4),
                                              ("layers.relu_forward.case2", 1, 4)]
    assert report.common_failures(RESULTS)[0] == ("layers.relu_forward.case1", 3, "wrong sign")


def test_notebook_averages_in_the_given_order():
    assert report.notebook_averages(RESULTS, ["Conv", "FC"]) == [("Conv", 2.0, 2.0), ("FC", 1.25, 3.0)]


def test_report_embeds_plots_and_flags_students_who_need_a_look(tmp_path):
    path = report.write_report(tmp_path / "report.html", RESULTS, notebooks=["FC", "Conv"])
    text = path.read_text()
    images = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", text)
    assert len(images) == 2 and all(len(image) > 1000 for image in images)
    assert "2 student(s) need a look</strong>" in text and ": c, d." in text
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<td>d</td><td>missing</td><td>layers.relu_forward.case0</td>" in text


def test_report_of_an_empty_class_has_no_plots(tmp_path):
    text = report.write_report(tmp_path / "report.html", []).read_text()
    assert "data:image/png" not in text and "<td class='number'>0</td>" in text
