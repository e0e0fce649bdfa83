"""Import a course_lib folder under a private module name, so that the reference and a student copy never collide.

A module that fails to import is recorded and does not keep the others from loading: only the checks that touch
it fail. Imports the standard library only (it ships to students and runs inside the grading sandbox).
"""
import hashlib
import importlib
import importlib.abc
import importlib.util
import pkgutil
import sys
import traceback
import types
from pathlib import Path

from autograde.checks.spec import LIB_MODULES


class ModuleImportError(ImportError):
    """Accessing a course_lib module that failed to import; the message carries the original error."""


def course_lib_location(filename):
    """`course_lib/layers/affine.py` for a file inside a course_lib folder (whatever folder holds it), else None."""
    parts = Path(filename).parts
    if "course_lib" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("course_lib") - 1 :])
    return None


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
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if course_lib_location(frame.filename)]
    where = f" ({course_lib_location(frames[-1].filename)}, line {frames[-1].lineno})" if frames else ""
    text = str(error).replace(private, "course_lib") if private else str(error)
    return f"course_lib/{relative.replace('.', '/')}.py failed to import: {type(error).__name__}: {text}{where}"


class _PartialPackage(types.ModuleType):
    """Stands in for a package whose __init__ failed: offers what its submodules that do import define, imports its
    submodules on demand (`from course_lib.layers import _validate`), and raises ModuleImportError with the original
    error for anything else."""

    def __init__(self, name, error_text, folder):
        super().__init__(name)
        self._error_text = error_text
        self._folder = folder

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if (self._folder / f"{attribute}.py").is_file():
            return importlib.import_module(f"{self.__name__}.{attribute}")
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
    """Import the package `relative` (e.g. 'layers'); when its __init__ fails, record the error and put in its place
    a _PartialPackage holding the public names of the submodules that import (private submodules, `_validate`,
    excluded), so that modules importing names from it that work still load."""
    name = f"{private}.{relative}"
    try:
        return importlib.import_module(name)
    except Exception as error:  # noqa: BLE001 - one broken file must not hide the modules that work
        text = _import_error_text(f"{relative}.__init__", error, private)
        errors.setdefault(relative, text)
    folder = root / relative.replace(".", "/")
    bare = _bare_package(name, folder)
    partial = _PartialPackage(name, text, folder)
    for module_info in pkgutil.iter_modules([str(folder)]):
        if module_info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"{name}.{module_info.name}")
        except Exception:  # noqa: BLE001 - its error already shows in the package's recorded error
            continue
        for attribute, value in vars(module).items():
            if not attribute.startswith("_") and getattr(value, "__module__", None) == module.__name__:
                setattr(partial, attribute, value)
    partial.__path__, partial.__spec__, partial.__file__ = bare.__path__, bare.__spec__, bare.__file__
    # The private name and its `course_lib.` alias (which the failed import left pointing at the broken package)
    # now both mean the partial package.
    sys.modules[name] = sys.modules[f"course_lib.{relative}"] = partial
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, partial)
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


def private_name(root):
    """The private module name under which the course_lib folder `root` is imported."""
    return "_graded_course_lib_" + hashlib.sha1(str(root).encode()).hexdigest()[:12]


def load_lib(root):
    """Import the course_lib package in folder `root` under a private name and return its Lib.

    Each call imports the files afresh (edited files are picked up). A module that fails to import is recorded in
    lib.import_errors and does not keep the others from loading.
    """
    root = Path(root).resolve()
    if not (root / "__init__.py").is_file():
        raise FileNotFoundError(f"{root} is not a course_lib package folder (no __init__.py)")
    private = private_name(root)
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
