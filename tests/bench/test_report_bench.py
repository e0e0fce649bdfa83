"""The report benchmark's synthetic class: results with the variety a report must show, and code in which only
the planted copies are alike. Nothing here is timed: the measurement itself is `python -m bench.report`."""
import ast
import collections

from autograde.grade import similarity
from bench import report


def test_synthetic_results_vary_like_a_class_and_are_reproducible():
    results = report.synthetic_results(60)
    assert [result["student"] for result in results] == [f"s{number:04d}" for number in range(1, 61)]
    statuses = collections.Counter(check["status"] for result in results for check in result["checks"])
    assert {"pass", "fail", "error", "missing"} <= set(statuses) and statuses["pass"] > statuses["fail"]
    totals = {sum(check["points"] for check in result["checks"]) for result in results}
    assert len(totals) > 20
    assert any(result["manual_pending"] for result in results)
    assert report.synthetic_results(60) == results


def test_synthetic_code_parses_and_the_planted_copies_are_the_most_similar_pairs(tmp_path):
    """In a class this small every student shares half of the reference's lines with half of the others (the
    idiom filter needs more than 10 students); the 300-student run of the bench flags the copies only."""
    boilerplate, planted = report.synthetic_code(tmp_path / "code", 12, copies=2)
    for path in (tmp_path / "code").rglob("course_lib/**/*.py"):
        ast.parse(path.read_text())
    assert set(similarity.read_student_code(tmp_path / "code" / "s0001")) == set(boilerplate)
    pairs = similarity.find_similar(tmp_path / "code", boilerplate_files=boilerplate)
    assert planted and {(pair.a, pair.b) for pair in pairs[:len(planted)]} == set(planted)
    assert all(pair.score == 1.0 for pair in pairs[:len(planted)])
    assert all(pair.score < 0.6 for pair in pairs[len(planted):])
