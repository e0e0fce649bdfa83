"""The check registry: what a check is, how it runs and how it is judged.

A check is one graded behaviour of one task (`layers.max_pool_backward_naive.overlapping`). Its `probe(lib)` makes
its own inputs from a fixed seed, calls the code under test through `lib` and returns plain arrays; its
`compare(got, expected, reveal=...)` judges those arrays against the values the reference library produced. The
probe runs wherever the student's code runs (a notebook, `python -m autograde check`, the grader's sandbox); the
comparison runs only on plain numeric ndarrays, so in the grader it happens in the trusted process.

This module ships to students and runs inside the grading sandbox: it imports numpy and the standard library only.
"""
import dataclasses
import hashlib
import importlib
import importlib.abc
import importlib.util
import pkgutil
import sys
import traceback
import types
import warnings
from pathlib import Path

import numpy as np

NOTEBOOKS = ("FullyConnectedNets", "BatchNormalization", "Dropout", "ConvolutionalNetworks")

# Every graded course_lib task, in the order the notebooks meet them, with the notebook that grades it.
TASKS = {
    "layers.affine_forward": "FullyConnectedNets",
    "layers.affine_backward": "FullyConnectedNets",
    "layers.relu_forward": "FullyConnectedNets",
    "layers.relu_backward": "FullyConnectedNets",
    "layers.svm_loss": "FullyConnectedNets",
    "layers.softmax_loss": "FullyConnectedNets",
    "fc_net.TwoLayerNet": "FullyConnectedNets",
    "fc_net.FullyConnectedNet": "FullyConnectedNets",
    "optim.sgd_momentum": "FullyConnectedNets",
    "optim.rmsprop": "FullyConnectedNets",
    "optim.adam": "FullyConnectedNets",
    "layers.batchnorm_forward": "BatchNormalization",
    "layers.batchnorm_backward": "BatchNormalization",
    "layers.batchnorm_backward_alt": "BatchNormalization",
    "layers.layernorm_forward": "BatchNormalization",
    "layers.layernorm_backward": "BatchNormalization",
    "fc_net.FullyConnectedNet_normalization": "BatchNormalization",
    "layers.dropout_forward": "Dropout",
    "layers.dropout_backward": "Dropout",
    "fc_net.FullyConnectedNet_dropout": "Dropout",
    "layers.conv_forward_naive": "ConvolutionalNetworks",
    "layers.conv_backward_naive": "ConvolutionalNetworks",
    "layers.max_pool_forward_naive": "ConvolutionalNetworks",
    "layers.max_pool_backward_naive": "ConvolutionalNetworks",
    "cnn.ThreeLayerConvNet": "ConvolutionalNetworks",
    "layers.spatial_batchnorm_forward": "ConvolutionalNetworks",
    "layers.spatial_batchnorm_backward": "ConvolutionalNetworks",
    "layers.spatial_groupnorm_forward": "ConvolutionalNetworks",
    "layers.spatial_groupnorm_backward": "ConvolutionalNetworks",
}

# Lib attribute -> module path inside a course_lib folder.
LIB_MODULES = {
    "layers": "layers",
    "fast_layers": "fast_layers",
    "layer_utils": "layer_utils",
    "fc_net": "classifiers.fc_net",
    "cnn": "classifiers.cnn",
    "optim": "optim",
    "solver": "solver",
    "gradient_check": "gradient_check",
}

CHECKS_DIR = Path(__file__).resolve().parent
EXPECTED_DIR = CHECKS_DIR.parent / "expected"
EXPECTED_FILES = {False: EXPECTED_DIR / "public.npz", True: EXPECTED_DIR / "hidden.npz"}


