"""The solution-marker stripper: golden output, task ids in TODO lines and stubs, stubbing chosen tasks only,
refused markers, byte-for-byte preservation."""
import ast
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from autograde.checks.spec import TASKS
from autograde.release.errors import MarkerError, ReleaseError, StubCompileError
from autograde.release.strip import MAX_LINE_LENGTH, known_task_ids, strip_source, stub_tree

GOLDEN = Path(__file__).parent / "golden"
KNOWN = {"layers.relu_forward", "layers.affine_forward", "fc_net.TwoLayerNet"}


def _strip(text, path="course_lib/mod.py", **options):
    return strip_source(textwrap.dedent(text), path, known_tasks=options.pop("known_tasks", KNOWN), **options)


def _files(folder):
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def _raised_messages(student_source):
    """The messages of the `raise NotImplementedError(...)` statements of a stub, in line order."""
    raises = sorted((node for node in ast.walk(ast.parse(student_source)) if isinstance(node, ast.Raise)
                     and getattr(node.exc.func, "id", "") == "NotImplementedError"), key=lambda node: node.lineno)
    return [node.exc.args[0].value for node in raises]


def test_stub_tree_reproduces_the_golden_student_folder_file_by_file(tmp_path):
    source = tmp_path / "course_lib"
    shutil.copytree(GOLDEN / "source" / "course_lib", source)
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "layers.cpython-311.pyc").write_bytes(b"\x00cache")
    (source / "models" / ".ipynb_checkpoints").mkdir()
    (source / "models" / ".ipynb_checkpoints" / "linear-checkpoint.py").write_text("x = 1\n")
    student = tmp_path / "student" / "course_lib"

    stub_tree(source, student)

    expected = GOLDEN / "student" / "course_lib"
    assert _files(student) == _files(expected)
    for relative in _files(expected):
        assert (student / relative).read_bytes() == (expected / relative).read_bytes(), relative


def _lines_without(lines, spans):
    dropped = {index for first, last in spans for index in range(first, last + 1)}
    return [line for index, line in enumerate(lines) if index not in dropped]


@pytest.mark.parametrize("relative", ["layers.py", "models/linear.py"])
def test_golden_stub_differs_from_its_source_only_inside_the_regions(relative):
    source = (GOLDEN / "source" / "course_lib" / relative).read_text()
    student = (GOLDEN / "student" / "course_lib" / relative).read_text()
    source_lines, student_lines = source.splitlines(), student.splitlines()
    regions, begin = [], None
    for index, line in enumerate(source_lines):
        if line.strip().startswith("### BEGIN"):
            begin = index
        elif line.strip().startswith("### END"):
            regions.append((begin, index))
    stubs = [(node.lineno - 1, node.end_lineno - 1) for node in ast.walk(ast.parse(student))
             if isinstance(node, ast.Raise) and getattr(node.exc.func, "id", "") == "NotImplementedError"]
    assert regions and stubs
    assert _lines_without(student_lines, stubs) == _lines_without(source_lines, regions)


def test_golden_stub_messages_start_with_the_task_id_of_their_todo_line():
    for relative in ("layers.py", "models/linear.py"):
        source = (GOLDEN / "source" / "course_lib" / relative).read_text()
        todo_ids = [line.split("[", 1)[1].split("]", 1)[0] for line in source.splitlines()
                    if line.strip().startswith("# TODO [")]
        messages = _raised_messages((GOLDEN / "student" / "course_lib" / relative).read_text())
        assert [message.split(": ", 1)[0] for message in messages] == todo_ids


def test_region_becomes_raise_with_the_task_id_and_the_todo_text():
    student = _strip('''\
        def relu_forward(x):
            """ReLU."""
            # TODO [layers.relu_forward]: Implement the ReLU forward pass.
            ### BEGIN SOLUTION
            out = np.maximum(0, x)
            ### END SOLUTION
            return out, x
        ''')
    assert student == textwrap.dedent('''\
        def relu_forward(x):
            """ReLU."""
            # TODO [layers.relu_forward]: Implement the ReLU forward pass.
            raise NotImplementedError("layers.relu_forward: Implement the ReLU forward pass.")
            return out, x
        ''')


