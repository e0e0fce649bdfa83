"""Run the graded checks in this process: `check("layers.affine_forward")` in a notebook cell, or
`python -m autograde check [TASK ...]` in a release folder."""
from autograde.check.runner import check, run_checks, select_checks, stored_value

__all__ = ["check", "run_checks", "select_checks", "stored_value"]
