"""Hostile and broken submissions on the trusted library checks: each costs only its own checks, with a status and
message that say why.

Each case grades a small submission on three checks: an honest one before the broken function
(`HONEST_CHECK`), the broken one (`TARGET_CHECK`) and an honest one after it (`LATER_CHECK`), so a crash that
restarts the sandbox must still grade what comes after.
"""
import pytest
from library_submissions import HONEST_CHECK, LATER_CHECK, TARGET_CHECK, checks_by_id, make_submission, replace_relu

from autograde.grade.library.launch import ChildLimits
from autograde.grade.sandbox import pids

ALL_THREE = (HONEST_CHECK, TARGET_CHECK, LATER_CHECK)


def assert_only_target_lost(graded, status, *message_parts):
    for check_id in (HONEST_CHECK, LATER_CHECK):
        assert (graded[check_id].status, graded[check_id].points) == ("pass", graded[check_id].max_points)
    target = graded[TARGET_CHECK]
    assert (target.status, target.points) == (status, 0), target.message
    for part in message_parts:
        assert part in target.message, target.message


def test_reference_submission_passes_all_three_checks(tmp_path, grade_library):
    graded = grade_library(make_submission(tmp_path, "reference"), *ALL_THREE)
    assert [graded[check_id].status for check_id in ALL_THREE] == ["pass"] * 3
    assert [graded[check_id].points for check_id in ALL_THREE] == [check.points for check in checks_by_id(*ALL_THREE)]


def test_infinite_loop_times_out_only_its_check(tmp_path, grade_library):
    student = make_submission(tmp_path, "loop", append=replace_relu("while True:\n    pass"))
    assert_only_target_lost(grade_library(student, *ALL_THREE, timeout=2), "timeout", "longer than 2 s")


def test_loop_that_ignores_sigint_and_sigterm_is_killed(tmp_path, grade_library):
    body = ("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass")
    student = make_submission(tmp_path, "stubborn", append=replace_relu(body))
    assert_only_target_lost(grade_library(student, *ALL_THREE, timeout=2), "timeout", "killed")


def test_os_exit_inside_a_function_is_reported_with_its_exit_code(tmp_path, grade_library):
    student = make_submission(tmp_path, "exit3", append=replace_relu("import os\nos._exit(3)"))
    assert_only_target_lost(grade_library(student, *ALL_THREE), "error", "exit code 3")


def test_sys_exit_inside_a_function_is_an_error_of_that_check(tmp_path, grade_library):
    student = make_submission(tmp_path, "sysexit", append=replace_relu("import sys\nsys.exit(0)"))
    assert_only_target_lost(grade_library(student, *ALL_THREE), "error", "called sys.exit(0)")


@pytest.mark.parametrize("crash", ["import ctypes\nctypes.string_at(0)",
                                   "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"])
def test_interpreter_crash_costs_only_its_check(tmp_path, grade_library, crash):
    student = make_submission(tmp_path, "segv", append=replace_relu(crash))
    assert_only_target_lost(grade_library(student, *ALL_THREE), "error", "SIGSEGV")


def test_memory_bomb_hits_the_memory_limit(tmp_path, grade_library):
    student = make_submission(tmp_path, "bomb", append=replace_relu("import numpy as np\n"
                                                                     "return np.ones(50 * 2**30 // 8), x"))
    assert_only_target_lost(grade_library(student, *ALL_THREE), "error", "memory limit")


def test_a_function_that_forks_and_returns_twice_is_graded_once(tmp_path, grade_library):
    """The forked copy returns into the grader's loop as well; it must not report or run the next checks."""
    body = "import os\nimport numpy as np\nos.fork()\nreturn np.maximum(0, x), x"
    graded = grade_library(make_submission(tmp_path, "forker", append=replace_relu(body)), *ALL_THREE)
    assert [graded[check_id].status for check_id in ALL_THREE] == ["pass"] * 3


def test_fork_bomb_stops_at_the_process_cap_and_costs_only_its_check(tmp_path, grade_library, pids_cgroup):
    student = make_submission(tmp_path, "forkbomb", append=replace_relu("import os\nwhile True:\n    os.fork()"))
    assert_only_target_lost(grade_library(student, *ALL_THREE, timeout=5), "error", "BlockingIOError")
    assert [path for path in pids._base().iterdir() if path.is_dir()] == []


def test_huge_output_is_truncated_and_the_answer_still_counts(tmp_path, grade_library):
    body = ("import numpy as np, sys\nchunk = 'x' * 2**26\nfor _ in range(16):\n    sys.stdout.write(chunk)\n"
            "return np.maximum(0, x), x")
    student = make_submission(tmp_path, "chatty", append=replace_relu(body))
    graded = grade_library(student, *ALL_THREE, timeout=10)
    assert [graded[check_id].status for check_id in ALL_THREE] == ["pass"] * 3
    assert len(grade_library.log) < 2 * ChildLimits().output_bytes
    assert "more bytes of output dropped" in grade_library.log


def test_numpy_and_builtins_patched_at_import_cannot_fake_a_pass(tmp_path, grade_library):
    patch = """
    import builtins
    import numpy as np
    np.allclose = lambda *args, **kwargs: True
    np.max = lambda *args, **kwargs: 0.0
    np.abs = lambda value, *args, **kwargs: value * 0
    builtins.abs = lambda value: 0
    builtins.max = lambda *args, **kwargs: 0

    def relu_forward(x):
        return x * 0 + 123.0, x
    """
    student = make_submission(tmp_path, "patcher", append={"layers/affine.py": patch})
    graded = grade_library(student, TARGET_CHECK)
    assert (graded[TARGET_CHECK].status, graded[TARGET_CHECK].points) == ("fail", 0)


