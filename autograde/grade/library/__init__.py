"""The trusted library checks: the student's course_lib runs in a sandboxed child (`probe_child`, started by
`launch`), the grader reads plain arrays back and compares them here (`supervisor`)."""
from autograde.grade.library.supervisor import run_library_checks

__all__ = ["run_library_checks"]
