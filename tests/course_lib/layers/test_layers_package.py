"""The layers package: its public names, its solution markers, and what the student stubs still check."""
import importlib
import re
import types
from pathlib import Path

import numpy as np
import pytest

import course_lib.layers
from course_lib import layers

LAYER_MODULES = ["affine", "losses", "batchnorm", "layernorm", "dropout", "conv", "pooling"]
PACKAGE_DIR = Path(layers.__file__).parent
REGION = re.compile(r"^( *)### BEGIN SOLUTION\n.*?^ *### END SOLUTION\n", re.MULTILINE | re.DOTALL)


def _public_functions(module):
    return {
        name
        for name, value in vars(module).items()
        if isinstance(value, types.FunctionType) and not name.startswith("_") and value.__module__ == module.__name__
    }


def test_package_reexports_every_public_function_of_its_modules():
    expected = set()
    for module_name in LAYER_MODULES:
        expected |= _public_functions(importlib.import_module(f"course_lib.layers.{module_name}"))
    assert set(layers.__all__) == expected
    assert len(layers.__all__) == len(expected) == 21
    assert course_lib.layers.affine_forward is importlib.import_module("course_lib.layers.affine").affine_forward


def test_star_import_gives_the_cs231n_names():
    namespace = {}
    exec("from course_lib.layers import *", namespace)
    assert {"affine_forward", "conv_backward_naive", "spatial_groupnorm_backward", "softmax_loss"} <= set(namespace)


@pytest.mark.parametrize("module_name", LAYER_MODULES)
def test_every_forward_and_backward_has_one_solution_region_below_its_todo_lines(module_name):
    source = (PACKAGE_DIR / f"{module_name}.py").read_text()
    module = importlib.import_module(f"course_lib.layers.{module_name}")
    lines = source.splitlines()
    begins = [number for number, line in enumerate(lines) if line.strip() == "### BEGIN SOLUTION"]
    ends = [number for number, line in enumerate(lines) if line.strip() == "### END SOLUTION"]

    assert len(begins) == len(ends) == len(_public_functions(module))
    for begin, end in zip(begins, ends):
        assert begin < end and all(later > end for later in begins if later > begin)  # not nested
        assert lines[begin].startswith("    ")  # inside a function body
        todo = begin - 1
        while lines[todo].strip().startswith("#   "):  # the instructions go on below the TODO line
            todo -= 1
        assert lines[todo].strip().startswith("# TODO [layers.")


def _stub_module(module_name):
    """The module as students receive it: every solution region replaced by a NotImplementedError."""
    source = (PACKAGE_DIR / f"{module_name}.py").read_text()
    stubbed = REGION.sub(lambda match: f'{match.group(1)}raise NotImplementedError("stub")\n', source)
    module = types.ModuleType(f"course_lib.layers.{module_name}_student")
    exec(compile(stubbed, f"{module_name}_student.py", "exec"), module.__dict__)
    return module


def _x4(shape=(2, 3, 4, 4)):
    return np.zeros(shape)


AFFINE_CACHE = (np.zeros((2, 3)), np.zeros((3, 4)), np.zeros(4))
CONV_CACHE = (_x4(), np.zeros((2, 3, 3, 3)), np.zeros(2), {"stride": 1, "pad": 1})
POOL_CACHE = (_x4(), {"pool_height": 2, "pool_width": 2, "stride": 2})
DROPOUT_CACHE = ({"mode": "train", "p": 0.5}, np.ones((2, 3)))
LABELS = np.array([0, 1])
GN_GAMMA = np.ones((1, 3, 1, 1))

