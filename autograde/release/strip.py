"""Turn the reference library into the student stubs: solution regions become a NotImplementedError.

A solution region sits inside a function body, right below a TODO comment that names its task (an id of
`autograde.checks.spec.TASKS`) and says what to do; the instructions may go on in comment lines below it:

    # TODO [layers.relu_forward]: Implement the ReLU forward pass.
    ### BEGIN SOLUTION
    out = np.maximum(0, x)
    ### END SOLUTION

The student copy keeps every line outside the regions byte for byte and replaces each region, at the BEGIN
marker's indentation, by `raise NotImplementedError("layers.relu_forward: Implement the ReLU forward pass.")`:
the task id, a colon and the instructions joined into one line. Hidden-test regions (`### BEGIN HIDDEN TESTS` /
`### END HIDDEN TESTS`) are removed together with their markers.

`tasks` (a set of task ids) stubs only the regions of those tasks and leaves the others as they are, markers
included: a reference library with one task stubbed. A region whose TODO line names no task, or a task that is not
in the registry, is refused with its file and line.
"""
import ast
import difflib
import io
import re
import shutil
import tokenize
from dataclasses import dataclass
from pathlib import Path

from autograde.markers import HIDDEN_BEGIN, HIDDEN_END, SOLUTION_BEGIN, SOLUTION_END
from autograde.paths import is_ignored
from autograde.release.errors import MarkerError, ReleaseError, StubCompileError

MARKERS = (SOLUTION_BEGIN, SOLUTION_END, HIDDEN_BEGIN, HIDDEN_END)
# marker -> (region kind, opens a region)
_MARKER_ROLES = {
    SOLUTION_BEGIN: ("solution", True),
    SOLUTION_END: ("solution", False),
    HIDDEN_BEGIN: ("hidden", True),
    HIDDEN_END: ("hidden", False),
}
_BEGIN_OF = {"solution": SOLUTION_BEGIN, "hidden": HIDDEN_BEGIN}
_END_OF = {"solution": SOLUTION_END, "hidden": HIDDEN_END}

# `# TODO [<task id>]: <instructions>`; the stub's message is `<task id>: <instructions>`.
TODO_LINE = re.compile(r"# TODO \[(?P<task>[^\]]*)\]:(?P<instructions>.*)")
TODO_FORMAT = "# TODO [<task id>]: <what to do>"
MAX_LINE_LENGTH = 120


@dataclass(frozen=True)
class Region:
    """One marked region of a source file; `begin` and `end` are 0-based indices of its marker lines."""

    kind: str  # "solution" or "hidden"
    begin: int
    end: int
    indent: str


