"""`python -m autograde grade`: autograde a class, in parallel, without trusting student code.

Which process runs which file (docs/architecture.md has the full map):

- the head (`python -m autograde grade`): `cli`, `batch` (the steps of a batch), `record` (the class record:
  gradebook, results, feedback pages, grades.csv, report), `parallel` and `cluster` (local workers or Dask),
  `feedback`, `report`, `similarity`, `integrity`, `submissions` (discovery, roster);
- a worker (one student at a time): `student` (unpack, library checks, notebooks, merge), `merge`,
  `library.supervisor`, `library.inherit`, `notebooks.supervisor`, `notebooks.feedback`;
- the library probe child, in the sandbox: `library.probe_child` (standard library and numpy only);
- the nbgrader runner, under the run's limits: `notebooks.runner`; its kernels run in the kernel sandbox
  (`notebooks.kernel`, `sandbox.profiles`).

Nothing is imported here eagerly: the runner and the probe child import their own modules of this package without
loading the head's (report, similarity, matplotlib, Dask). `grade`, `refresh`, `Batch`, `GradeOptionError`,
`grade_student` and `DEFAULT_TIMEOUT` are loaded on first use.
"""
import importlib

_EXPORTS = {"Batch": "batch", "GradeOptionError": "batch", "grade": "batch", "refresh": "batch",
            "grade_student": "student", "DEFAULT_TIMEOUT": "student"}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
