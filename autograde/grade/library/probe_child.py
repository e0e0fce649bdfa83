"""The code that runs INSIDE the sandbox: load the student's course_lib, run the probes, send back plain arrays.

Started by `autograde.grade.library.launch` as `python -I -S -B -c BOOTSTRAP PROBES LIBRARY SITES RESULT_FD CHECK_ID ...`
with only this file and `autograde/checks` (no expected values) in PROBES and the student's `course_lib` in
LIBRARY. It decides nothing: for every check it writes a `start` frame, runs the probe, and writes a `done` frame
with either the outputs (an `np.savez` archive of plain numeric arrays, no pickle) or the error. The grader reads
the frames, notices a check that never finished (a crash, a loop, `os._exit`), and does every comparison itself.

A frame is `MAGIC, len(header), len(payload)` (`<4sII`), then the JSON header, then the payload bytes.
This module imports only the standard library, numpy and `autograde.text` (copied beside the probe code), so the
grader can import it for `read_frames`.
"""
import io
import json
import os
import re
import struct
import sys
import time

from autograde.text import trim

MAGIC = b"AGR1"
FRAME_HEAD = struct.Struct("<4sII")
IMPORT_STEP = "<import course_lib>"
NUMERIC_KINDS = "biufc"
MAX_MESSAGE_CHARS = 2000


def encode_frame(header, payload=b""):
    data = json.dumps(header).encode("utf-8")
    return FRAME_HEAD.pack(MAGIC, len(data), len(payload)) + data + payload