@dataclasses.dataclass(frozen=True)
class Check:
    """One graded behaviour of one task.

    - id: `<task>.<case>`, e.g. `layers.affine_forward.notebook_case`.
    - task: the task id (`layers.affine_forward`); notebook: the notebook whose test cell grades it.
    - points: what passing earns.
    - probe: probe(lib) -> dict of output name -> array; runs the code under test.
    - compare: compare(got, expected, reveal=True) -> (ok, detail); `reveal=False` (hidden checks) keeps expected
      values out of the detail.
    - hidden: True for checks that never ship to students.
    - hint: what to look at when the check fails.
    - case: the behaviour and inputs in words ("stride 2, pad 0, non-square 7x5 input"), shown in every message.
    - stored: the probe outputs kept as expected values (None: all of them; () for checks that judge properties).
    """

    id: str
    task: str
    notebook: str
    points: int
    probe: object
    compare: object
    hidden: bool
    hint: str
    case: str = ""
    stored: tuple = None

    @property
    def function(self):
        """The name a student knows the task by: `affine_forward`, `FullyConnectedNet`."""
        name = self.task.split(".", 1)[1]
        for variant in ("_normalization", "_dropout"):
            name = name.removesuffix(variant)
        return name


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """The verdict on one check: status is 'pass', 'fail' or 'error'; points earned out of max_points."""

    check_id: str
    task: str
    status: str
    points: int
    max_points: int
    message: str

    @property
    def passed(self):
        return self.status == "pass"


class CheckDefinitionError(Exception):
    """A check module registers something inconsistent (unknown task, duplicate id)."""


class ModuleImportError(ImportError):
    """Accessing a course_lib module that failed to import; the message carries the original error."""


_REGISTRY = {}
_LOADED_PACKAGES = set()


def register(check_id, *, points=1, hint, case="", compare=None, stored=None, hidden=None):
    """Decorator that registers probe(lib) as the check `check_id` and returns the probe unchanged.

    The task is `check_id` without its last part and must be in TASKS. `hidden` defaults to whether the probe
    lives in the `hidden` package. `compare` defaults to compare_close().
    """
    task, _, case_name = check_id.rpartition(".")
    if task not in TASKS or not case_name:
        raise CheckDefinitionError(
            f"check id {check_id!r} must be '<task>.<case>' with a task from spec.TASKS ({', '.join(TASKS)})"
        )

    def decorator(probe):
        is_hidden = ".hidden." in probe.__module__ if hidden is None else hidden
        if check_id in _REGISTRY and _REGISTRY[check_id].probe.__module__ != probe.__module__:
            raise CheckDefinitionError(f"check id {check_id!r} is registered twice")
        _REGISTRY[check_id] = Check(
            id=check_id,
            task=task,
            notebook=TASKS[task],
            points=points,
            probe=probe,
            compare=compare or compare_close(),
            hidden=is_hidden,
            hint=hint,
            case=case,
            stored=None if stored is None else tuple(stored),
        )
        return probe

    return decorator


def hidden_available():
    """True when the hidden checks and their expected values are present (instructor side)."""
    return (CHECKS_DIR / "hidden" / "__init__.py").is_file() and EXPECTED_FILES[True].is_file()


def _load_package(name):
    if name in _LOADED_PACKAGES:
        return
    package = importlib.import_module(f"{__package__}.{name}")
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
        if module_info.name.startswith("_"):
            continue
        importlib.import_module(f"{package.__name__}.{module_info.name}")
    _LOADED_PACKAGES.add(name)


def _want_hidden(hidden):
    if hidden is None:
        return hidden_available()
    if hidden and not (CHECKS_DIR / "hidden" / "__init__.py").is_file():
        raise FileNotFoundError(f"hidden checks requested but {CHECKS_DIR / 'hidden'} is absent (a student release?)")
    return bool(hidden)


def all_checks(*, hidden=None):
    """Every registered check in task order (TASKS), public before hidden within a task.

    hidden: None includes the hidden checks when they are present, True requires them, False leaves them out.
    """
    _load_package("public")
    if _want_hidden(hidden):
        _load_package("hidden")
        include_hidden = True
    else:
        include_hidden = False
    task_order = {task: index for index, task in enumerate(TASKS)}
    checks = [check for check in _REGISTRY.values() if include_hidden or not check.hidden]
    return sorted(checks, key=lambda check: (task_order[check.task], check.hidden))


