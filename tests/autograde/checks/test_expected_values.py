"""The stored expected values are exactly what the reference library computes now, and cover every check."""
import numpy as np
import pytest

from autograde.checks import generate, spec
from autograde.checks.expected import EXPECTED_FILES, TASK_POINTS_FILE, load_expected, load_task_points


@pytest.fixture(scope="module")
def reference_values():
    return generate.compute_expected()


def test_every_stored_value_equals_what_the_reference_computes_now(reference_values):
    assert generate.mismatches(reference_values) == []


def test_every_check_has_its_expected_values_stored():
    public, hidden = load_expected(hidden=False), load_expected(hidden=True)
    for check in spec.all_checks(hidden=True):
        stored = (hidden if check.hidden else public).get(check.id, {})
        if check.stored is None:
            assert stored, f"{check.id} has no stored expected values"
        else:
            assert set(stored) == set(check.stored), check.id


def test_public_file_holds_no_hidden_check():
    hidden_ids = {check.id for check in spec.all_checks(hidden=True) if check.hidden}
    with np.load(EXPECTED_FILES[False], allow_pickle=False) as archive:
        public_ids = {key.rpartition("/")[0] for key in archive.files}
    assert public_ids and not public_ids & hidden_ids


def test_writing_the_same_values_twice_gives_byte_identical_files(reference_values, tmp_path):
    generate.write_expected(reference_values, tmp_path / "first")
    generate.write_expected(reference_values, tmp_path / "second")
    for name in ("public.npz", "hidden.npz"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


def test_check_mode_reports_a_changed_value(reference_values, tmp_path):
    changed = {hidden: dict(values) for hidden, values in reference_values.items()}
    key = "layers.affine_forward.notebook_case/out"
    changed[False][key] = changed[False][key] + 1e-3
    generate.write_expected(changed, tmp_path)
    assert generate.mismatches(reference_values, tmp_path) == [f"public.npz: {key} differs (stored float64(2, 3), "
                                                               "reference now float64(2, 3))"]


def test_the_shipped_task_points_are_the_public_and_hidden_points_of_every_task():
    points = load_task_points()
    assert list(points) == list(spec.TASKS)
    for task, split in points.items():
        checks = spec.checks_for(task, hidden=True)
        assert split == {"public": sum(check.points for check in checks if not check.hidden),
                         "hidden": sum(check.points for check in checks if check.hidden)}
    assert points["optim.sgd_nesterov_momentum"] == {"public": 2, "hidden": 1}


def test_check_mode_reports_stale_task_points(reference_values, tmp_path):
    generate.write_expected(reference_values, tmp_path)
    (tmp_path / TASK_POINTS_FILE.name).write_text("{}\n")
    assert generate.mismatches(reference_values, tmp_path) == [
        f"{tmp_path / TASK_POINTS_FILE.name} does not hold the points of the registered checks"]
