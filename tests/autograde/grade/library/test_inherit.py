"""Each bug costs once: checks that fail only because a function they call is wrong keep their points as
`inherited` and name the function to fix; a task's own bug still costs it; a hang in a forward costs only the
forward (real sandboxed re-runs with the reference upstream)."""
import pytest
from library_submissions import make_submission

from autograde.checks import spec
from autograde.checks.expected import load_all_expected
from autograde.grade.library import run_library_checks
from autograde.grade.library.inherit import inherit

SOFTMAX_NOT_AVERAGED = {"layers/losses.py": """
    _averaged_softmax_loss = softmax_loss


    def softmax_loss(x, y):
        loss, dx = _averaged_softmax_loss(x, y)
        return loss, dx * x.shape[0]
"""}
CONV_FORWARD_HANGS = {"layers/conv.py": """
    def conv_forward_naive(x, w, b, conv_param):
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        while True:
            pass
"""}
# An affine layer with its own cache layout (w, x, b) and a forward that crashes (a typo): its backward would be
# right for its own cache.
AFFINE_OWN_LAYOUT_WRONG_FORWARD = {"layers/affine.py": """
    def affine_forward(x, w, b):
        out = x.reshape(x.shape[0], -1) @ w + bias
        return out, (w, x, b)


    def affine_backward(dout, cache):
        w, x, b = cache
        dx = (dout @ w.T).reshape(x.shape)
        return dx, x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)
"""}


def graded(tmp_path, append, tasks, *, penalize=False, timeout=5.0):
    student = make_submission(tmp_path, "student", append=append)
    checks = [check for check in spec.all_checks(hidden=True) if check.task in tasks]
    expected = load_all_expected()
    results, _ = run_library_checks(student, checks, expected, scratch_dir=tmp_path / "first", timeout=timeout)
    final = inherit(results, checks, expected, student_dir=student, scratch_dir=tmp_path / "rerun", timeout=timeout,
                    penalize=penalize)
    by_task = {}
    for result in final:
        by_task.setdefault(result.task, []).append(result)
    return by_task


@pytest.mark.slow
def test_a_wrong_softmax_costs_its_own_points_and_the_models_keep_theirs_naming_it(tmp_path, bwrap):
    by_task = graded(tmp_path, SOFTMAX_NOT_AVERAGED, {"layers.softmax_loss", "fc_net.TwoLayerNet"})
    assert {result.status for result in by_task["layers.softmax_loss"]} == {"fail"}
    model = by_task["fc_net.TwoLayerNet"]
    inherited = [result for result in model if result.status == "inherited"]
    assert inherited and {result.status for result in model} == {"pass", "inherited"}
    assert sum(result.points for result in model) == sum(result.max_points for result in model)
    assert all("fix softmax_loss first" in result.message for result in inherited)


@pytest.mark.slow
def test_with_penalize_the_models_lose_their_points_and_still_name_the_upstream_function(tmp_path, bwrap):
    by_task = graded(tmp_path, SOFTMAX_NOT_AVERAGED, {"layers.softmax_loss", "fc_net.TwoLayerNet"}, penalize=True)
    failed = [result for result in by_task["fc_net.TwoLayerNet"] if result.status != "pass"]
    assert failed and {result.status for result in failed} == {"fail"} and sum(result.points for result in failed) == 0
    assert all("passes with the reference softmax_loss" in result.message for result in failed)


@pytest.mark.slow
def test_a_forward_that_hangs_costs_only_the_forward_its_backward_is_graded_with_the_reference_cache(tmp_path, bwrap):
    by_task = graded(tmp_path, CONV_FORWARD_HANGS, {"layers.conv_forward_naive", "layers.conv_backward_naive"},
                     timeout=2.0)
    assert {result.status for result in by_task["layers.conv_forward_naive"]} == {"timeout"}
    backward = by_task["layers.conv_backward_naive"]
    assert {result.status for result in backward} == {"inherited"}
    assert sum(result.points for result in backward) == sum(result.max_points for result in backward)


@pytest.mark.slow
def test_a_backward_that_reads_its_own_cache_layout_fails_with_the_reference_cache_and_says_why(tmp_path, bwrap):
    by_task = graded(tmp_path, AFFINE_OWN_LAYOUT_WRONG_FORWARD, {"layers.affine_forward", "layers.affine_backward"})
    assert {result.status for result in by_task["layers.affine_forward"]} == {"error"}
    failed = [result for result in by_task["layers.affine_backward"] if result.status != "pass"]
    assert failed and all(result.points == 0 for result in failed)
    assert all("cache" in result.message and "affine_forward" in result.message for result in failed)


@pytest.mark.slow
def test_a_task_with_a_bug_of_its_own_keeps_its_failure(tmp_path, bwrap):
    both_wrong = {**SOFTMAX_NOT_AVERAGED, "classifiers/fc_net.py": """
        _honest_two_layer_loss = TwoLayerNet.loss


        def _loss_without_regularisation(self, X, y=None):
            result = _honest_two_layer_loss(self, X, y)
            if y is None:
                return result
            loss, grads = result
            return loss + 1.0, grads


        TwoLayerNet.loss = _loss_without_regularisation
    """}
    by_task = graded(tmp_path, both_wrong, {"layers.softmax_loss", "fc_net.TwoLayerNet"})
    failing = [result for result in by_task["fc_net.TwoLayerNet"] if result.status != "pass"]
    assert failing and {result.status for result in failing} == {"fail"}
    assert all("TwoLayerNet itself needs a fix" in result.message for result in failing)