def test_ndarray_subclass_that_lies_in_comparisons_is_judged_on_its_values(tmp_path, grade_library):
    liar = """
    import numpy as np

    class AlwaysEqual(np.ndarray):
        def __eq__(self, other):
            return np.ones(np.shape(self), dtype=bool)

        def __sub__(self, other):
            return np.zeros(np.shape(self))

        __rsub__ = __sub__

        def __abs__(self):
            return np.zeros(np.shape(self))

    def relu_forward(x):
        return np.full(x.shape, 7.0).view(AlwaysEqual), x
    """
    student = make_submission(tmp_path, "liar", append={"layers/affine.py": liar})
    graded = grade_library(student, TARGET_CHECK)
    assert (graded[TARGET_CHECK].status, graded[TARGET_CHECK].points) == ("fail", 0)


def test_nan_output_fails_its_check(tmp_path, grade_library):
    student = make_submission(tmp_path, "nan", append=replace_relu("import numpy as np\n"
                                                                   "return np.full(x.shape, np.nan), x"))
    assert_only_target_lost(grade_library(student, *ALL_THREE), "fail", "out holds nan")


def test_import_time_exception_costs_the_checks_of_that_module_only(tmp_path, grade_library):
    student = make_submission(tmp_path, "raises", append={"optim.py": "raise RuntimeError('boom at import')"})
    graded = grade_library(student, *ALL_THREE)
    assert [graded[check_id].status for check_id in ALL_THREE] == ["pass"] * 3


def test_syntax_error_in_a_layers_module_is_reported_with_file_and_error(tmp_path, grade_library):
    dropout_check = "layers.dropout_forward.train_and_test_statistics"
    student = make_submission(tmp_path, "syntax", append={"layers/dropout.py": "def broken(:\n    pass"})
    result = grade_library(student, dropout_check)[dropout_check]
    assert (result.status, result.points) == ("error", 0)
    assert "SyntaxError" in result.message and "dropout.py" in result.message, result.message


def test_syntax_error_in_an_unused_module_keeps_every_other_point(tmp_path, grade_library):
    student = make_submission(tmp_path, "syntax_optim", append={"optim.py": "def broken(:\n    pass"})
    graded = grade_library(student, *ALL_THREE)
    assert [graded[check_id].points for check_id in ALL_THREE] == [check.points for check in checks_by_id(*ALL_THREE)]


def test_non_utf8_source_is_an_error_that_names_the_problem(tmp_path, grade_library):
    student = make_submission(tmp_path, "latin1")
    source = (student / "course_lib/layers/affine.py").read_bytes()
    (student / "course_lib/layers/affine.py").write_bytes(source + b"\nGREETING = 'caf\xe9'\n")
    graded = grade_library(student, HONEST_CHECK)
    assert graded[HONEST_CHECK].status == "error"
    assert "utf-8" in graded[HONEST_CHECK].message.lower()


def test_missing_module_file_is_status_missing(tmp_path, grade_library):
    student = make_submission(tmp_path, "no_affine", remove=["course_lib/layers/affine.py"])
    graded = grade_library(student, HONEST_CHECK)
    assert graded[HONEST_CHECK].status == "missing"
    assert "course_lib/layers/affine" in graded[HONEST_CHECK].message


def test_missing_course_lib_folder_is_status_missing_for_every_check(tmp_path, grade_library):
    student = make_submission(tmp_path, "no_lib", remove=["course_lib"])
    graded = grade_library(student, *ALL_THREE)
    assert {result.status for result in graded.values()} == {"missing"}
    assert "no course_lib/ folder" in graded[HONEST_CHECK].message


def test_a_slow_but_finite_import_has_its_own_time_limit_and_costs_nothing(tmp_path, grade_library):
    student = make_submission(tmp_path, "slow_import", append={"optim.py": "import time\ntime.sleep(3)"})
    graded = grade_library(student, *ALL_THREE, timeout=2, import_timeout=10)
    assert [graded[check_id].status for check_id in ALL_THREE] == ["pass"] * 3


def test_an_import_that_never_ends_times_out_every_check_with_the_reason(tmp_path, grade_library):
    student = make_submission(tmp_path, "endless_import", append={"optim.py": "while True:\n    pass"})
    graded = grade_library(student, *ALL_THREE, timeout=2, import_timeout=3)
    for check_id in ALL_THREE:
        assert (graded[check_id].status, graded[check_id].points) == ("timeout", 0)
        assert graded[check_id].message.startswith("importing course_lib took longer than 3 s")


def test_checks_past_the_total_limit_are_timeouts_that_say_so(tmp_path, grade_library):
    student = make_submission(tmp_path, "slow_everything", append=replace_relu("while True:\n    pass"))
    graded = grade_library(student, *ALL_THREE, timeout=30, total_timeout=4)
    assert (graded[HONEST_CHECK].status, graded[HONEST_CHECK].points) == ("pass", 1.0)
    assert graded[TARGET_CHECK].status == "timeout" and "total limit of 4 s" in graded[TARGET_CHECK].message
    assert graded[LATER_CHECK].status == "timeout"
    assert graded[LATER_CHECK].message == "not run: the library checks used up their 4 s"