# (module, function, valid arguments, invalid arguments, what the ValueError must name)
STUB_CASES = [
    ("affine", "affine_forward", (np.zeros((2, 3)), np.zeros((3, 4)), np.zeros(4)),
     (np.zeros((2, 3)), np.zeros((3, 4)), np.zeros(5)), "b must have shape"),
    ("affine", "affine_backward", (np.zeros((2, 4)), AFFINE_CACHE), (np.zeros((2, 5)), AFFINE_CACHE), "dout"),
    ("affine", "relu_forward", (np.zeros(3),), ([0.0],), "x must be a numpy array"),
    ("affine", "relu_backward", (np.zeros(3), np.zeros(3)), (np.zeros(4), np.zeros(3)), "dout"),
    ("losses", "svm_loss", (np.zeros((2, 3)), LABELS), (np.zeros((2, 3)), np.array([0, 3])), "y must hold labels"),
    ("losses", "softmax_loss", (np.zeros((2, 3)), LABELS), (np.zeros(3), LABELS), "x must have 2 dimensions"),
    ("batchnorm", "batchnorm_forward", (np.zeros((2, 3)), np.ones(3), np.zeros(3), {"mode": "train"}),
     (np.zeros((2, 3)), np.ones(3), np.zeros(3), {"mode": "predict"}), "mode"),
    ("batchnorm", "batchnorm_backward", (np.zeros((2, 3)), ()), (np.zeros((2, 3)), None), "cache is None"),
    ("batchnorm", "batchnorm_backward_alt", (np.zeros((2, 3)), ()), (np.zeros(3), ()), "dout must have 2 dim"),
    ("batchnorm", "spatial_batchnorm_forward", (_x4(), np.ones(3), np.zeros(3), {"mode": "test"}),
     (_x4(), np.ones(3), np.zeros(3), {}), "mode"),
    ("batchnorm", "spatial_batchnorm_backward", (_x4(), ()), (np.zeros((2, 3)), ()), "dout must have 4 dim"),
    ("layernorm", "layernorm_forward", (np.zeros((2, 3)), np.ones(3), np.zeros(3), {}),
     (np.zeros((2, 3)), np.ones(2), np.zeros(3), {}), "gamma"),
    ("layernorm", "layernorm_backward", (np.zeros((2, 3)), ()), (np.zeros(3), ()), "dout"),
    ("layernorm", "spatial_groupnorm_forward", (_x4(), GN_GAMMA, GN_GAMMA, 3, {}),
     (_x4(), GN_GAMMA, GN_GAMMA, 2, {}), "G=2 must divide"),
    ("layernorm", "spatial_groupnorm_backward", (_x4(), ()), (np.zeros(3), ()), "dout"),
    ("dropout", "dropout_forward", (np.zeros((2, 3)), {"mode": "train", "p": 0.5}),
     (np.zeros((2, 3)), {"mode": "train", "p": 2.0}), r"dropout_param\['p'\]"),
    ("dropout", "dropout_backward", (np.zeros((2, 3)), DROPOUT_CACHE), (np.zeros((3, 2)), DROPOUT_CACHE), "dout"),
    ("conv", "conv_forward_naive", (_x4(), np.zeros((2, 3, 3, 3)), np.zeros(2), {"stride": 1, "pad": 1}),
     (_x4(), np.zeros((2, 3, 3, 3)), np.zeros(2), {"stride": 2, "pad": 0}), "stride"),
    ("conv", "conv_backward_naive", (_x4((2, 2, 4, 4)), CONV_CACHE), (_x4(), CONV_CACHE), "dout"),
    ("pooling", "max_pool_forward_naive", (_x4(), {"pool_height": 2, "pool_width": 2, "stride": 2}),
     (_x4(), {"pool_height": 2, "pool_width": 2, "stride": 3}), "stride"),
    ("pooling", "max_pool_backward_naive", (_x4((2, 3, 2, 2)), POOL_CACHE), (_x4(), POOL_CACHE), "dout"),
]


@pytest.mark.parametrize(
    ("module_name", "function_name", "valid_args", "invalid_args", "message"),
    STUB_CASES,
    ids=[case[1] for case in STUB_CASES],
)
def test_student_stub_still_validates_its_arguments(module_name, function_name, valid_args, invalid_args, message):
    stub = getattr(_stub_module(module_name), function_name)
    with pytest.raises(NotImplementedError):
        stub(*valid_args)
    with pytest.raises(ValueError, match=f"{function_name}: .*{message}"):
        stub(*invalid_args)


def test_stub_cases_cover_every_public_function():
    assert {case[1] for case in STUB_CASES} == set(layers.__all__)


# (module, function, arguments): a backward pass given a cache laid out otherwise than its forward pass builds it
OTHER_CACHE_LAYOUTS = [
    ("affine", "affine_backward", (np.zeros((2, 5)), (np.zeros((2, 3)), (2, 3), np.zeros((3, 4)), np.zeros(4)))),
    ("affine", "relu_backward", (np.zeros(3), {"x": np.zeros(4)})),
    ("conv", "conv_backward_naive", (_x4((2, 2, 4, 4)), {"x": _x4(), "conv_param": {"stride": 1, "pad": 1}})),
    ("pooling", "max_pool_backward_naive", (_x4((2, 3, 2, 2)), (POOL_CACHE, "extra"))),
    ("dropout", "dropout_backward", (np.zeros((2, 3)), np.ones((2, 3)))),
]


@pytest.mark.parametrize(("module_name", "function_name", "args"), OTHER_CACHE_LAYOUTS,
                         ids=[case[1] for case in OTHER_CACHE_LAYOUTS])
def test_student_stub_accepts_a_cache_of_its_own_layout(module_name, function_name, args):
    stub = getattr(_stub_module(module_name), function_name)
    with pytest.raises(NotImplementedError):
        stub(*args)


@pytest.mark.parametrize("name", layers.__all__)
def test_every_layer_docstring_says_it_modifies_none_of_its_inputs(name):
    docstring = " ".join(getattr(layers, name).__doc__.split())
    assert "Modifies none of its inputs" in docstring or "Modifies neither x, gamma nor beta" in docstring


@pytest.mark.parametrize(("name", "dout"), [("layernorm_backward", np.zeros((2, 3))),
                                            ("spatial_groupnorm_backward", _x4())])
def test_normalization_backward_without_a_cache_says_which_forward_pass_gives_it(name, dout):
    forward = name.replace("backward", "forward")
    with pytest.raises(ValueError, match=rf"^{name}: cache is None; pass the cache that {forward} returned$"):
        getattr(layers, name)(dout, None)
