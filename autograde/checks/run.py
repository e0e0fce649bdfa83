"""Running a check's probe against a course_lib and turning what happens into a CheckResult.

The probe runs wherever the student's code runs (a notebook, `python -m autograde check`, the grader's sandbox).
Imports numpy and the standard library only (it ships to students and runs inside the grading sandbox).
"""
import traceback
import warnings

import numpy as np

from autograde.checks.compare import evaluate, message_for
from autograde.checks.load import ModuleImportError, course_lib_location
from autograde.checks.result import EARNING_STATUSES, CheckResult
from autograde.checks.spec import LIB_MODULES

HIDDEN_ERROR_CHARACTERS = 100


def _stub_name(text):
    """(function, module) named by a stub's message: `relu_forward: ...` gives ('relu_forward', None) and
    `layers.affine_forward: ...` or `fc_net.TwoLayerNet: ...` gives ('affine_forward', 'layers'), ...; (None, None)
    when the message names nothing."""
    head = text.split(":", 1)[0].strip() if ":" in text else ""
    parts = head.split(".")
    if not head or not all(part.isidentifier() for part in parts):
        return None, None
    if len(parts) == 1:
        return head, None
    return ".".join(parts[1:]), parts[0]


def describe_error(check, error):
    """A message for an exception the probe raised: a stub's NotImplementedError says which TODO to fill in."""
    frames = traceback.extract_tb(error.__traceback__)
    in_course_lib = [frame for frame in frames if course_lib_location(frame.filename)]
    where = ""
    if in_course_lib:
        frame = in_course_lib[-1]
        where = f"{course_lib_location(frame.filename)}, line {frame.lineno}"
    if isinstance(error, NotImplementedError):
        name, module = _stub_name(str(error))
        if name is None:
            name = in_course_lib[-1].name if in_course_lib else check.function
        if where:
            location = where.split(",")[0]
        elif module in LIB_MODULES:
            location = f"course_lib/{LIB_MODULES[module].replace('.', '/')}"
        else:
            location = "course_lib"
        detail = f"{name} is not implemented yet: fill in the TODO in {location}"
        case = f" [{check.case}]" if check.case else ""
        return f"{'hidden check: ' if check.hidden else ''}{check.function}{case}: {detail}"
    if isinstance(error, ModuleImportError):
        return message_for(check, str(error))
    detail = str(error)
    if check.hidden:
        # The student's own message could echo the hidden inputs (e.g. `raise ValueError(repr(x))`): keep its
        # first line, short, so that the feedback names the behaviour but cannot carry the hidden case out.
        first_line = detail.splitlines()[0] if detail else ""
        detail = first_line if len(first_line) <= HIDDEN_ERROR_CHARACTERS else \
            first_line[:HIDDEN_ERROR_CHARACTERS] + " [...]"
    text = f"raised {type(error).__name__}: {detail}"
    if where:
        text += f" (in {where})"
    return message_for(check, text)


def _plain_outputs(outputs):
    if not isinstance(outputs, dict):
        raise TypeError(f"a probe must return a dict of arrays, got {type(outputs).__name__}")
    return {name: np.array(value, subok=False) for name, value in outputs.items()}


def run_probe(check, lib):
    """Run a check's probe against `lib`; returns (outputs, warning_messages).

    Outputs are copied into plain ndarrays. numpy floating-point warnings are recorded, never printed (a test cell
    that writes to stderr scores 0 in nbgrader). The global numpy random state is restored afterwards so a
    notebook's own random sequence is unaffected. Exceptions from the code under test propagate.
    """
    random_state = np.random.get_state()
    try:
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
            warnings.simplefilter("always")
            outputs = _plain_outputs(check.probe(lib))
    finally:
        np.random.set_state(random_state)
    notes = sorted({f"{type(w.message).__name__}: {w.message}" for w in caught if isinstance(w.message, Warning)})
    return outputs, notes


def run_check(check, lib, expected):
    """Probe and judge one check in this process; returns a CheckResult (never raises for student errors)."""
    try:
        outputs, notes = run_probe(check, lib)
    except Exception as error:  # noqa: BLE001 - any failure of student code is a verdict, not a crash
        return result_for(check, "error", describe_error(check, error))
    return judge(check, outputs, expected, notes)


def judge(check, outputs, expected, notes=()):
    """The CheckResult for probe outputs (plain arrays, e.g. loaded back from a sandbox) and expected values;
    `notes` are the numpy warnings run_probe recorded, appended to a failure's message."""
    ok, message = evaluate(check, outputs, expected)
    if not ok and notes:
        message += f" (numpy warned: {'; '.join(notes)})"
    return result_for(check, "pass" if ok else "fail", message)


def result_for(check, status, message, duration=0.0):
    """The CheckResult of `check` with `status`: full points for a status that earns them, else 0."""
    return CheckResult(id=check.id, task=check.task, notebook=check.notebook, max_points=check.points,
                       points=check.points if status in EARNING_STATUSES else 0.0, status=status, message=message,
                       hidden=check.hidden, duration=round(duration, 3))