def test_regions_in_methods_carry_the_task_id_not_the_method_name():
    student = _strip('''\
        class TwoLayerNet:
            def loss(self, X):
                # TODO [fc_net.TwoLayerNet]: Compute the loss.
                ### BEGIN SOLUTION
                return 0.0
                ### END SOLUTION
        ''')
    assert 'raise NotImplementedError("fc_net.TwoLayerNet: Compute the loss.")' in student


def test_multi_line_todo_is_joined_into_one_message():
    student = _strip('''\
        def f(x):
            # TODO [layers.relu_forward]: First part of the instructions,
            #   second part.
            ### BEGIN SOLUTION
            return x
            ### END SOLUTION
        ''')
    assert _raised_messages(student) == ["layers.relu_forward: First part of the instructions, second part."]


def test_by_default_the_task_ids_are_those_of_the_check_registry():
    assert known_task_ids() == frozenset(TASKS)
    student = strip_source("def f(x):\n    # TODO [optim.adam]: Step.\n    ### BEGIN SOLUTION\n    return x\n"
                           "    ### END SOLUTION\n", "course_lib/optim.py")
    assert _raised_messages(student) == ["optim.adam: Step."]


@pytest.mark.parametrize("todo, line, problem", [
    ("    y = x\n", 3, "without a TODO line right above it"),
    ("    # A comment, but no TODO.\n", 3, "without a TODO line right above it"),
    ("    # TODO: Implement it.\n", 2, "names no task; write it as `# TODO [<task id>]: <what to do>`"),
    ("    # TODO layers.relu_forward: Implement it.\n", 2, "names no task"),
    ("    # TODO [layers.relu_forwrad]: Implement it.\n", 2,
     "names the unknown task 'layers.relu_forwrad'; did you mean layers.relu_forward"),
    ("    # TODO [nothing.like.it]: Implement it.\n", 2, "names the unknown task 'nothing.like.it'"),
    ("    # TODO [layers.relu_forward]:\n", 2, "says nothing to do"),
])
def test_region_without_a_todo_line_naming_a_known_task_is_refused_naming_file_and_line(todo, line, problem):
    text = "def f(x):\n" + todo + "    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
    with pytest.raises(MarkerError) as raised:
        strip_source(text, "course_lib/bad.py", known_tasks=KNOWN)
    assert (raised.value.path, raised.value.line) == ("course_lib/bad.py", line)
    assert problem in str(raised.value)


def test_todo_of_an_earlier_region_is_not_reused_for_the_next_one():
    text = textwrap.dedent('''\
        def f(x):
            # TODO [layers.relu_forward]: first.
            ### BEGIN SOLUTION
            y = x
            ### END SOLUTION
            ### BEGIN SOLUTION
            return y
            ### END SOLUTION
        ''')
    with pytest.raises(MarkerError, match=r"^course_lib/two\.py:6: '### BEGIN SOLUTION' without a TODO line"):
        strip_source(text, "course_lib/two.py", known_tasks=KNOWN)


TWO_TASKS = '''\
def relu_forward(x):
    # TODO [layers.relu_forward]: Implement the ReLU forward pass.
    ### BEGIN SOLUTION
    out = np.maximum(0, x)
    ### END SOLUTION
    return out, x


def affine_forward(x, w, b):
    # TODO [layers.affine_forward]: Compute out.
    ### BEGIN SOLUTION
    out = x.reshape(x.shape[0], -1) @ w + b
    ### END SOLUTION
    return out, (x, w, b)
'''


def test_chosen_tasks_are_stubbed_and_the_other_regions_kept_byte_for_byte():
    student = strip_source(TWO_TASKS, "course_lib/layers.py", tasks={"layers.affine_forward"}, known_tasks=KNOWN)
    relu_part, affine_part = TWO_TASKS.split("\n\n\n")
    assert student.startswith(relu_part + "\n\n\n")
    assert _raised_messages(student) == ["layers.affine_forward: Compute out."]
    assert "x.reshape" not in student


