"""Start the grading's own Python subprocesses (nbgrader, the per-student runner) without a slow optional import.

Every process that imports nbformat imports jsonschema, and jsonschema imports `rfc3987_syntax` when it is
installed (it is: jupyter-events asks for `jsonschema[format-nongpl]`). That package builds some 40 lark parsers
at import time, about 2 s of CPU on the course VM, and it serves only jsonschema's "iri"/"uri" format checks. No
grading step runs a format check: nbformat validates notebooks without one, and nbgrader's gradebook does not use
jsonschema at all. So the processes started here mark the module absent (`sys.modules[name] = None`), which
jsonschema treats as "not installed". This saves about 2 s per process: the grading process, each local worker,
each student's runner, generate_assignment and generate_feedback. Nothing else changes, and the Jupyter server
started by hand (formgrader) keeps every check.
"""
import sys

SKIPPED_MODULES = ("rfc3987_syntax",)


def skip_slow_imports():
    """Mark SKIPPED_MODULES absent in THIS process (no effect on a module imported already). The grading process
    and its local workers call it before they import nbformat."""
    for name in SKIPPED_MODULES:
        sys.modules.setdefault(name, None)


# `python -c LAUNCHER MODULE ARGS...` runs MODULE as `python -m MODULE ARGS...` would, after marking the
# skipped modules absent (the same as skip_slow_imports, inlined: the package is not imported yet).
LAUNCHER = (
    "import runpy, sys\n"
    "for name in {skipped!r}:\n"
    "    sys.modules.setdefault(name, None)\n"
    "module = sys.argv[1]\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_module(module, run_name='__main__', alter_sys=True)\n"
)


def python_module_command(module, *arguments):
    """The argv that runs `python -m module arguments...` (this interpreter) with SKIPPED_MODULES left out."""
    return [sys.executable, "-c", LAUNCHER.format(skipped=SKIPPED_MODULES), module, *map(str, arguments)]
