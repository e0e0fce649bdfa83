"""Keep freed numpy buffers for reuse instead of handing them back to the operating system (glibc only).

Why: every fast layer allocates a few large temporaries per call (the padded input, the im2col columns, the
matrix-product results; 1 to 30 MB each). glibc's malloc serves such blocks with a fresh mmap and unmaps them on
free, so every call pays one page fault per 4 KiB page while the kernel zeroes the new pages. On a virtual
machine a fault costs microseconds: measured on the course's 2-core VM, the forward pass of the notebook's small
convolution (x (100, 3, 31, 31), w (25, 3, 3, 3), stride 2) took 7.2 ms with the default allocator and 3.1 ms
with this tuning, the ThreeLayerConvNet float32 training step 61 ms and 40 ms (docs/fast_layers.md).

What: `tune()` raises glibc's mmap threshold to its maximum (32 MiB on 64-bit) and its trim threshold to 512 MiB,
so blocks up to 32 MiB come from the heap and freed ones are reused by the next call. The process keeps up to
512 MiB of freed heap for reuse instead of returning it at once; that is the trade (it is what allocators like
jemalloc and tcmalloc do by design).

It is opt-in: importing course_lib (or course_lib.fast_layers) changes nothing, because a library should not
change the allocator of the process that imports it (a student's notebook kernel, for one). A program that
wants the speed calls `course_lib._allocator.tune()` once, before its heavy work: the layer benchmark does. It
changes nothing but speed, and it is a no-op on other C libraries (macOS, Windows, musl).
"""
import ctypes
import ctypes.util
import sys

# mallopt parameter numbers from glibc's <malloc.h>.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024  # glibc's largest accepted value on 64-bit (HEAP_MAX_SIZE / 2)
TRIM_THRESHOLD_BYTES = 512 * 1024 * 1024

# None until tune() runs in this process; then whether glibc accepted the tuning.
_state = {"tuned": None}


def _glibc():
    """This process's C library through ctypes when it is glibc, else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        # gnu_get_libc_version exists only in glibc: other C libraries' mallopt may mean something else.
        libc.gnu_get_libc_version
    except (OSError, AttributeError):
        return None
    return libc


def tuned():
    """None when tune() has not run in this process, else whether glibc accepted the tuning."""
    return _state["tuned"]


def tune():
    """Apply the tuning to this process, once; return True when glibc accepted it, False otherwise."""
    if _state["tuned"] is not None:
        return _state["tuned"]
    libc = _glibc()
    if libc is None:
        _state["tuned"] = False
        return False
    mallopt = libc.mallopt
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    accepted = mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
    accepted = mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1 and accepted
    _state["tuned"] = accepted
    return accepted