def test_an_empty_task_set_stubs_nothing_and_none_stubs_everything():
    assert strip_source(TWO_TASKS, "course_lib/layers.py", tasks=set(), known_tasks=KNOWN) == TWO_TASKS
    everything = strip_source(TWO_TASKS, "course_lib/layers.py", known_tasks=KNOWN)
    assert len(_raised_messages(everything)) == 2


def test_unchosen_regions_are_still_checked_for_a_known_task_id():
    text = TWO_TASKS.replace("[layers.relu_forward]", "[layers.relu]")
    with pytest.raises(MarkerError, match=r"^course_lib/layers\.py:2: .*unknown task 'layers\.relu'"):
        strip_source(text, "course_lib/layers.py", tasks={"layers.affine_forward"}, known_tasks=KNOWN)


def test_stub_tree_with_one_task_stubs_that_task_alone(tmp_path):
    out = tmp_path / "one" / "course_lib"
    stub_tree(GOLDEN / "source" / "course_lib", out, tasks={"fc_net.TwoLayerNet"})
    source = (GOLDEN / "source" / "course_lib" / "layers.py").read_text()
    hidden_tests = re.compile(r"^ *### BEGIN HIDDEN TESTS\n.*?^ *### END HIDDEN TESTS\n", re.MULTILINE | re.DOTALL)
    assert (out / "layers.py").read_text() == hidden_tests.sub("", source)
    assert "### BEGIN SOLUTION" in source
    assert (out / "models" / "linear.py").read_bytes() == (GOLDEN / "student" / "course_lib" / "models" /
                                                           "linear.py").read_bytes()


@pytest.mark.parametrize("tasks", [{"layers.softmax_loss"}, {"layers.softmx_loss"}])
def test_stub_tree_refuses_a_chosen_task_that_no_region_names(tmp_path, tasks):
    with pytest.raises(ReleaseError, match=r"no solution region has the TODO task id\(s\) \['layers\.softm"):
        stub_tree(GOLDEN / "source" / "course_lib", tmp_path / "out" / "course_lib", tasks=tasks)


def test_quotes_and_backslashes_in_the_todo_survive_in_the_message():
    student = _strip('''\
        def f(x):
            # TODO [layers.relu_forward]: Use "np.where" with a \\ path.
            ### BEGIN SOLUTION
            return x
            ### END SOLUTION
        ''')
    assert _raised_messages(student) == ['layers.relu_forward: Use "np.where" with a \\ path.']


def test_long_message_is_wrapped_within_the_line_limit_and_keeps_its_text():
    todo = " ".join(["word"] * 60)
    student = _strip(f'''\
        class Model:
            def step(self):
                # TODO [fc_net.TwoLayerNet]: {todo}
                ### BEGIN SOLUTION
                pass
                ### END SOLUTION
        ''')
    assert max(len(line) for line in student.splitlines() if "TODO" not in line) <= MAX_LINE_LENGTH
    assert _raised_messages(student) == [f"fc_net.TwoLayerNet: {todo}"]


def test_hidden_test_regions_are_removed_with_their_markers():
    student = _strip('''\
        def self_test():
            assert True
            ### BEGIN HIDDEN TESTS
            assert 1 + 1 == 2
            ### END HIDDEN TESTS
            return True
        ''')
    assert student == "def self_test():\n    assert True\n    return True\n"


def test_file_without_markers_is_returned_unchanged():
    source = "import numpy as np\r\n\r\n\r\ndef f(x):\r\n    return x  # café\r\n"
    assert strip_source(source, "m.py") is source


def test_crlf_line_endings_are_kept_around_and_in_the_stub():
    source = ("def f(x):\r\n    # TODO [layers.relu_forward]: Do it.\r\n    ### BEGIN SOLUTION\r\n    return x\r\n"
              "    ### END SOLUTION\r\n")
    stub = ('def f(x):\r\n    # TODO [layers.relu_forward]: Do it.\r\n'
            '    raise NotImplementedError("layers.relu_forward: Do it.")\r\n')
    assert strip_source(source, "m.py", known_tasks=KNOWN) == stub


