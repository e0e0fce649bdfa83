"""`python -m autograde grade`: autograde a class, in parallel, without trusting student code.

Which process runs which file (docs/architecture.md has the full map):

- the head (`python -m autograde grade`): `cli`, `batch` (the steps of a batch), `record` (the class record:
  gradebook, results, feedback pages, grades.csv, report), `parallel` (local workers or Dask), `feedback`, `report`;
- a worker (one student at a time): `student` (unpack, library checks, notebooks, merge), `merge`,
  `library.supervisor`, `notebooks.supervisor`, `notebooks.feedback`;
- the library probe child, in the sandbox: `library.probe_child` (standard library and numpy only);
- the nbgrader runner, under the run's limits: `notebooks.runner`; its kernels run in the kernel sandbox
  (`notebooks.kernel`, `sandbox.profiles`).
"""
from autograde.grade.batch import Batch, GradeOptionError, grade, refresh
from autograde.grade.student import DEFAULT_TIMEOUT, grade_student

__all__ = ["Batch", "DEFAULT_TIMEOUT", "GradeOptionError", "grade", "grade_student", "refresh"]
