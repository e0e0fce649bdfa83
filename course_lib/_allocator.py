"""Keep freed numpy buffers for reuse instead of handing them back to the operating system (glibc only).

Why: every fast layer allocates a few large temporaries per call (the padded input, the im2col columns, the
matrix-product results; 1 to 30 MB each). glibc's malloc serves such blocks with a fresh mmap and unmaps them on
free, so every call pays one page fault per 4 KiB page while the kernel zeroes the new pages. On a virtual
machine a fault costs microseconds: measured on the course's 2-core VM, the forward pass of the notebook's small
convolution (x (100, 3, 31, 31), w (25, 3, 3, 3), stride 2) took 7.2 ms with the default allocator and 3.1 ms
with this tuning, the ThreeLayerConvNet float32 training step 61 ms and 40 ms (docs/fast_layers.md).

What: on import of course_lib.fast_layers, `tune()` raises glibc's mmap threshold to its maximum (32 MiB on
64-bit) and its trim threshold to 512 MiB, so blocks up to 32 MiB come from the heap and freed ones are reused by
the next call. The process keeps up to 512 MiB of freed heap for reuse instead of returning it at once; that is
the trade (it is what allocators like jemalloc and tcmalloc do by design).

It changes nothing but speed. It is a no-op on other C libraries (macOS, Windows, musl) and when the environment
variable COURSE_LIB_MALLOC_TUNING is set to 0.
"""
import ctypes
import ctypes.util
import os
import sys

# mallopt parameter numbers from glibc's <malloc.h>.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024  # glibc's largest accepted value on 64-bit (HEAP_MAX_SIZE / 2)
TRIM_THRESHOLD_BYTES = 512 * 1024 * 1024

_state = {"tuned": None}


def tune():
    """Apply the tuning once per process; return True when glibc accepted it, False otherwise."""
    if _state["tuned"] is not None:
        return _state["tuned"]
    _state["tuned"] = False
    if os.environ.get("COURSE_LIB_MALLOC_TUNING", "1").strip() == "0" or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
        # gnu_get_libc_version exists only in glibc: other C libraries' mallopt may mean something else.
        libc.gnu_get_libc_version
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    accepted = mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
    accepted = mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1 and accepted
    _state["tuned"] = accepted
    return accepted
