"""The solution-marker stripper: golden output, refused markers, TODO text, byte-for-byte preservation."""
import ast
import shutil
import textwrap
from pathlib import Path

import pytest

from autograde.release.errors import MarkerError, StubCompileError
from autograde.release.strip import FALLBACK_TODO, MAX_LINE_LENGTH, strip_source, stub_tree

GOLDEN = Path(__file__).parent / "golden"


def _strip(text, path="course_lib/mod.py"):
    return strip_source(textwrap.dedent(text), path)


def _files(folder):
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


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


def test_region_becomes_raise_naming_the_function_with_the_todo_text():
    student = _strip('''\
        def relu_forward(x):
            """ReLU."""
            # TODO: Implement the ReLU forward pass.
            ### BEGIN SOLUTION
            out = np.maximum(0, x)
            ### END SOLUTION
            return out, x
        ''')
    assert student == textwrap.dedent('''\
        def relu_forward(x):
            """ReLU."""
            # TODO: Implement the ReLU forward pass.
            raise NotImplementedError("relu_forward: Implement the ReLU forward pass.")
            return out, x
        ''')


def test_methods_are_named_class_dot_method():
    student = _strip('''\
        class Net:
            def loss(self, X):
                # TODO: Compute the loss.
                ### BEGIN SOLUTION
                return 0.0
                ### END SOLUTION
        ''')
    assert 'raise NotImplementedError("Net.loss: Compute the loss.")' in student


def test_multi_line_todo_is_joined_into_one_message():
    student = _strip('''\
        def f(x):
            # TODO: First part of the instructions,
            #   second part.
            ### BEGIN SOLUTION
            return x
            ### END SOLUTION
        ''')
    assert 'raise NotImplementedError("f: First part of the instructions, second part.")' in student


def test_missing_todo_falls_back_to_the_generic_text():
    student = _strip('''\
        def f(x):
            y = x
            ### BEGIN SOLUTION
            return y
            ### END SOLUTION
        ''')
    assert f'raise NotImplementedError("f: {FALLBACK_TODO}")' in student


def test_todo_of_an_earlier_region_is_not_reused_for_the_next_one():
    student = _strip('''\
        def f(x):
            # TODO: first.
            ### BEGIN SOLUTION
            y = x
            ### END SOLUTION
            ### BEGIN SOLUTION
            return y
            ### END SOLUTION
        ''')
    assert '"f: first."' in student and f'"f: {FALLBACK_TODO}"' in student


def test_quotes_and_backslashes_in_the_todo_survive_in_the_message():
    student = _strip('''\
        def f(x):
            # TODO: Use "np.where" with a \\ path.
            ### BEGIN SOLUTION
            return x
            ### END SOLUTION
        ''')
    raised = [node for node in ast.walk(ast.parse(student)) if isinstance(node, ast.Raise)]
    assert raised[0].exc.args[0].value == 'f: Use "np.where" with a \\ path.'


def test_long_message_is_wrapped_within_the_line_limit_and_keeps_its_text():
    todo = " ".join(["word"] * 60)
    student = _strip(f'''\
        class Model:
            def step(self):
                # TODO: {todo}
                ### BEGIN SOLUTION
                pass
                ### END SOLUTION
        ''')
    assert max(len(line) for line in student.splitlines() if "TODO" not in line) <= MAX_LINE_LENGTH
    raised = [node for node in ast.walk(ast.parse(student)) if isinstance(node, ast.Raise)]
    assert raised[0].exc.args[0].value == f"Model.step: {todo}"


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
    source = "def f(x):\r\n    # TODO: Do it.\r\n    ### BEGIN SOLUTION\r\n    return x\r\n    ### END SOLUTION\r\n"
    stub = 'def f(x):\r\n    # TODO: Do it.\r\n    raise NotImplementedError("f: Do it.")\r\n'
    assert strip_source(source, "m.py") == stub


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
        strip_source(text, "course_lib/bad.py")
    assert (raised.value.path, raised.value.line) == ("course_lib/bad.py", line)
    assert str(raised.value).startswith(f"course_lib/bad.py:{line}: ")
    assert problem in str(raised.value)


def test_region_that_leaves_its_block_is_refused_naming_the_line():
    text = textwrap.dedent('''\
        def f(x):
            if x:
                # TODO: Finish the branch.
                ### BEGIN SOLUTION
                return 1
            else:
                ### END SOLUTION
                return 2
        ''')
    with pytest.raises(MarkerError, match=r"^course_lib/split\.py:6: this line is indented less"):
        strip_source(text, "course_lib/split.py")


def test_region_that_ends_in_the_middle_of_a_statement_fails_to_compile_naming_the_file():
    text = textwrap.dedent('''\
        def f(x):
            # TODO: Build the list.
            ### BEGIN SOLUTION
            values = [
                x,
            ### END SOLUTION
            ]
            return values
        ''')
    with pytest.raises(StubCompileError, match=r"^course_lib/split\.py: the student version does not compile"):
        strip_source(text, "course_lib/split.py")


def test_dedented_lines_inside_a_multi_line_string_are_allowed_in_a_region():
    student = _strip('''\
        def f():
            # TODO: Return the banner.
            ### BEGIN SOLUTION
            return """banner
        second line"""
            ### END SOLUTION
        ''')
    assert 'raise NotImplementedError("f: Return the banner.")' in student


def test_stub_tree_names_the_file_relative_to_the_project_in_errors(tmp_path):
    library = tmp_path / "course_lib" / "layers"
    library.mkdir(parents=True)
    (library / "bad.py").write_text("def f():\n    ### BEGIN SOLUTION\n    pass\n")
    with pytest.raises(MarkerError, match=r"^course_lib/layers/bad\.py:2: unterminated"):
        stub_tree(tmp_path / "course_lib", tmp_path / "out" / "course_lib")
