"""Similarity of student code: a planted copy is found, independent correct solutions in other styles are not,
release code and the idioms of a whole class are no evidence; the class record of student code; side by side."""
import copy
import json

import numpy as np
import pytest
from solution_styles import COMPACT, STYLES, disguise, solved_files, stub_files

import course_lib.layers as reference_layers
import course_lib.optim as reference_optim
from autograde.grade import similarity

# Local names of the vectorised style, renamed by a student who copies it.
RENAMES = {"flat": "flattened", "hinge": "margin_matrix", "indicator": "grad_mask", "truth": "correct_col",
           "patches": "views", "grads": "dpatch", "dxp": "dx_padded", "windows": "view", "onehot": "target",
           "correction1": "fix1", "correction2": "fix2", "n_idx": "rows", "c_idx": "chans", "flat_arg": "where_max",
           "step": "update", "z": "shifted", "p": "prob", "dr": "row_off", "dc": "col_off"}
INDEPENDENT = ("reference", "loops", "vectorised", "compact")
COPIES = {("copier", "vectorised"), ("compact", "known:public")}


def _load(files):
    """{function name: function} of student course_lib texts, executed against the reference package."""
    functions = {}
    for relative, text in files.items():
        namespace = {"__name__": relative}
        exec(compile(text, relative, "exec"), namespace)
        functions.update({name: value for name, value in namespace.items() if callable(value)})
    return functions


def _cases():
    rng = np.random.RandomState(0)
    x, w, b = rng.randn(4, 3, 2, 5), rng.randn(30, 7), rng.randn(7)
    yield "affine_forward", (x, w, b)
    yield "affine_backward", (rng.randn(4, 7), reference_layers.affine_forward(x, w, b)[1])
    yield "relu_forward", (rng.randn(3, 4),)
    yield "relu_backward", (rng.randn(3, 4), rng.randn(3, 4))
    scores, labels = rng.randn(6, 5), rng.randint(5, size=6)
    yield "svm_loss", (scores, labels)
    yield "softmax_loss", (scores, labels)
    images = rng.randn(2, 3, 6, 6)
    for pool_param in ({"pool_height": 2, "pool_width": 2, "stride": 2}, {"pool_height": 3, "pool_width": 2,
                                                                          "stride": 1}):
        yield "max_pool_forward_naive", (images, pool_param)
        out, cache = reference_layers.max_pool_forward_naive(images, pool_param)
        yield "max_pool_backward_naive", (rng.randn(*out.shape), cache)
    for mode in ("train", "test"):
        dropout_param = {"p": 0.7, "mode": mode, "seed": 3}
        yield "dropout_forward", (rng.randn(20, 30), dropout_param)
        out, cache = reference_layers.dropout_forward(rng.randn(20, 30), dropout_param)
        yield "dropout_backward", (rng.randn(*out.shape), cache)
    filters, biases = rng.randn(4, 3, 3, 3), rng.randn(4)
    for conv_param in ({"stride": 2, "pad": 1}, {"stride": 1, "pad": 0}):
        inputs = rng.randn(2, 3, 7, 7)
        yield "conv_forward_naive", (inputs, filters, biases, conv_param)
        out, cache = reference_layers.conv_forward_naive(inputs, filters, biases, conv_param)
        yield "conv_backward_naive", (rng.randn(*out.shape), cache)
    for rule in ("sgd_momentum", "rmsprop", "adam"):
        yield rule, (rng.randn(3, 4), rng.randn(3, 4), None)


def _arrays(value):
    if isinstance(value, (tuple, list)):
        return [array for item in value for array in _arrays(item)]
    if isinstance(value, dict):
        return [array for key in sorted(value) for array in _arrays(value[key])]
    return [] if value is None or isinstance(value, str) else [np.asarray(value, dtype=float)]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_every_style_is_a_correct_solution(style):
    functions = _load(solved_files(style))
    for name, arguments in _cases():
        reference = getattr(reference_layers, name, None) or getattr(reference_optim, name)
        got = _arrays(functions[name](*copy.deepcopy(arguments)))
        expected = _arrays(reference(*copy.deepcopy(arguments)))
        assert len(got) == len(expected) and all(np.allclose(a, b) for a, b in zip(got, expected)), (style, name)


@pytest.fixture(scope="module")
def class_record(tmp_path_factory):
    """OUT/code of four students who solved the functions independently, one who copied `vectorised` with
    renamed variables and reordered functions, and a known public solution that `compact` is taken from."""
    root = tmp_path_factory.mktemp("similarity")
    students = {style: solved_files(style) for style in INDEPENDENT}
    students["copier"] = disguise(students["vectorised"], RENAMES)
    for name, files in students.items():
        similarity.write_student_code(root / "code" / name, files)
    public = "import numpy as np\n\n\n" + "\n\n".join(
        f"def {name}(*args):\n" + "\n".join("    " + line for line in body.strip("\n").splitlines())
        for name, body in COMPACT.items())
    (root / "known" / "public").mkdir(parents=True)
    (root / "known" / "public" / "layers.py").write_text(public)
    return root


def _scores(class_record, **options):
    pairs = similarity.find_similar(class_record / "code", boilerplate_files=stub_files(),
                                    known_root=class_record / "known", **options)
    return {(pair.a, pair.b): pair for pair in pairs}


def test_the_planted_copy_and_the_copy_of_a_known_solution_are_the_only_flagged_pairs(class_record):
    flagged = _scores(class_record)
    assert set(flagged) == COPIES
    assert flagged["copier", "vectorised"].score >= 0.95
    assert flagged["compact", "known:public"].share_b is None