def checks_for(task, *, hidden=None):
    """The checks of one task (or, given a check id, that one check). Raises KeyError for an unknown id."""
    checks = all_checks(hidden=hidden)
    selected = [check for check in checks if check.task == task or check.id == task]
    if not selected:
        raise KeyError(f"unknown task or check {task!r}; known tasks: {', '.join(tasks())}")
    return selected


def tasks(notebook=None):
    """Task ids in notebook order, all of them or those of one notebook."""
    if notebook is not None and notebook not in NOTEBOOKS:
        raise KeyError(f"unknown notebook {notebook!r}; known notebooks: {', '.join(NOTEBOOKS)}")
    return [task for task, owner in TASKS.items() if notebook is None or owner == notebook]


def task_points(task, *, hidden=None):
    """Points of a task: the sum over its checks (what the nbgrader test cell of the task is worth)."""
    return sum(check.points for check in checks_for(task, hidden=hidden))


def grade_id_for(task):
    """nbgrader grade_id of the test cell that grades `task`: `layers.affine_forward` -> `layers-affine_forward`."""
    return task.replace(".", "-")


def task_for_grade_id(grade_id):
    """Inverse of grade_id_for."""
    return grade_id.replace("-", ".")


def rel_error(got, expected, floor=1e-4):
    """Largest elementwise relative error max |g - e| / max(|g| + |e|, f), with f = max(1e-8, floor * max|e|).

    This is CS231n's rel_error, except that entries far below the size of the expected array are measured
    against `floor` times that size, so roundoff in entries that should be zero does not count as an error.
    """
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.size == 0:
        return 0.0
    scale = max(1e-8, floor * float(np.max(np.abs(expected))))
    return float(np.max(np.abs(got - expected) / np.maximum(np.abs(got) + np.abs(expected), scale)))


def _format_value(value):
    return np.array2string(np.asarray(value), precision=8, threshold=8, edgeitems=3, separator=", ")


def _bad_entries(name, value):
    """A message when `value` holds NaN or inf, else None."""
    if value.dtype.kind != "f" or np.all(np.isfinite(value)):
        return None
    index = tuple(int(i) for i in np.argwhere(~np.isfinite(value))[0])
    where = f" at index {index}" if value.ndim else ""
    return (f"{name} holds {value[index]}{where} (overflow or 0/0: look for exp of large numbers, division by "
            "zero or the square root of a negative number)")


def compare_close(rtol=1e-6, *, floor=1e-4, keys=None):
    """The default comparison: every expected output (or those in `keys`) has the expected shape, is finite and
    has rel_error(got, expected, floor) <= rtol."""

    def compare(got, expected, reveal=True):
        problems = []
        for name in keys or sorted(expected):
            want = expected[name]
            if name not in got:
                problems.append(f"{name} was not returned")
                continue
            have = got[name]
            if have.size == want.size == 1:
                # A loss returned as a 1-element array or a 0-d array is the same scalar.
                have = have.reshape(want.shape)
            if have.shape != want.shape:
                problems.append(f"{name} has shape {have.shape}, expected shape {want.shape}")
                continue
            bad = _bad_entries(name, have)
            if bad and np.all(np.isfinite(want)):
                problems.append(bad)
                continue
            error = rel_error(have, want, floor)
            if error <= rtol:
                continue
            text = f"{name}: rel_error {error:.2e} > tolerance {rtol:.0e}"
            if reveal:
                if have.ndim == 0:
                    text += f"; got {have.item():.10g}, expected {want.item():.10g}"
                else:
                    differs = ~np.isclose(have, want, rtol=rtol, atol=rtol * floor * float(np.max(np.abs(want))))
                    count = int(differs.sum()) or 1
                    index = tuple(int(i) for i in np.argwhere(differs)[0]) if differs.any() else (0,) * have.ndim
                    text += (
                        f"; {count} of {have.size} entries differ, first at index {index}: "
                        f"got {have[index]:.8g}, expected {want[index]:.8g}"
                    )
            problems.append(text)
        return not problems, "; ".join(problems)

    return compare