@pytest.mark.parametrize("text, line, problem", [
    ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    pass\n    ### END SOLUTION\n", 3, "nested"),
    ("def f():\n    ### BEGIN SOLUTION\n    pass\n", 2, "unterminated"),
    ("def f():\n    pass\n    ### END SOLUTION\n", 3, "without a matching"),
    ("def f():\n    ### BEGIN SOLUTION\n    pass\n    ### END HIDDEN TESTS\n", 4, "cannot close"),
    ("def f():\n    ### BEGIN HIDDEN TESTS\n    ### BEGIN SOLUTION\n", 3, "nested"),
    ("x = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION\n", 2, "outside any function"),
    ("class A:\n    ### BEGIN SOLUTION\n    y = 2\n    ### END SOLUTION\n", 2, "outside any function"),
    ("def f():\n    return 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION\n", 3, "outside any function"),
    ('def f():\n    """Mentions ### BEGIN SOLUTION in prose."""\n', 2, "inside other text"),
])
def test_misplaced_markers_are_refused_naming_file_and_line(text, line, problem):
    with pytest.raises(MarkerError) as raised:
        strip_source(text, "course_lib/bad.py", known_tasks=KNOWN)
    assert (raised.value.path, raised.value.line) == ("course_lib/bad.py", line)
    assert str(raised.value).startswith(f"course_lib/bad.py:{line}: ")
    assert problem in str(raised.value)


def test_region_that_leaves_its_block_is_refused_naming_the_line():
    text = textwrap.dedent('''\
        def f(x):
            if x:
                # TODO [layers.relu_forward]: Finish the branch.
                ### BEGIN SOLUTION
                return 1
            else:
                ### END SOLUTION
                return 2
        ''')
    with pytest.raises(MarkerError, match=r"^course_lib/split\.py:6: this line is indented less"):
        strip_source(text, "course_lib/split.py", known_tasks=KNOWN)


def test_region_that_ends_in_the_middle_of_a_statement_fails_to_compile_naming_the_file():
    text = textwrap.dedent('''\
        def f(x):
            # TODO [layers.relu_forward]: Build the list.
            ### BEGIN SOLUTION
            values = [
                x,
            ### END SOLUTION
            ]
            return values
        ''')
    with pytest.raises(StubCompileError, match=r"^course_lib/split\.py: the student version does not compile"):
        strip_source(text, "course_lib/split.py", known_tasks=KNOWN)


def test_dedented_lines_inside_a_multi_line_string_are_allowed_in_a_region():
    student = _strip('''\
        def f():
            # TODO [layers.relu_forward]: Return the banner.
            ### BEGIN SOLUTION
            return """banner
        second line"""
            ### END SOLUTION
        ''')
    assert 'raise NotImplementedError("layers.relu_forward: Return the banner.")' in student


def test_stub_tree_names_the_file_relative_to_the_project_in_errors(tmp_path):
    library = tmp_path / "course_lib" / "layers"
    library.mkdir(parents=True)
    (library / "bad.py").write_text("def f():\n    ### BEGIN SOLUTION\n    pass\n")
    with pytest.raises(MarkerError, match=r"^course_lib/layers/bad\.py:2: unterminated"):
        stub_tree(tmp_path / "course_lib", tmp_path / "out" / "course_lib")


REFERENCE = Path(__file__).resolve().parents[3] / "course_lib"


@pytest.mark.parametrize("task", ["layers.affine_forward", "fc_net.FullyConnectedNet", "optim.sgd_nesterov_momentum"])
def test_the_reference_library_with_one_task_stubbed_changes_only_that_tasks_regions(tmp_path, task):
    out = tmp_path / "course_lib"
    stub_tree(REFERENCE, out, tasks={task})
    changed = {}
    for path in sorted(REFERENCE.rglob("*.py")):
        relative = path.relative_to(REFERENCE)
        if "__pycache__" not in relative.parts and (out / relative).read_text() != path.read_text():
            changed[relative.as_posix()] = _raised_messages((out / relative).read_text())
    assert len(changed) == 1
    (messages,) = changed.values()
    assert messages and all(message.startswith(f"{task}: ") for message in messages)
