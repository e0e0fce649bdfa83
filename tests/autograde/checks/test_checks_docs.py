"""docs/checks.md shows the points of every task and the mutants table as the code has them."""
import re
from pathlib import Path

from autograde.checks import spec
from autograde.checks.expected import load_task_points
from mutants import MUTANTS

DOC = (Path(__file__).resolve().parents[3] / "docs" / "checks.md").read_text()


def test_the_points_table_equals_the_shipped_task_points():
    rows = re.findall(r"^\| `([\w.]+)` \| (\w+) \| (\d+) \| (\d+) \| (\d+) \|$", DOC, flags=re.MULTILINE)
    assert [(task, notebook, int(public), int(hidden), int(total)) for task, notebook, public, hidden, total in rows] \
        == [(task, spec.TASKS[task], split["public"], split["hidden"], split["public"] + split["hidden"])
            for task, split in load_task_points().items()]


def test_the_mutants_table_lists_every_mutant_with_the_tasks_it_also_fails():
    def short(task):
        return task.split(".", 1)[1]

    for mutant in MUTANTS:
        also = ", ".join(short(task) for task in sorted(mutant.also_fails, key=list(spec.TASKS).index)) or "—"
        assert f"| {mutant.name} | {short(mutant.task)} | {also} |" in DOC, mutant.name
