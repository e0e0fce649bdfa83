"""The check registry: what a check is, which tasks exist, and which checks are registered.

A check is one graded behaviour of one task (`layers.max_pool_backward_naive.overlapping_windows`). Its `probe(lib)` makes
its own inputs from a fixed seed, calls the code under test through `lib` and returns plain arrays
(`autograde.checks.run`); its `compare(got, expected, reveal=...)` judges those arrays against the values the
reference library produced (`autograde.checks.compare`), in the grader's trusted process.

The rest of the package: `load` imports a course_lib folder, `expected` reads the stored values, `result` is the
verdict type, `public/` and `hidden/` hold the checks. This module ships to students and runs inside the grading
sandbox: it imports the standard library and `compare` (numpy) only.
"""
import dataclasses
import importlib
import pkgutil
from pathlib import Path

from autograde.checks.compare import compare_close

NOTEBOOKS = ("FullyConnectedNets", "BatchNormalization", "Dropout", "ConvolutionalNetworks")

# Every graded course_lib task, in the order the notebooks meet them, with the notebook that grades it.
TASKS = {
    "layers.affine_forward": "FullyConnectedNets",
    "layers.affine_backward": "FullyConnectedNets",
    "layers.relu_forward": "FullyConnectedNets",
    "layers.relu_backward": "FullyConnectedNets",
    "layers.svm_loss": "FullyConnectedNets",
    "layers.softmax_loss": "FullyConnectedNets",
    "fc_net.TwoLayerNet": "FullyConnectedNets",
    "fc_net.FullyConnectedNet": "FullyConnectedNets",
    "optim.sgd_momentum": "FullyConnectedNets",
    "optim.sgd_nesterov_momentum": "FullyConnectedNets",
    "optim.rmsprop": "FullyConnectedNets",
    "optim.adam": "FullyConnectedNets",
    "layers.batchnorm_forward": "BatchNormalization",
    "layers.batchnorm_backward": "BatchNormalization",
    "layers.batchnorm_backward_alt": "BatchNormalization",
    "layers.layernorm_forward": "BatchNormalization",
    "layers.layernorm_backward": "BatchNormalization",
    "fc_net.FullyConnectedNet_normalization": "BatchNormalization",
    "layers.dropout_forward": "Dropout",
    "layers.dropout_backward": "Dropout",
    "fc_net.FullyConnectedNet_dropout": "Dropout",
    "layers.conv_forward_naive": "ConvolutionalNetworks",
    "layers.conv_backward_naive": "ConvolutionalNetworks",
    "layers.max_pool_forward_naive": "ConvolutionalNetworks",
    "layers.max_pool_backward_naive": "ConvolutionalNetworks",
    "cnn.ThreeLayerConvNet": "ConvolutionalNetworks",
    "layers.spatial_batchnorm_forward": "ConvolutionalNetworks",
    "layers.spatial_batchnorm_backward": "ConvolutionalNetworks",
    "layers.spatial_groupnorm_forward": "ConvolutionalNetworks",
    "layers.spatial_groupnorm_backward": "ConvolutionalNetworks",
}

# Tasks that grade the same class as another task, in another configuration (the same code, not a caller).
VARIANT_OF = {
    "fc_net.FullyConnectedNet_normalization": "fc_net.FullyConnectedNet",
    "fc_net.FullyConnectedNet_dropout": "fc_net.FullyConnectedNet",
}

_AFFINE_RELU_SOFTMAX = ("layers.affine_forward", "layers.affine_backward", "layers.relu_forward",
                        "layers.relu_backward", "layers.softmax_loss")
