"""The notebook half of grading: nbgrader autograde of one student in a private scratch course, under limits, with
the student's kernels in the kernel sandbox.

- `course`: the persistent grading course of a class (its gradebook) and what a worker needs of it;
- `supervisor` (worker process): the scratch course, the runner under limits, verdicts per cell;
- `runner` (its own process): nbgrader's Autograde, one notebook at a time, results over a pipe;
- `kernel` (loaded by the runner): the sandboxed kernel manager and the kernel's startup file;
- `verdicts`: what a graded cell's outputs mean, and tampering with test cells;
- `feedback`: nbgrader's own feedback for one student, made on the worker.
"""
