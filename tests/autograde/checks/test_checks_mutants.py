"""Every mutant (one bug in an otherwise correct course_lib, tests/autograde/checks/mutants.py) loses points in its
own task, in at least one PUBLIC check of it (a student can see every kind of bug before grading), and outside its
task only in the tasks whose checks run the broken code (spec.CALLS): the set the mutant declares."""
import pytest

from autograde.checks import spec
from course_lib_copies import course_lib_with, failing_checks
from solutions import BASE
from mutants import MUTANTS, ZERO_OUTPUTS, ZERO_OUTPUTS_STILL_RIGHT


@pytest.fixture(scope="module")
def failures(tmp_path_factory):
    cache = {}

    def failing(mutant):
        if mutant.name not in cache:
            cache[mutant.name] = failing_checks(course_lib_with(tmp_path_factory.mktemp("mutant"), mutant.sources()))
        return cache[mutant.name]

    return failing


def _task(check_id):
    return check_id.rsplit(".", 1)[0]


@pytest.mark.parametrize("mutant", MUTANTS, ids=[mutant.name for mutant in MUTANTS])
def test_a_mutant_fails_a_public_check_of_its_own_task(failures, mutant):
    own = [check_id for check_id in failures(mutant) if _task(check_id) == mutant.task]
    assert any(not spec.checks_for(check_id, hidden=True)[0].hidden for check_id in own), own


@pytest.mark.parametrize("mutant", MUTANTS, ids=[mutant.name for mutant in MUTANTS])
def test_a_mutant_costs_points_elsewhere_only_in_the_tasks_that_run_its_code(failures, mutant):
    others = {_task(check_id) for check_id in failures(mutant)} - {mutant.task}
    assert others == mutant.also_fails
    assert others <= set(spec.tasks_calling(mutant.task))


@pytest.mark.parametrize("task", sorted(ZERO_OUTPUTS))
def test_a_function_returning_zeros_earns_no_point_of_its_task_property_checks_included(tmp_path, task):
    relative, source = ZERO_OUTPUTS[task]
    failing = failing_checks(course_lib_with(tmp_path, BASE, {relative: source}))
    passing = {check.id for check in spec.checks_for(task, hidden=True)} - set(failing)
    assert passing == ZERO_OUTPUTS_STILL_RIGHT.get(task, set())


def test_the_corpus_has_a_mutant_in_every_kind_of_task():
    assert {mutant.task for mutant in MUTANTS} >= {task for task in spec.TASKS
                                                   if task not in ("layers.batchnorm_backward_alt",
                                                                   "layers.layernorm_backward",
                                                                   "layers.spatial_batchnorm_backward",
                                                                   "layers.spatial_groupnorm_backward")}


def _mutant(name):
    return next(mutant for mutant in MUTANTS if mutant.name == name)


@pytest.mark.parametrize("name, check_id, words", [
    ("relu_backward writing into dout", "layers.relu_backward.float32_4d_inputs_unmodified",
     "dout was changed in place by relu_backward: build a new array (e.g. dx = dout * mask"),
    ("relu_forward writing into x", "layers.relu_forward.random_4d_inputs_unmodified",
     "x was changed in place by relu_forward: compute into a new array"),
    ("softmax_loss taking np.log of the probabilities", "layers.softmax_loss.large_logits",
     "loss is inf: log of an underflowed probability"),
    ("softmax_loss without the max shift", "layers.softmax_loss.large_logits",
     "np.exp overflowed; subtract each row's maximum before np.exp"),
    ("affine_backward with db of shape (1, M)", "layers.affine_backward.gradient_case",
     "db has shape (1, 5), expected (5,): return a 1-d array, e.g. dout.sum(axis=0)"),
    ("sgd_momentum writing into dw", "optim.sgd_momentum.three_steps_default_and_custom_config",
     "dw was changed in place by sgd_momentum (step 1)"),
    ("batchnorm_backward scaling the cached xhat in place", "layers.batchnorm_backward.eps_inputs_unmodified",
     "calling batchnorm_backward a second time with the same cache gave another dx: the first call changed the "
     "cache in place"),
    ("softmax_loss shifting x in place", "layers.softmax_loss.other_shape_inputs_unmodified",
     "x was changed in place by softmax_loss"),
])
def test_a_mutant_is_told_its_real_cause(failures, name, check_id, words):
    assert words in failures(_mutant(name))[check_id]
