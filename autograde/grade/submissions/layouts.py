"""Find the submissions in SUBMISSIONS, whatever layout the instructor has, and say which layout it was.

Layouts, tried in this order on the top level of the folder or .zip (and once more inside a lone wrapper
folder, as a re-zipped download has):

- nbgrader: `submitted/` (or a folder named so, or student folders whose assignment folders hold
  `timestamp.txt`) and an exchange's `inbound/` (or entries named `student+assignment+timestamp`);
- an LMS bulk download, when most top-level entries follow its naming: Canvas, Moodle, Blackboard;
- one assignment folder (course_lib/ or notebooks at the top): one student, named after SUBMISSIONS;
- a folder holding a single .zip that is one of the bulk downloads above;
- one folder or .zip per student (the id is its name without `.zip`); other files are left out with a note.
"""
from pathlib import Path

from autograde.grade.submissions import blackboard, canvas, moodle, nbgrader_layouts, placement
from autograde.grade.submissions.listing import Container, Context, join
from autograde.grade.submissions.model import Discovery, SubmissionsError, safe_id, unique_students
from autograde.text import plural, short_list
from autograde.nbgrader_adapter.layout import ASSIGNMENT as ASSIGNMENT_ID

LMS_LAYOUTS = {"canvas": canvas, "moodle": moodle, "blackboard": blackboard}
NBGRADER_LAYOUTS = ("nbgrader-collected", "nbgrader-inbound")
HINT = ("expected one folder or .zip per student, an LMS bulk download (Canvas, Moodle, Blackboard) or nbgrader's "
        "submitted/ or inbound/ folder")


def _lms_layout(files, folders):
    """The LMS whose naming most top-level entries follow, or None."""
    counts = {name: module.count(files, folders) for name, module in LMS_LAYOUTS.items()}
    counts["nbgrader-inbound"] = nbgrader_layouts.count_inbound(folders)
    layout, matched = max(counts.items(), key=lambda item: item[1])
    return layout if matched and 2 * matched >= len(files) + len(folders) else None


def _is_assignment_level(files, folders):
    """An assignment folder: course_lib/, or notebooks with no folder or .zip that could be a student's."""
    if "course_lib" in folders:
        return True
    return any(name.endswith(".ipynb") for name in files) and not folders \
        and not any(name.lower().endswith(".zip") for name in files)


def _one_each(context, prefix, files, folders):
    """(description, submissions) of one folder or .zip per student under `prefix`."""
    container = context.container
    submissions = [context.submission(student=safe_id(name), source=container.label(join(prefix, name)),
                                      root=join(prefix, name)) for name in folders]
    zips = [name for name in files if name.lower().endswith(".zip")]
    for name in zips:
        member = join(prefix, name)
        student = safe_id(name[: -len(".zip")])
        if container.is_zip:
            submissions.append(context.submission(student=student, source=container.label(member),
                                                  files=[(member, name)]))
        else:
            submissions.append(context.submission(student=student, source=container.label(member),
                                                  container=container.path / member))
    strays = [name for name in files if name not in zips]
    if strays:
        context.notes.append(f"left out (not a folder or .zip): {short_list(strays)}")
    submissions.sort(key=lambda submission: submission.student)
    where = f" in {container.path.name}" if container.is_zip else ""
    return f"{plural(len(submissions), 'student')} found: one folder or .zip each{where}", submissions


def _single(context, prefix):
    container = context.container
    kind = "one .zip" if container.is_zip else "one assignment folder"
    submission = context.submission(student=safe_id(container.path.stem), source=container.label(prefix),
                                    root=prefix)
    return f"1 student found: SUBMISSIONS is {kind} ({container.path.name})", [submission]


def _is_bulk(found):
    return found is not None and (found[0] in LMS_LAYOUTS or found[0] in NBGRADER_LAYOUTS)


def _container_notes(container, notes):
    if container.unsafe:
        notes.append(f"left out {plural(container.unsafe, 'entry', 'entries')} of {container.path.name} with an "
                     "absolute or '..' path")
    if container.links:
        notes.append(f"left out {plural(len(container.links), 'symbolic link')} in {container.path.name}")


def _adopt(context, trial, found):
    context.notes.extend(trial.notes)
    if trial.container is not context.container:
        _container_notes(trial.container, context.notes)
    return found


