"""The probe child's result frames, and how the grader reads what the child sends: plain numeric arrays only."""
import io
import signal

import numpy as np
import pytest

from autograde.grade.library import probe_child
from autograde.grade.library.supervisor import describe_exit, load_plain_arrays


def test_frames_split_back_into_headers_and_payloads_and_keep_an_incomplete_tail():
    stream = (probe_child.encode_frame({"event": "start", "check": "a"})
              + probe_child.encode_frame({"event": "done", "check": "a"}, b"payload"))
    frames, rest, corrupt = probe_child.read_frames(stream + stream[:7])
    assert frames == [({"event": "start", "check": "a"}, b""), ({"event": "done", "check": "a"}, b"payload")]
    assert (rest, corrupt) == (stream[:7], False)


@pytest.mark.parametrize("garbage", [b"XXXX" + bytes(8), probe_child.FRAME_HEAD.pack(probe_child.MAGIC, 2, 0) + b"[]"])
def test_a_frame_with_another_magic_or_a_header_that_is_not_an_object_is_corrupt(garbage):
    frames, _rest, corrupt = probe_child.read_frames(probe_child.encode_frame({"event": "start"}) + garbage)
    assert frames == [({"event": "start"}, b"")] and corrupt


def _savez(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def test_plain_numeric_arrays_are_read_back():
    arrays = load_plain_arrays(_savez(out=np.arange(3.0), mask=np.array([True, False])))
    assert arrays["out"].tolist() == [0.0, 1.0, 2.0] and arrays["mask"].dtype == bool


@pytest.mark.parametrize("payload, problem", [
    (_savez(out=np.array(["a", "b"])), "not a plain numeric array"),
    (_savez(out=np.array([{"a": 1}], dtype=object)), "allow_pickle=False"),
    (b"not a zip", "could not be read"),
])
def test_anything_but_plain_numeric_arrays_is_refused_without_unpickling(payload, problem):
    with pytest.raises(ValueError, match=problem):
        load_plain_arrays(payload)


def test_exit_descriptions_name_the_limit_or_the_signal():
    assert describe_exit(-signal.SIGXCPU, "rlimits", 2**30) == "exceeded the CPU time limit"
    assert "memory limit of 1 GiB" in describe_exit(-signal.SIGKILL, "rlimits", 2**30)
    assert describe_exit(128 + signal.SIGSEGV, "bwrap", 2**30) == "crashed the interpreter (SIGSEGV, signal 11)"
    assert describe_exit(3, "bwrap", 2**30) == "ended the process with exit code 3 (os._exit or a crash)"