# Task -> the other tasks whose code its checks run (read from the reference course_lib, transitively): a model
# calls layers, a spatial layer calls the plain one, a backward check runs its forward to get a cache, a variant
# runs the class of its base task. A wrong function there fails these checks too; see docs/checks.md.
CALLS = {
    "layers.affine_backward": ("layers.affine_forward",),
    "layers.relu_backward": ("layers.relu_forward",),
    "fc_net.TwoLayerNet": _AFFINE_RELU_SOFTMAX,
    "fc_net.FullyConnectedNet": _AFFINE_RELU_SOFTMAX,
    "layers.batchnorm_backward": ("layers.batchnorm_forward",),
    "layers.batchnorm_backward_alt": ("layers.batchnorm_forward",),
    "layers.layernorm_backward": ("layers.layernorm_forward",),
    "fc_net.FullyConnectedNet_normalization": ("fc_net.FullyConnectedNet", *_AFFINE_RELU_SOFTMAX,
                                               "layers.batchnorm_forward", "layers.batchnorm_backward",
                                               "layers.layernorm_forward", "layers.layernorm_backward"),
    "layers.dropout_backward": ("layers.dropout_forward",),
    "fc_net.FullyConnectedNet_dropout": ("fc_net.FullyConnectedNet", *_AFFINE_RELU_SOFTMAX,
                                         "layers.dropout_forward", "layers.dropout_backward"),
    "layers.conv_backward_naive": ("layers.conv_forward_naive",),
    "layers.max_pool_backward_naive": ("layers.max_pool_forward_naive",),
    "cnn.ThreeLayerConvNet": _AFFINE_RELU_SOFTMAX,
    "layers.spatial_batchnorm_forward": ("layers.batchnorm_forward",),
    "layers.spatial_batchnorm_backward": ("layers.spatial_batchnorm_forward", "layers.batchnorm_forward",
                                          "layers.batchnorm_backward"),
    "layers.spatial_groupnorm_backward": ("layers.spatial_groupnorm_forward",),
}

CHECKS_DIR = Path(__file__).resolve().parent

# Lib attribute -> module path inside a course_lib folder.
LIB_MODULES = {
    "layers": "layers",
    "fast_layers": "fast_layers",
    "layer_utils": "layer_utils",
    "fc_net": "classifiers.fc_net",
    "cnn": "classifiers.cnn",
    "optim": "optim",
    "solver": "solver",
    "gradient_check": "gradient_check",
}


@dataclasses.dataclass(frozen=True)
class Check:
    """One graded behaviour of one task.

    - id: `<task>.<case>`, e.g. `layers.affine_forward.notebook_case`.
    - task: the task id (`layers.affine_forward`); notebook: the notebook whose test cell grades it.
    - points: what passing earns.
    - probe: probe(lib) -> dict of output name -> array; runs the code under test.
    - compare: compare(got, expected, reveal=True) -> (ok, detail); `reveal=False` (hidden checks) keeps expected
      values out of the detail.
    - hidden: True for checks that never ship to students.
    - hint: what to look at when the check fails.
    - case: the behaviour and inputs in words ("stride 2, pad 0, non-square 7x5 input"), shown in every message.
    - stored: the probe outputs kept as expected values (None: all of them; () for checks that judge properties).
    - repeats: for a hidden check, the cases of the public checks of its task whose behaviour it tests on other
      values (a hidden check never grades a kind of behaviour that no public check shows).
    """

    id: str
    task: str
    notebook: str
    points: int
    probe: object
    compare: object
    hidden: bool
    hint: str
    case: str = ""
    stored: tuple = None
    repeats: tuple = ()

    @property
    def function(self):
        """The name a student knows the task by: `affine_forward`, `FullyConnectedNet`."""
        return VARIANT_OF.get(self.task, self.task).split(".", 1)[1]


class CheckDefinitionError(Exception):
    """A check module registers something inconsistent (unknown task, duplicate id)."""


_REGISTRY = {}
_LOADED_PACKAGES = set()