def _recognise(context, prefix, *, top):
    """(layout, description, submissions) for the level `prefix` of the container, or None."""
    container = context.container
    files, folders = container.children(prefix)
    name = Path(prefix).name if prefix else container.path.stem
    if nbgrader_layouts.COLLECTED in folders:
        return "nbgrader-collected", *nbgrader_layouts.collected(context, join(prefix, nbgrader_layouts.COLLECTED))
    if nbgrader_layouts.INBOUND in folders:
        return "nbgrader-inbound", *nbgrader_layouts.inbound(context, join(prefix, nbgrader_layouts.INBOUND))
    if name == nbgrader_layouts.COLLECTED and folders:
        return "nbgrader-collected", *nbgrader_layouts.collected(context, prefix)
    layout = _lms_layout(files, folders)
    if layout == "nbgrader-inbound":
        return layout, *nbgrader_layouts.inbound(context, prefix)
    if layout is not None:
        return layout, *LMS_LAYOUTS[layout].build(context, prefix, files, folders)
    if folders and nbgrader_layouts.looks_collected(container, prefix, folders):
        return "nbgrader-collected", *nbgrader_layouts.collected(context, prefix)
    if _is_assignment_level(files, folders):
        return "single", *_single(context, prefix)
    if len(folders) == 1 and not files:
        wrapped = join(prefix, folders[0])
        trial = context.trial()
        found = _recognise(trial, wrapped, top=False)
        if _is_bulk(found):
            return _adopt(context, trial, found)
        if top and container.is_zip and _is_assignment_level(*container.children(wrapped)):
            return "single", *_single(context, "")
        # A lone folder holding several folders is a wrapper around student folders, unless one of them is named
        # after the assignment: then it is one student's folder of assignments.
        inner_folders = container.children(wrapped)[1]
        if found is not None and len(found[2]) > 1 and context.assignment not in inner_folders:
            return _adopt(context, trial, found)
    zips = [name for name in files if name.lower().endswith(".zip")]
    if top and not folders and len(zips) == 1 and not container.is_zip:
        try:
            trial = context.trial(Container(container.path / join(prefix, zips[0])))
        except SubmissionsError:
            trial = None
        found = _recognise(trial, "", top=False) if trial is not None else None
        if _is_bulk(found):
            strays = [name for name in files if name != zips[0]]
            if strays:
                trial.notes.append(f"left out beside {zips[0]}: {short_list(strays)}")
            return _adopt(context, trial, found)
    if folders or zips:
        return "folders", *_one_each(context, prefix, files, folders)
    return None


def discover(path, *, assignment=ASSIGNMENT_ID, release_paths=()):
    """Discovery of the submissions in the folder or .zip at `path` (see the module docstring for the layouts).

    assignment: the assignment id (nbgrader's layouts name folders after it; it also picks the assignment folder
    when a submission holds several); release_paths: the release's relative paths (`course_lib/layers/affine.py`,
    `FullyConnectedNets.ipynb`, ...), to put single uploaded files back in place (default: this project's).
    Raises SubmissionsError, with one line that says what was wrong and what to do.
    """
    path = Path(path)
    if not path.exists():
        raise SubmissionsError(f"SUBMISSIONS: {path} does not exist; pass the folder (or the LMS's .zip) that holds "
                               "the submissions")
    if path.is_file() and path.suffix.lower() != ".zip":
        raise SubmissionsError(f"SUBMISSIONS: {path} is a file, not a folder or a .zip; {HINT}")
    context = Context(container=Container(path), assignment=assignment,
                      release_paths=tuple(release_paths) or placement.default_release_paths())
    files, folders = context.container.children()
    if not files and not folders:
        raise SubmissionsError(f"SUBMISSIONS: {path} is empty; {HINT}")
    found = _recognise(context, "", top=True)
    if found is None:
        raise SubmissionsError(f"SUBMISSIONS: nothing in {path} looks like a submission (it holds "
                               f"{short_list(files + [name + '/' for name in folders])}); {HINT}")
    layout, description, submissions = found
    notes = context.notes
    _container_notes(context.container, notes)
    submissions = unique_students(sorted(submissions, key=lambda submission: (submission.student, submission.source)),
                                  notes)
    if not submissions:
        raise SubmissionsError(f"SUBMISSIONS: no submission found in {path} ({description}); {HINT}")
    return Discovery(layout=layout, description=description, submissions=submissions, notes=notes)