def read_frames(buffer):
    """Split `buffer` into (header, payload) frames; returns (frames, rest, corrupt) where rest is incomplete."""
    frames = []
    offset = 0
    while len(buffer) - offset >= FRAME_HEAD.size:
        magic, header_size, payload_size = FRAME_HEAD.unpack_from(buffer, offset)
        if magic != MAGIC:
            return frames, b"", True
        end = offset + FRAME_HEAD.size + header_size + payload_size
        if len(buffer) < end:
            break
        start = offset + FRAME_HEAD.size
        try:
            header = json.loads(bytes(buffer[start:start + header_size]).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return frames, b"", True
        if not isinstance(header, dict):
            return frames, b"", True
        frames.append((header, bytes(buffer[start + header_size:end])))
        offset = end
    return frames, bytes(buffer[offset:]), False


def _missing_module(error, private_prefix):
    """`course_lib.layers.conv` when the error says that module does not exist, else None."""
    match = re.search(r"No module named '(course_lib|_graded_course_lib_[0-9a-f]+)((?:\.\w+)*)'", str(error))
    if match and (match.group(1) == "course_lib" or match.group(1).startswith(private_prefix)):
        return "course_lib" + match.group(2)
    return None


def _error_header(error, describe, private_prefix):
    """The error as the student should read it: `describe` (run.describe_error) names the function and file;
    probe code (hidden checks) never appears in it."""
    if isinstance(error, SystemExit):
        message = f"called sys.exit({error.code!r})"
    elif isinstance(error, KeyboardInterrupt):
        message = "raised KeyboardInterrupt"
    else:
        try:
            message = describe(error)
        except Exception:  # a student's exception whose __str__ raises still gets a verdict
            message = f"raised {type(error).__name__}"
    return {
        "status": "error",
        "exc_type": type(error).__name__,
        "message": trim(message, MAX_MESSAGE_CHARS, keep_end=True),
        "missing_module": _missing_module(error, private_prefix),
    }


def _serialize(outputs, asarray, savez):
    if not isinstance(outputs, dict):
        raise TypeError(f"the probe returned {type(outputs).__name__}, not a dict of arrays")
    arrays = {}
    for name, value in outputs.items():
        array = asarray(value)
        if array.dtype.kind not in NUMERIC_KINDS:
            raise TypeError(f"output {name!r} is not numeric (dtype {array.dtype}); return numbers")
        arrays[str(name)] = array
    buffer = io.BytesIO()
    savez(buffer, **arrays)
    return buffer.getvalue()


def _code_name(task):
    """(lib attribute, name) of the function or class a task's code is: `fc_net.FullyConnectedNet_dropout` ->
    ("fc_net", "FullyConnectedNet")."""
    attribute, _, name = task.partition(".")
    for variant in ("_normalization", "_dropout"):
        name = name.removesuffix(variant)
    return attribute, name


def _substitute(lib, reference, tasks, private_prefix):
    """Make the student's library call the REFERENCE version of each of `tasks`: every binding of the student's
    function or class (in any of its modules: `from ... import` copies included) is pointed at the reference's."""
    modules = [module for name, module in list(sys.modules.items())
               if name == private_prefix or name.startswith(private_prefix + ".")]
    for task in tasks:
        attribute, name = _code_name(task)
        ours = getattr(getattr(reference, attribute), name)
        try:
            theirs = getattr(getattr(lib, attribute), name)
        except Exception:  # the student's module or function is missing or broken: the reference stands in
            theirs = None
        for module in modules:
            for key, value in list(vars(module).items()):
                if theirs is not None and value is theirs:
                    setattr(module, key, ours)
        if theirs is None:
            setattr(getattr(lib, attribute), name, ours)


def main(args):
    """args: RESULT_FD [--with-reference REFERENCE_ROOT TASK,TASK...] CHECK_ID ...; returns the exit code (0 when
    every check ran, whatever its outcome). With --with-reference (a re-run for inherited failures), the student's
    course_lib calls the reference course_lib in REFERENCE_ROOT for the functions of the listed tasks."""
    # Take numpy's serialisation functions before the student's code can patch numpy.
    import numpy

    asarray = numpy.asarray
    savez = numpy.savez
    channel = os.fdopen(int(args[0]), "wb", buffering=0)
    reference_root, replaced, check_ids = None, [], args[1:]
    if check_ids[:1] == ["--with-reference"]:
        reference_root, replaced, check_ids = check_ids[1], check_ids[2].split(","), check_ids[3:]
    library_root = os.path.join(sys.path[1], "course_lib")
    # A copy of this process made by the student's os.fork() returns into this loop too: it must neither report
    # nor run the next checks, or the stream would carry every check twice. Taken before the student's code runs.
    own_pid, getpid, exit_now = os.getpid(), os.getpid, os._exit

    def send(header, payload=b""):
        if getpid() != own_pid:
            exit_now(0)
        channel.write(encode_frame(header, payload))

    send({"event": "start", "check": IMPORT_STEP})
    from autograde.checks import load, run, spec

    private_prefix = load.private_name(os.path.realpath(library_root))
    try:
        with_hidden = os.path.isfile(os.path.join(spec.CHECKS_DIR, "hidden", "__init__.py"))
        checks = {check.id: check for check in spec.all_checks(hidden=with_hidden)}
        lib = load.load_lib(library_root)
        if reference_root is not None:
            _substitute(lib, load.load_lib(os.path.join(reference_root, "course_lib")), replaced, private_prefix)
    except BaseException as error:  # the student's import may raise anything, SystemExit included
        header = _error_header(error, lambda error: f"raised {type(error).__name__}: {error}", private_prefix)
        send({"event": "done", "check": IMPORT_STEP, **header})
        return 0
    send({"event": "done", "check": IMPORT_STEP, "status": "ok"})
    for check_id in check_ids:
        send({"event": "start", "check": check_id})
        started = time.perf_counter()
        check = checks[check_id]
        try:
            outputs, notes = run.run_probe(check, lib)
            payload = _serialize(outputs, asarray, savez)
            header = {"status": "ok", "warnings": notes}
        except BaseException as error:  # a student's function may raise anything, SystemExit included
            payload = b""
            header = _error_header(error, lambda error: run.describe_error(check, error), private_prefix)
        header.update(event="done", check=check_id, seconds=time.perf_counter() - started)
        send(header, payload)
    return 0
