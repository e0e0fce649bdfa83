"""course_lib._allocator: glibc's malloc tuning that fast_layers applies on import, and its opt-out."""
import os
import subprocess
import sys
import textwrap

import pytest

from course_lib import _allocator

ON_GLIBC = sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION") is not None


def run_python(code, **env):
    """Run code in a fresh interpreter with extra environment variables; return its stdout, stripped."""
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


@pytest.mark.skipif(not ON_GLIBC, reason="the tuning applies to glibc only")
def test_importing_fast_layers_tunes_glibc_once():
    code = """
        import course_lib.fast_layers
        from course_lib import _allocator
        print(_allocator._state["tuned"], _allocator.tune())
    """
    assert run_python(code, COURSE_LIB_MALLOC_TUNING="1") == "True True"


def test_tuning_can_be_switched_off():
    code = """
        import course_lib.fast_layers
        from course_lib import _allocator
        print(_allocator._state["tuned"])
    """
    assert run_python(code, COURSE_LIB_MALLOC_TUNING="0") == "False"


def test_tune_returns_a_bool_and_keeps_its_answer():
    first = _allocator.tune()
    assert isinstance(first, bool)
    assert _allocator.tune() is first