def _as_plain_array(name, value):
    """Validate one probe output in the trusted process: a plain numeric ndarray (or a Python number)."""
    if type(value) in (bool, int, float) or isinstance(value, np.generic):
        value = np.array(value)
    if type(value) is not np.ndarray:
        raise TypeError(f"output {name!r} is a {type(value).__name__}, not a plain numpy array")
    if value.dtype.kind not in "biuf":
        raise TypeError(f"output {name!r} has dtype {value.dtype}, not a numeric dtype")
    return value


def evaluate(check, got, expected):
    """Judge a probe's outputs against the stored expected values; returns (ok, message).

    Runs in the trusted process: `got` must map names to plain numeric ndarrays (what np.load gives back); nothing
    of the student's objects is called here. A hidden check's message names the behaviour but no expected value.
    """
    if not expected and check.stored != ():
        return False, message_for(check, "no expected values are stored for this check: run "
                                         "`python -m autograde expected` (instructor) or reinstall the release")
    try:
        if not isinstance(got, dict):
            raise TypeError(f"the probe returned a {type(got).__name__}, not a dict of arrays")
        plain = {str(name): _as_plain_array(name, value) for name, value in got.items()}
        expected = {name: _as_plain_array(name, value) for name, value in expected.items()}
        with np.errstate(all="ignore"):
            ok, detail = check.compare(plain, expected, reveal=not check.hidden)
    except (TypeError, ValueError, KeyError, IndexError, FloatingPointError) as error:
        ok, detail = False, f"could not compare the outputs: {error}"
    return bool(ok), message_for(check, detail if not ok else "")


def message_for(check, detail):
    """One line: the check, the function and case, what went wrong and what to look at."""
    case = f" [{check.case}]" if check.case else ""
    label = "hidden check: " if check.hidden else ""
    if not detail:
        return f"{label}{check.function}{case}"
    return f"{label}{check.function}{case}: {detail}. Hint: {check.hint}"


def _course_lib_location(filename):
    parts = Path(filename).parts
    if "course_lib" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("course_lib") - 1 :])
    return None


HIDDEN_ERROR_CHARACTERS = 100


def describe_error(check, error):
    """A message for an exception the probe raised: a stub's NotImplementedError says which TODO to fill in."""
    frames = traceback.extract_tb(error.__traceback__)
    in_course_lib = [frame for frame in frames if _course_lib_location(frame.filename)]
    where = ""
    if in_course_lib:
        frame = in_course_lib[-1]
        where = f"{_course_lib_location(frame.filename)}, line {frame.lineno}"
    if isinstance(error, NotImplementedError):
        text = str(error)
        name = text.split(":", 1)[0].strip() if ":" in text else ""
        if not name.isidentifier():
            name = in_course_lib[-1].name if in_course_lib else check.function
        location = where.split(",")[0] if where else "course_lib"
        detail = f"{name} is not implemented yet: fill in the TODO in {location}"
        case = f" [{check.case}]" if check.case else ""
        return f"{'hidden check: ' if check.hidden else ''}{check.function}{case}: {detail}"
    if isinstance(error, ModuleImportError):
        return message_for(check, str(error))
    detail = str(error)
    if check.hidden:
        # The student's own message could echo the hidden inputs (e.g. `raise ValueError(repr(x))`): keep its
        # first line, short, so that the feedback names the behaviour but cannot carry the hidden case out.
        first_line = detail.splitlines()[0] if detail else ""
        detail = first_line if len(first_line) <= HIDDEN_ERROR_CHARACTERS else \
            first_line[:HIDDEN_ERROR_CHARACTERS] + " [...]"
    text = f"raised {type(error).__name__}: {detail}"
    if where:
        text += f" (in {where})"
    return message_for(check, text)


def _plain_outputs(outputs):
    if not isinstance(outputs, dict):
        raise TypeError(f"a probe must return a dict of arrays, got {type(outputs).__name__}")
    return {name: np.array(value, subok=False) for name, value in outputs.items()}


