"""What a name given to `check` selects: a task id, a check id, a notebook, or a short form of them.

In order, the first rule that matches anything wins:
1. exactly a task id, a check id or a notebook name (`layers.affine_forward`, `Dropout`);
2. a task id, a check id or a task's name without its module (`affine_forward`, `FullyConnectedNet_dropout`), in
   any case;
3. the start of task names, up to a `_` or `.`, in any case (`dropout` selects dropout_forward and
   dropout_backward, `layers.conv` both convolution tasks, `sgd` both momentum rules);
4. a notebook name in any case (`batchnormalization`).
A name that matches nothing raises KeyError with the closest known names (difflib).
"""
import difflib

from autograde.checks import spec


def _short(task):
    return task.split(".", 1)[1]


def _starts_at_boundary(name, candidate):
    return candidate.startswith(name) and (len(candidate) == len(name) or candidate[len(name)] in "_.")


def tasks_named(name, check_ids=()):
    """(tasks, check_ids) that `name` selects, by the rules of the module docstring; raises KeyError otherwise."""
    if name in spec.TASKS:
        return [name], []
    if name in check_ids:
        return [], [name]
    if name in spec.NOTEBOOKS:
        return spec.tasks(name), []
    folded = name.casefold()
    tasks = [task for task in spec.TASKS if folded in (task.casefold(), _short(task).casefold())]
    checks = [check_id for check_id in check_ids if check_id.casefold() == folded]
    if tasks or checks:
        return tasks, checks
    tasks = [task for task in spec.TASKS
             if _starts_at_boundary(folded, task.casefold()) or _starts_at_boundary(folded, _short(task).casefold())]
    if tasks:
        return tasks, []
    tasks = [task for notebook in spec.NOTEBOOKS if notebook.casefold() == folded for task in spec.tasks(notebook)]
    if tasks:
        return tasks, []
    raise KeyError(unknown_name_message(name, check_ids))


def unknown_name_message(name, check_ids=()):
    """'unknown task ...; did you mean ...?' with the closest task ids, short names, notebooks or check ids."""
    candidates = {candidate.casefold(): candidate
                  for candidate in (*spec.TASKS, *map(_short, spec.TASKS), *spec.NOTEBOOKS, *check_ids)}
    close = [candidates[key] for key in difflib.get_close_matches(name.casefold(), candidates, n=4, cutoff=0.6)]
    suggestion = f"; did you mean {' or '.join(repr(candidate) for candidate in close)}?" if close else "."
    return (f"unknown task {name!r}{suggestion} Known tasks: {', '.join(spec.TASKS)} (or a notebook: "
            f"{', '.join(spec.NOTEBOOKS)}, a check id, or the start of task names such as 'dropout')")
