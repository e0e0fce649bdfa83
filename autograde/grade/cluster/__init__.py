"""Grading on a Dask cluster whose workers share no files with the head (docs/cluster.md).

A cluster job carries data, never a path of the head's machine:

    student            the student's id
    archive            the submission's assignment folder as zip bytes (`submissions.pack`, made on the head just
                       before the job is sent; the worker unpacks it with the same limits, `unpack_bytes`)
    bundle             the course bundle's identity, {"digest": SHA-256 hex, "parts": {part: digest or text}}
                       (`bundle.bundle_identity`): the worker refuses a job whose bundle is not its own
    notebook_grading   None (library checks only), or {"cell_timeout": seconds}: grade the notebooks in the
                       worker's own grading course for that bundle (`worker.local_course`)
    course_cells, manual, options   as in a local job (`student`)

The result is `student.grade_student`'s result dict (`results.student_result`: checks, notebooks' outcome,
autograded notebooks, nbgrader's feedback pages, code, notes) plus `worker`, the address of the worker that graded
it. The head adds the notes it made while packing, and a note when an earlier attempt failed.

- `bundle`: the identity of a course bundle (what it hashes), and the refusal a worker raises;
- `worker`: what a worker runs (`grade_on_worker`) and its cache of grading courses;
- `head`: the scheduler check, the cluster form of a job, the bounded queue of jobs and the retry policy.
"""
from autograde.grade.cluster.bundle import BundleIdentity, CourseBundleMismatch, bundle_identity
from autograde.grade.cluster.head import ATTEMPTS, run_on_cluster, scheduler_problem

__all__ = ["ATTEMPTS", "BundleIdentity", "CourseBundleMismatch", "bundle_identity", "run_on_cluster",
           "scheduler_problem"]