def run_probe(check, lib):
    """Run a check's probe against `lib`; returns (outputs, warning_messages).

    Outputs are copied into plain ndarrays. numpy floating-point warnings are recorded, never printed (a test cell
    that writes to stderr scores 0 in nbgrader). The global numpy random state is restored afterwards so a
    notebook's own random sequence is unaffected. Exceptions from the code under test propagate.
    """
    random_state = np.random.get_state()
    try:
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
            warnings.simplefilter("always")
            outputs = _plain_outputs(check.probe(lib))
    finally:
        np.random.set_state(random_state)
    notes = sorted({f"{type(w.message).__name__}: {w.message}" for w in caught if isinstance(w.message, Warning)})
    return outputs, notes


def run_check(check, lib, expected):
    """Probe and judge one check in this process; returns a CheckResult (never raises for student errors)."""
    try:
        outputs, notes = run_probe(check, lib)
    except Exception as error:  # noqa: BLE001 - any failure of student code is a verdict, not a crash
        return CheckResult(check.id, check.task, "error", 0, check.points, describe_error(check, error))
    return judge(check, outputs, expected, notes)


def judge(check, outputs, expected, notes=()):
    """The CheckResult for probe outputs (plain arrays, e.g. loaded back from a sandbox) and expected values;
    `notes` are the numpy warnings run_probe recorded, appended to a failure's message."""
    ok, message = evaluate(check, outputs, expected)
    if not ok and notes:
        message += f" (numpy warned: {'; '.join(notes)})"
    return CheckResult(check.id, check.task, "pass" if ok else "fail", check.points if ok else 0, check.points,
                       message)


def load_expected(*, hidden=False):
    """The stored expected values: {check id: {output name: array}} from expected/public.npz or hidden.npz."""
    path = EXPECTED_FILES[bool(hidden)]
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `python -m autograde expected` to generate it")
    values = {}
    with np.load(path, allow_pickle=False) as archive:
        for key in archive.files:
            check_id, _, name = key.rpartition("/")
            values.setdefault(check_id, {})[name] = archive[key]
    return values


class Lib:
    """The course_lib modules a probe uses: lib.layers, lib.fast_layers, lib.layer_utils, lib.fc_net, lib.cnn,
    lib.optim, lib.solver, lib.gradient_check. A module that failed to import raises ModuleImportError with the
    original error when a probe touches it, so only the checks that need it fail."""

    def __init__(self, root, modules, errors):
        self.root = root
        self._modules = dict(modules)
        self.import_errors = dict(errors)

    def __getattr__(self, name):
        modules = self.__dict__.get("_modules", {})
        if name in modules:
            return modules[name]
        errors = self.__dict__.get("import_errors", {})
        if name in errors:
            raise ModuleImportError(errors[name])
        raise AttributeError(f"Lib has no module {name!r}; modules: {', '.join(LIB_MODULES)}")

    def __repr__(self):
        return f"Lib({self.root}, loaded={sorted(self._modules)}, failed={sorted(self.import_errors)})"


def _import_error_text(relative, error, private=None):
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if _course_lib_location(frame.filename)]
    where = f" ({_course_lib_location(frames[-1].filename)}, line {frames[-1].lineno})" if frames else ""
    text = str(error).replace(private, "course_lib") if private else str(error)
    return f"course_lib/{relative.replace('.', '/')}.py failed to import: {type(error).__name__}: {text}{where}"


class _PartialPackage(types.ModuleType):
    """Stands in for a package whose __init__ failed: offers what its submodules that do import define, and raises
    ModuleImportError with the original error for anything else."""

    def __init__(self, name, error_text):
        super().__init__(name)
        self._error_text = error_text

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        raise ModuleImportError(f"{attribute} is unavailable: {self._error_text}")


def _bare_package(name, folder):
    """Register the package `name` for `folder` without running its __init__.py, so its submodules can import."""
    spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, package)
    return package


