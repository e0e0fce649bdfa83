"""Fixtures shared by the course_lib tests."""
import copy

import numpy as np
import pytest


def _assert_same(before, after, where):
    if isinstance(before, np.ndarray):
        assert isinstance(after, np.ndarray), f"{where} was replaced by {type(after).__name__}"
        assert after.dtype == before.dtype and after.shape == before.shape, f"{where} changed dtype or shape"
        np.testing.assert_array_equal(after, before, err_msg=f"{where} was modified")
    elif isinstance(before, dict):
        assert set(after) == set(before), f"{where} gained or lost keys: {sorted(before)} -> {sorted(after)}"
        for key in before:
            _assert_same(before[key], after[key], f"{where}[{key!r}]")
    elif isinstance(before, (tuple, list)):
        assert len(after) == len(before), f"{where} changed length"
        for position, (item_before, item_after) in enumerate(zip(before, after)):
            _assert_same(item_before, item_after, f"{where}[{position}]")
    else:
        assert after == before, f"{where} changed from {before!r} to {after!r}"


@pytest.fixture
def call_without_mutation():
    """Call func(*args) and fail if any argument (arrays, dicts, tuples such as caches, recursively) changed."""

    def call(func, *args):
        snapshots = copy.deepcopy(args)
        result = func(*args)
        for position, (before, after) in enumerate(zip(snapshots, args)):
            _assert_same(before, after, f"{func.__name__} argument {position}")
        return result

    return call


@pytest.fixture
def rng():
    return np.random.default_rng(231)