def split_lines(text):
    """Split text into lines that keep their line endings, so that joining them gives the text back."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def find_regions(lines, path):
    """Return the marked regions of a file given as `lines`, in order.

    Raises MarkerError (naming `path` and the line) for nested, unterminated or unbalanced markers, and for
    marker text on a line that is not the marker alone (nbgrader would treat such a line as a marker too).
    """
    regions = []
    open_region = None
    for index, line in enumerate(lines):
        text = line.strip()
        if text not in _MARKER_ROLES:
            for marker in MARKERS:
                if marker in line:
                    raise MarkerError(
                        path, index + 1,
                        f"'{marker}' appears inside other text; a marker must stand alone on its own comment line "
                        "(reword the text if it only mentions the marker)",
                    )
            continue
        kind, opens = _MARKER_ROLES[text]
        if opens:
            if open_region is not None:
                raise MarkerError(
                    path, index + 1,
                    f"nested '{text}' inside the region opened at line {open_region.begin + 1}; "
                    f"close that region with '{_END_OF[open_region.kind]}' first",
                )
            open_region = Region(kind, index, -1, line[: len(line) - len(line.lstrip())])
            continue
        if open_region is None:
            raise MarkerError(path, index + 1, f"'{text}' without a matching '{_BEGIN_OF[kind]}' above it")
        if open_region.kind != kind:
            raise MarkerError(
                path, index + 1,
                f"'{text}' cannot close the region opened by '{_BEGIN_OF[open_region.kind]}' at line "
                f"{open_region.begin + 1}; close it with '{_END_OF[open_region.kind]}'",
            )
        regions.append(Region(kind, open_region.begin, index, open_region.indent))
        open_region = None
    if open_region is not None:
        raise MarkerError(
            path, open_region.begin + 1,
            f"unterminated '{_BEGIN_OF[open_region.kind]}': no '{_END_OF[open_region.kind]}' before the end of "
            "the file",
        )
    return regions


@dataclass(frozen=True)
class _FunctionScope:
    name: str  # qualified: "relu_forward", "FullyConnectedNet.loss"
    def_line: int  # 1-based line of the `def` keyword
    column: int
    last_line: int  # 1-based, including trailing comment lines indented into the body


def _function_scopes(tree, lines):
    scopes = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                scopes.append(_FunctionScope(name, child.lineno, child.col_offset,
                                             _body_last_line(child, lines)))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return scopes


def _body_last_line(function, lines):
    # ast ends a function at its last statement; a region's END marker (a comment) may follow it.
    last = function.end_lineno
    while last < len(lines):
        following = lines[last]
        text = following.strip()
        indent = len(following) - len(following.lstrip())
        if text and not (text.startswith("#") and indent > function.col_offset):
            break
        last += 1
    return last


def _enclosing_function(scopes, region, lines):
    begin_line = region.begin + 1
    inside = [
        scope for scope in scopes
        if scope.def_line < begin_line <= scope.last_line and len(region.indent) > scope.column
    ]
    if not inside:
        return None
    # The innermost function is the last one to start.
    return max(inside, key=lambda scope: scope.def_line)


def known_task_ids():
    """The task ids of the check registry, which every TODO line must name one of."""
    from autograde.checks.spec import TASKS

    return frozenset(TASKS)


def read_todo(lines, begin, path, known_tasks):
    """(task id, instructions joined into one line) of the TODO comment directly above line index `begin`.

    Raises MarkerError, naming `path` and the line, when there is no TODO line, when it names no task or a task
    that `known_tasks` lacks, or when it gives no instructions.
    """
    comment_lines = []
    index = begin - 1
    while index >= 0 and lines[index].strip().startswith("#") and lines[index].strip() not in _MARKER_ROLES:
        text = lines[index].strip()
        if text.startswith("# TODO"):
            return _parse_todo(text, [line.lstrip("#") for line in reversed(comment_lines)], path, index + 1,
                               known_tasks)
        comment_lines.append(text)
        index -= 1
    raise MarkerError(
        path, begin + 1,
        f"'{SOLUTION_BEGIN}' without a TODO line right above it; write `{TODO_FORMAT}` above the marker",
    )


def _parse_todo(text, continuation, path, line, known_tasks):
    match = TODO_LINE.fullmatch(text)
    if match is None:
        raise MarkerError(path, line, f"this TODO line names no task; write it as `{TODO_FORMAT}`")
    task = match["task"].strip()
    if task not in known_tasks:
        close = difflib.get_close_matches(task, sorted(known_tasks), n=3)
        hint = f"did you mean {' or '.join(close)}?" if close else "see autograde.checks.spec.TASKS"
        raise MarkerError(path, line, f"this TODO line names the unknown task {task!r}; {hint}")
    parts = [match["instructions"], *continuation]
    instructions = " ".join(" ".join(part.split()) for part in parts if part.strip())
    if not instructions:
        raise MarkerError(path, line, f"this TODO line for {task} says nothing to do; write `{TODO_FORMAT}`")
    return task, instructions


def _string_literal(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def raise_statement(indent, message, newline="\n"):
    """The lines of `raise NotImplementedError(message)` at `indent`, wrapped to MAX_LINE_LENGTH when long."""
    single = f"{indent}raise NotImplementedError({_string_literal(message)})"
    if len(single) <= MAX_LINE_LENGTH:
        return [single + newline]
    inner_indent = indent + "    "
    width = MAX_LINE_LENGTH - len(inner_indent) - 2
    chunks, current = [], ""
    for word in message.split(" "):
        candidate = f"{current} {word}" if current else word
        # +1: every chunk but the last ends with a space inside its quotes.
        if current and len(_string_literal(candidate)) - 2 + 1 > width:
            chunks.append(current + " ")
            current = word
        else:
            current = candidate
    chunks.append(current)
    return (
        [f"{indent}raise NotImplementedError({newline}"]
        + [f"{inner_indent}{_string_literal(chunk)}{newline}" for chunk in chunks]
        + [f"{indent}){newline}"]
    )


def _string_interior_lines(source):
    """0-based indices of the lines that continue a multi-line string (their indentation is the string's own)."""
    interior = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                interior.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        return interior
    return interior


def _check_region_stays_in_its_block(lines, region, string_lines, path):
    for index in range(region.begin + 1, region.end):
        text = lines[index].strip()
        if not text or text.startswith("#") or index in string_lines:
            continue
        if len(lines[index]) - len(lines[index].lstrip()) < len(region.indent):
            raise MarkerError(
                path, index + 1,
                f"this line is indented less than the '{_BEGIN_OF[region.kind]}' at line {region.begin + 1}: a "
                "region must hold whole statements of one block (move the markers)",
            )


def _parse(source, path):
    try:
        return ast.parse(source, filename=str(path))
    except SyntaxError as error:
        raise ReleaseError(
            f"{path}:{error.lineno}: the reference file does not parse ({error.msg}); fix it before releasing"
        ) from error


def strip_source(source, path, *, tasks=None, known_tasks=None):
    """Return the student version of Python `source` (the text of `path`, which is used in messages only).

    Solution regions become `raise NotImplementedError("<task id>: <TODO instructions>")`; hidden-test regions
    are removed.

    - tasks: None stubs every solution region; a set of task ids stubs only the regions whose TODO names one of
      them and keeps the others byte for byte, markers included.
    - known_tasks: the task ids a TODO line may name (default: `known_task_ids()`, the registry's).

    Raises MarkerError for misplaced markers, a solution region outside any function or without a TODO line that
    names a known task, and StubCompileError when the result does not compile.
    """
    return _stub_source(source, path, tasks, known_tasks)[0]


def _stub_source(source, path, tasks, known_tasks):
    """(student source, task ids of the regions stubbed) as strip_source describes."""
    lines = split_lines(source)
    regions = find_regions(lines, path)
    stubbed = set()
    if not regions:
        return source, stubbed
    known_tasks = known_task_ids() if known_tasks is None else frozenset(known_tasks)
    scopes = _function_scopes(_parse(source, path), lines)
    string_lines = _string_interior_lines(source)
    stripped = []
    cursor = 0
    for region in regions:
        stripped.extend(lines[cursor:region.begin])
        cursor = region.end + 1
        _check_region_stays_in_its_block(lines, region, string_lines, path)
        if region.kind == "hidden":
            continue
        scope = _enclosing_function(scopes, region, lines)
        if scope is None:
            raise MarkerError(
                path, region.begin + 1,
                f"'{SOLUTION_BEGIN}' outside any function; solution regions belong inside a function body",
            )
        if region.end + 1 > scope.last_line:
            raise MarkerError(
                path, region.end + 1,
                f"'{SOLUTION_END}' lies outside the function {scope.name} that the region starts in",
            )
        task, instructions = read_todo(lines, region.begin, path, known_tasks)
        if tasks is not None and task not in tasks:
            stripped.extend(lines[region.begin:region.end + 1])
            continue
        stubbed.add(task)
        newline = "\r\n" if lines[region.begin].endswith("\r\n") else "\n"
        stripped.extend(raise_statement(region.indent, f"{task}: {instructions}", newline))
    stripped.extend(lines[cursor:])
    student_source = "".join(stripped)
    try:
        compile(student_source, str(path), "exec")
    except SyntaxError as error:
        raise StubCompileError(
            f"{path}: the student version does not compile ({error.msg} at its line {error.lineno}); "
            "a solution region must hold whole statements of one block"
        ) from error
    return student_source, stubbed


def read_source(path):
    """The text of a source file, with a clear error if it is not UTF-8."""
    try:
        return Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReleaseError(f"{path}: not UTF-8 ({error.reason} at byte {error.start}); save it as UTF-8") from error


def strip_file(source_path, student_path, *, display_path=None, tasks=None, known_tasks=None):
    """Write the student version of the Python file `source_path` to `student_path` (options as strip_source);
    return the task ids of the regions stubbed."""
    source = read_source(source_path)
    student, stubbed = _stub_source(source, display_path or source_path, tasks, known_tasks)
    Path(student_path).parent.mkdir(parents=True, exist_ok=True)
    Path(student_path).write_bytes(student.encode("utf-8"))
    return stubbed


def stub_tree(source_dir, student_dir, *, tasks=None, known_tasks=None, display_root=None):
    """Copy the tree `source_dir` to `student_dir`, stripping every .py file; return the copied relative paths.

    - tasks: None stubs every solution region; a set of task ids stubs only the regions of those tasks (see
      strip_source). ReleaseError when one of them has no region in the tree.
    - known_tasks: the task ids a TODO line may name (default: the registry's).
    - display_root: messages name files relative to it (default: the parent of `source_dir`).
    """
    source_dir, student_dir = Path(source_dir), Path(student_dir)
    display_root = Path(display_root) if display_root is not None else source_dir.parent
    known_tasks = known_task_ids() if known_tasks is None else frozenset(known_tasks)
    stubbed = set()
    copied = []
    for source_path in sorted(source_dir.rglob("*")):
        relative = source_path.relative_to(source_dir)
        if source_path.is_dir() or is_ignored(relative):
            continue
        student_path = student_dir / relative
        student_path.parent.mkdir(parents=True, exist_ok=True)
        if source_path.suffix == ".py":
            stubbed |= strip_file(source_path, student_path, display_path=source_path.relative_to(display_root),
                                  tasks=tasks, known_tasks=known_tasks)
        else:
            shutil.copyfile(source_path, student_path)
        copied.append(relative)
    missing = sorted(set(tasks or ()) - stubbed)
    if missing:
        raise ReleaseError(f"{source_dir}: no solution region has the TODO task id(s) {missing}, so none was stubbed")
    return copied