def _import_package_tolerant(private, root, relative, errors):
    """Import the package `relative` (e.g. 'classifiers'); when its __init__ fails, record the error, register a
    bare package instead and return a _PartialPackage holding the public names of the submodules that import."""
    name = f"{private}.{relative}"
    try:
        return importlib.import_module(name)
    except Exception as error:  # noqa: BLE001 - one broken file must not hide the modules that work
        text = _import_error_text(f"{relative}.__init__", error, private)
        errors.setdefault(relative, text)
    folder = root / relative.replace(".", "/")
    _bare_package(name, folder)
    partial = _PartialPackage(name, text)
    for module_info in pkgutil.iter_modules([str(folder)]):
        try:
            module = importlib.import_module(f"{name}.{module_info.name}")
        except Exception:  # noqa: BLE001 - its error already shows in the package's recorded error
            continue
        for attribute, value in vars(module).items():
            if not attribute.startswith("_") and getattr(value, "__module__", None) == module.__name__:
                setattr(partial, attribute, value)
    return partial


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """While a course_lib folder is being loaded, serve `import course_lib.X` from its private copy, so that a
    student copy written with absolute imports uses its own modules, never the installed reference."""

    def __init__(self, private_name):
        self.private_name = private_name
        self.modules = {}

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "course_lib" and not fullname.startswith("course_lib."):
            return None
        module = importlib.import_module(self.private_name + fullname[len("course_lib") :])
        self.modules[fullname] = module
        return importlib.util.spec_from_loader(fullname, self, is_package=hasattr(module, "__path__"))

    def create_module(self, spec):
        return self.modules[spec.name]

    def exec_module(self, module):
        """The private module is already executed."""


def _private_name(root):
    return "_graded_course_lib_" + hashlib.sha1(str(root).encode()).hexdigest()[:12]


def load_lib(root):
    """Import the course_lib package in folder `root` under a private name and return its Lib.

    Each call imports the files afresh (edited files are picked up). A module that fails to import is recorded in
    lib.import_errors and does not keep the others from loading.
    """
    root = Path(root).resolve()
    if not (root / "__init__.py").is_file():
        raise FileNotFoundError(f"{root} is not a course_lib package folder (no __init__.py)")
    private = _private_name(root)
    for name in [name for name in sys.modules if name == private or name.startswith(private + ".")]:
        del sys.modules[name]
    saved = {name: sys.modules.pop(name) for name in list(sys.modules)
             if name == "course_lib" or name.startswith("course_lib.")}
    finder = _AliasFinder(private)
    sys.meta_path.insert(0, finder)
    modules, errors = {}, {}
    try:
        spec = importlib.util.spec_from_file_location(private, root / "__init__.py",
                                                      submodule_search_locations=[str(root)])
        package = importlib.util.module_from_spec(spec)
        sys.modules[private] = package
        try:
            spec.loader.exec_module(package)
        except Exception as error:  # noqa: BLE001 - a broken __init__ must not hide the modules that work
            errors["__init__"] = _import_error_text("__init__", error, private)
        packages = {}
        for relative in ("layers", "classifiers"):
            if (root / relative / "__init__.py").is_file():
                packages[relative] = _import_package_tolerant(private, root, relative, errors)
        for attribute, relative in LIB_MODULES.items():
            if relative in packages:
                modules[attribute] = packages[relative]
                continue
            try:
                modules[attribute] = importlib.import_module(f"{private}.{relative}")
            except Exception as error:  # noqa: BLE001 - recorded per module; only checks that need it fail
                errors[attribute] = _import_error_text(relative, error, private)
    finally:
        sys.meta_path.remove(finder)
        for name in [name for name in sys.modules if name == "course_lib" or name.startswith("course_lib.")]:
            del sys.modules[name]
        sys.modules.update(saved)
    return Lib(root, modules, errors)


def lib_from_installed():
    """The Lib of the normally imported `course_lib` package (what a notebook's own imports use)."""
    modules, errors = {}, {}
    root = None
    for attribute, relative in LIB_MODULES.items():
        try:
            modules[attribute] = importlib.import_module(f"course_lib.{relative}")
        except Exception as error:  # noqa: BLE001 - recorded per module; only checks that need it fail
            errors[attribute] = _import_error_text(relative, error)
    if "course_lib" in sys.modules:
        root = Path(sys.modules["course_lib"].__file__).resolve().parent
    return Lib(root, modules, errors)


def as_namespace(**modules):
    """A Lib from explicit modules or namespaces (tests substitute one function: as_namespace(layers=...))."""
    return Lib(None, {name: value if value is not None else types.SimpleNamespace() for name, value in
                      modules.items()}, {})