def register(check_id, *, points=1, hint, case="", compare=None, stored=None, hidden=None, repeats=()):
    """Decorator that registers probe(lib) as the check `check_id` and returns the probe unchanged.

    The task is `check_id` without its last part and must be in TASKS. `hidden` defaults to whether the probe
    lives in the `hidden` package. `compare` defaults to compare_close(). A hidden check names in `repeats` the
    cases of its task's public checks whose behaviour it repeats on other values; a public check names none.
    """
    task, _, case_name = check_id.rpartition(".")
    if task not in TASKS or not case_name:
        raise CheckDefinitionError(
            f"check id {check_id!r} must be '<task>.<case>' with a task from spec.TASKS ({', '.join(TASKS)})"
        )

    def decorator(probe):
        is_hidden = ".hidden." in probe.__module__ if hidden is None else hidden
        if is_hidden != bool(repeats):
            raise CheckDefinitionError(f"check {check_id!r}: a hidden check names the public cases it repeats "
                                       "(repeats=...), a public check names none")
        if check_id in _REGISTRY and _REGISTRY[check_id].probe.__module__ != probe.__module__:
            raise CheckDefinitionError(f"check id {check_id!r} is registered twice")
        _REGISTRY[check_id] = Check(
            id=check_id,
            task=task,
            notebook=TASKS[task],
            points=points,
            probe=probe,
            compare=compare or compare_close(),
            hidden=is_hidden,
            hint=hint,
            case=case,
            stored=None if stored is None else tuple(stored),
            repeats=tuple(repeats),
        )
        return probe

    return decorator


def hidden_available():
    """True when the hidden checks are present (the instructor's side; the student release has none)."""
    return (CHECKS_DIR / "hidden" / "__init__.py").is_file()


def _load_package(name):
    if name in _LOADED_PACKAGES:
        return
    package = importlib.import_module(f"{__package__}.{name}")
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
        if module_info.name.startswith("_"):
            continue
        importlib.import_module(f"{package.__name__}.{module_info.name}")
    _LOADED_PACKAGES.add(name)


def _want_hidden(hidden):
    if hidden is None:
        return hidden_available()
    if hidden and not (CHECKS_DIR / "hidden" / "__init__.py").is_file():
        raise FileNotFoundError(f"hidden checks requested but {CHECKS_DIR / 'hidden'} is absent (a student release?)")
    return bool(hidden)


def all_checks(*, hidden=None):
    """Every registered check in task order (TASKS), public before hidden within a task.

    hidden: None includes the hidden checks when they are present, True requires them, False leaves them out.
    """
    _load_package("public")
    if _want_hidden(hidden):
        _load_package("hidden")
        include_hidden = True
    else:
        include_hidden = False
    task_order = {task: index for index, task in enumerate(TASKS)}
    checks = [check for check in _REGISTRY.values() if include_hidden or not check.hidden]
    return sorted(checks, key=lambda check: (task_order[check.task], check.hidden))


def checks_for(task, *, hidden=None):
    """The checks of one task (or, given a check id, that one check). Raises KeyError for an unknown id."""
    checks = all_checks(hidden=hidden)
    selected = [check for check in checks if check.task == task or check.id == task]
    if not selected:
        raise KeyError(f"unknown task or check {task!r}; known tasks: {', '.join(tasks())}")
    return selected


def tasks(notebook=None):
    """Task ids in notebook order, all of them or those of one notebook."""
    if notebook is not None and notebook not in NOTEBOOKS:
        raise KeyError(f"unknown notebook {notebook!r}; known notebooks: {', '.join(NOTEBOOKS)}")
    return [task for task, owner in TASKS.items() if notebook is None or owner == notebook]


def task_points(task, *, hidden=None):
    """Points of a task: the sum over its checks (what the nbgrader test cell of the task is worth)."""
    return sum(check.points for check in checks_for(task, hidden=hidden))


def tasks_calling(task):
    """The tasks whose checks also run `task`'s code (see CALLS), in task order."""
    return [caller for caller in TASKS if task in CALLS.get(caller, ())]


def grade_id_for(task):
    """nbgrader grade_id of the test cell that grades `task`: `layers.affine_forward` -> `layers-affine_forward`."""
    return task.replace(".", "-")


def task_for_grade_id(grade_id):
    """Inverse of grade_id_for."""
    return grade_id.replace("-", ".")
