"""course_lib._allocator: glibc's malloc tuning is opt-in; importing course_lib leaves the allocator alone."""
import os
import subprocess
import sys
import textwrap

import pytest

from course_lib import _allocator

ON_GLIBC = sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION") is not None
BLOCK_BYTES = 16 * 1024 * 1024  # above glibc's default mmap threshold, below the tuned one

# Measures, with glibc's own mallinfo2, how many bytes malloc serves by mmap while a numpy block is alive:
# glibc mmaps a block of BLOCK_BYTES by default and takes it from the heap once the tuning raised the threshold.
MEASURE = f"""
import ctypes

import numpy as np

FIELDS = ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")


class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in FIELDS]


libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Mallinfo2


def mmapped_bytes_of_a_block():
    before = libc.mallinfo2().hblkhd
    block = np.ones({BLOCK_BYTES}, dtype=np.uint8)
    during = libc.mallinfo2().hblkhd
    del block
    return during - before
"""


def run_python(code):
    """Run code in a fresh interpreter; return its stdout, stripped."""
    completed = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                               check=True)
    return completed.stdout.strip()


@pytest.mark.skipif(not ON_GLIBC, reason="the tuning applies to glibc only")
def test_importing_course_lib_and_the_fast_layers_leaves_malloc_untuned():
    code = MEASURE + textwrap.dedent("""
        import course_lib
        import course_lib.fast_layers
        import course_lib.layer_utils
        from course_lib import _allocator

        print(_allocator.tuned(), mmapped_bytes_of_a_block() >= {block})
    """).format(block=BLOCK_BYTES)
    assert run_python(code) == "None True"


@pytest.mark.skipif(not ON_GLIBC, reason="the tuning applies to glibc only")
def test_tune_makes_malloc_serve_large_blocks_from_the_heap():
    code = MEASURE + textwrap.dedent("""
        from course_lib import _allocator

        print(_allocator.tune(), _allocator.tuned(), mmapped_bytes_of_a_block())
    """)
    assert run_python(code) == "True True 0"


def test_tune_returns_a_bool_and_keeps_its_answer():
    first = _allocator.tune()
    assert isinstance(first, bool)
    assert _allocator.tune() is first and _allocator.tuned() is first