def test_independent_solutions_stay_well_below_the_threshold(class_record):
    everything = _scores(class_record, threshold=0.0)
    others = {key: pair.score for key, pair in everything.items() if key not in COPIES}
    assert len(others) >= 10
    assert max(others.values()) <= similarity.DEFAULT_THRESHOLD - 0.05


def test_copying_half_of_the_files_is_still_flagged(tmp_path):
    vectorised, compact = solved_files("vectorised"), solved_files("compact")
    half = {relative: (vectorised if relative.endswith(("affine.py", "losses.py", "optim.py")) else compact)[relative]
            for relative in vectorised}
    for name, files in {"vectorised": vectorised, "loops": solved_files("loops"),
                        "half": disguise(half, RENAMES)}.items():
        similarity.write_student_code(tmp_path / name, files)
    pairs = similarity.find_similar(tmp_path, boilerplate_files=stub_files())
    assert [(pair.a, pair.b) for pair in pairs] == [("half", "vectorised")]
    assert similarity.DEFAULT_THRESHOLD <= pairs[0].score < 0.8


def test_the_untouched_release_is_never_similar(tmp_path):
    for name in ("first", "second"):
        similarity.write_student_code(tmp_path / name, stub_files())
    assert similarity.find_similar(tmp_path, boilerplate_files=stub_files(), threshold=0.0) == []


def test_code_that_most_of_a_large_class_shares_is_no_evidence(tmp_path):
    own_helper = ("\n\ndef _shared_helper(values, scale):\n    result = []\n    for index in range(len(values)):\n"
                  "        result.append(values[index] * scale + index % 7)\n    return result[::-1]\n")
    for number in range(12):
        files = solved_files("reference")
        if number < 2:
            files["course_lib/layers/losses.py"] += own_helper
        similarity.write_student_code(tmp_path / f"student{number:02d}", files)
    pairs = similarity.find_similar(tmp_path, boilerplate_files=stub_files(), min_tokens=10)
    assert [(pair.a, pair.b) for pair in pairs] == [("student00", "student01")]
    assert [item.path_a for item in pairs[0].files] == ["course_lib/layers/losses.py"]


def test_a_known_solution_that_most_of_the_class_copied_is_still_found(tmp_path):
    from solution_styles import reference_bodies

    for number in range(12):
        similarity.write_student_code(tmp_path / "code" / f"student{number:02d}", solved_files("reference"))
    (tmp_path / "known").mkdir()
    (tmp_path / "known" / "blog.py").write_text("import numpy as np\n\n\n" + "\n\n".join(
        f"def {name}(*args):\n" + "\n".join("    " + line for line in body.strip("\n").splitlines())
        for name, body in reference_bodies().items()))
    pairs = similarity.find_similar(tmp_path / "code", boilerplate_files=stub_files(), known_root=tmp_path / "known")
    assert {(pair.a, pair.b) for pair in pairs} == {(f"student{number:02d}", "known:blog") for number in range(12)}


def test_side_by_side_page_highlights_the_shared_code_of_both(class_record, tmp_path):
    pair = _scores(class_record)["copier", "vectorised"]
    path = similarity.write_side_by_side(pair, tmp_path)
    text = path.read_text()
    assert path.name == "copier--vectorised.html"
    assert text.count("<span class='shared'>") >= 2 * len(pair.files)
    assert "margin_matrix" in text and "hinge" in text
    first = pair.files[0]
    start, end = first.slices_a[0]
    assert first.text_a[start:end].strip() and "raise NotImplementedError" not in first.text_a[start:end]


def test_student_code_keeps_course_lib_files_and_joins_notebook_code_cells(tmp_path):
    (tmp_path / "course_lib" / "layers" / "__pycache__").mkdir(parents=True)
    (tmp_path / "course_lib" / "__init__.py").write_text("")
    (tmp_path / "course_lib" / "layers" / "affine.py").write_text("x = 1\n")
    (tmp_path / "course_lib" / "layers" / "__pycache__" / "affine.cpython-311.py").write_text("junk")
    (tmp_path / "course_lib" / "notes.txt").write_text("not code")
    notebook = {"cells": [{"cell_type": "markdown", "source": ["# Title"]},
                          {"cell_type": "code", "source": ["import numpy as np\n", "x = np.ones(3)"]},
                          {"cell_type": "code", "source": "y = x + 1\n"}], "nbformat": 4}
    (tmp_path / "Dropout.ipynb").write_text(json.dumps(notebook))
    (tmp_path / "Broken.ipynb").write_text("{not json")
    files = similarity.student_code(tmp_path)
    assert sorted(files) == ["Dropout.py", "course_lib/__init__.py", "course_lib/layers/affine.py"]
    assert files["Dropout.py"] == "# %% cell 1\nimport numpy as np\nx = np.ones(3)\n\n# %% cell 2\ny = x + 1\n"


def test_student_code_round_trips_through_the_class_record_and_refuses_paths_outside(tmp_path):
    files = {"course_lib/optim.py": "a = 1\n", "Dropout.py": "# %% cell 0\nb = 2\n"}
    similarity.write_student_code(tmp_path / "alice", files)
    similarity.write_student_code(tmp_path / "alice", {"Dropout.py": "c = 3\n"})
    assert similarity.read_student_code(tmp_path / "alice") == {"Dropout.py": "c = 3\n"}
    with pytest.raises(ValueError, match="not a path inside"):
        similarity.write_student_code(tmp_path / "bob", {"../escape.py": "x = 1\n"})


def test_known_root_that_is_not_a_folder_is_refused(class_record):
    with pytest.raises(FileNotFoundError, match="known_root"):
        similarity.find_similar(class_record / "code", boilerplate_files={}, known_root=class_record / "absent")
