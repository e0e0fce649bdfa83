"""Correct solutions written every way CS231n allows earn full marks: loops or vectorised code, other cache layouts
(a dict, another tuple order, the padded x, the pooling argmax masks), other dropout mask draws (np.random.rand,
binomial, choice; bool or float masks), softmax through log-sum-exp, update rules that change w in place or not,
group-norm gradients of shape (C,)."""
import numpy as np
import pytest

from course_lib_copies import course_lib_with, failing_checks
from solution_variants import VARIANTS
from solutions import BASE


def test_the_base_corpus_of_independent_solutions_passes_every_check(tmp_path):
    assert failing_checks(course_lib_with(tmp_path, BASE)) == {}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_correct_solution_written_another_way_passes_every_check(tmp_path, variant):
    assert failing_checks(course_lib_with(tmp_path, BASE, VARIANTS[variant])) == {}


def test_update_rules_of_the_base_corpus_change_w_in_place_and_still_earn_full_marks(tmp_path):
    lib = course_lib_with(tmp_path, BASE)
    w, dw = np.ones(3), np.full(3, 0.5)
    for rule in ("sgd_momentum", "sgd_nesterov_momentum", "rmsprop", "adam"):
        before = w.copy()
        next_w, _ = getattr(lib.optim, rule)(w, dw, None)
        assert next_w is w and not (w == before).all(), rule
