"""The static scan's rules: what in a student's Python code reaches outside the assignment, found with `ast` in
code that parses (names resolved through the file's imports) and with a few strong words in code that does not.

A finding is (line, kind, reason); autograde.grade.integrity turns findings into Signals.
"""
import ast
import re

from autograde.grade.similarity.code_record import CELL_PREFIX

CELL_LINE = re.compile("^" + re.escape(CELL_PREFIX) + r"(\d+)")
SHELL_CELL_MAGICS = {"bash", "sh", "script", "system", "writefile", "perl", "ruby", "html", "javascript", "js",
                     "latex", "markdown", "svg", "sx"}
IMPORTS = {
    "subprocess": ("process", "imports subprocess, which runs other programs"),
    "pty": ("process", "imports pty, which runs other programs"),
    "socket": ("network", "imports socket"),
    "urllib.request": ("network", "imports urllib.request"),
    "urllib3": ("network", "imports urllib3"),
    "http.client": ("network", "imports http.client"),
    "requests": ("network", "imports requests"),
    "httpx": ("network", "imports httpx"),
    "ftplib": ("network", "imports ftplib"),
    "smtplib": ("network", "imports smtplib"),
    "ctypes": ("native code", "imports ctypes, which calls native code and reads raw memory"),
    "_ctypes": ("native code", "imports _ctypes"),
    "cffi": ("native code", "imports cffi, which calls native code"),
    "numpy.ctypeslib": ("native code", "imports numpy.ctypeslib"),
    "builtins": ("monkeypatch", "imports builtins, the module of Python's own functions"),
    "marshal": ("dynamic code", "imports marshal, which loads compiled code"),
}
CALLS = {
    "os.system": ("process", "runs a shell command"), "os.popen": ("process", "runs a shell command"),
    "os.fork": ("process", "forks the process"), "os.forkpty": ("process", "forks the process"),
    "os.kill": ("process", "sends a signal to a process"), "os.killpg": ("process", "signals a process group"),
    "os._exit": ("process", "ends the interpreter"), "sys.exit": ("process", "ends the interpreter"),
    "builtins.exit": ("process", "ends the interpreter"), "builtins.quit": ("process", "ends the interpreter"),
    "os.setsid": ("process", "leaves its process group"), "signal.signal": ("process", "changes a signal handler"),
    "signal.alarm": ("process", "sets an alarm signal"), "signal.setitimer": ("process", "sets a timer signal"),
    "resource.setrlimit": ("process", "changes the process limits"),
    "atexit.register": ("process", "runs code when the interpreter exits"),
    "get_ipython().system": ("process", "runs a shell command"),
    "get_ipython().getoutput": ("process", "runs a shell command"),
    "urllib.request.urlopen": ("network", "opens a URL"), "urllib.request.urlretrieve": ("network", "downloads"),
    "gc.get_objects": ("introspection", "walks every object of the interpreter"),
    "gc.get_referrers": ("introspection", "walks the interpreter's references"),
    "gc.get_referents": ("introspection", "walks the interpreter's references"),
    "inspect.stack": ("introspection", "reads the call stack"),
    "inspect.currentframe": ("introspection", "reads the call stack"),
    "inspect.getouterframes": ("introspection", "reads the call stack"),
    "inspect.trace": ("introspection", "reads the call stack"),
    "sys._getframe": ("introspection", "reads the call stack"),
    "sys.settrace": ("introspection", "traces every call"), "sys.setprofile": ("introspection", "traces every call"),
    "builtins.eval": ("dynamic code", "evaluates code from a string"),
    "builtins.exec": ("dynamic code", "executes code from a string"),
    "builtins.compile": ("dynamic code", "compiles code from a string"),
    "builtins.__import__": ("dynamic code", "imports a module by a computed name"),
    "os.chdir": ("filesystem", "changes the working folder"),
    "os.path.expanduser": ("filesystem", "reaches the home folder"),
    "pathlib.Path.home": ("filesystem", "reaches the home folder"),
}
EXEC_OR_SPAWN = re.compile(r"^os\.(exec|spawn|posix_spawn)\w*$")
PATH_CALLS = {"builtins.open", "io.open", "os.walk", "os.listdir", "os.scandir", "os.stat", "os.remove",
              "os.unlink", "os.rename", "os.rmdir", "os.makedirs", "os.mkdir", "glob.glob", "glob.iglob",
              "pathlib.Path", "numpy.load", "numpy.loadtxt", "numpy.genfromtxt", "numpy.fromfile", "numpy.save",
              "numpy.savez", "shutil.copy", "shutil.copytree", "shutil.rmtree", "shutil.move"}
PATCH_SETTERS = {"builtins.setattr", "builtins.delattr"}
# Names that are Python's own functions when nothing in the file binds them.
BUILTIN_NAMES = {"open", "eval", "exec", "compile", "__import__", "setattr", "delattr", "exit", "quit"}
# Imported names whose rebinding changes what the checks or the grader see.
GUARDED_ROOTS = ("numpy", "builtins", "autograde", "course_lib")
IMPORT_SYSTEM = {"sys.modules", "sys.meta_path", "sys.path_hooks", "sys.path_importer_cache"}
FRAME_ATTRIBUTES = {"f_back", "f_globals", "f_locals", "f_builtins", "tb_frame", "gi_frame", "cr_frame",
                    "__globals__", "__code__", "__closure__", "__subclasses__"}
SYSTEM_PATH = re.compile(r"^/(proc|sys)(/|$)|^/dev/(?!null$)")
OUTSIDE_PATH = re.compile(r"^(/[\w.*~-]|~/|\.\./)")
TEXT_RULES = (  # for code that does not parse: strong words only
    (re.compile(r"\b(subprocess|os\.system|os\.popen|os\.fork)\b"), "process", "runs other programs"),
    (re.compile(r"\b(socket|urllib\.request|requests\.get)\b"), "network", "uses the network"),
    (re.compile(r"\bctypes\b"), "native code", "uses ctypes"),
    (re.compile(r"\b(sys\.modules|__builtins__|builtins\.)"), "import system", "edits the import system"),
    (re.compile(r"\b(gc\.get_objects|inspect\.stack|sys\._getframe|f_back)\b"), "introspection",
     "walks the interpreter"),
    (re.compile(r"""["']/(proc|sys|etc)/"""), "system files", "reads system files"),
)


def prepare_source(text):
    """(text with IPython magics replaced by `pass` lines, [(line, kind, reason)] of the shell escapes) of a
    `<Notebook>.py` text; a module's text as it is (magics are no Python there)."""
    if not text.startswith(CELL_PREFIX):
        return text, []
    lines = text.splitlines(keepends=True)
    findings = []
    in_foreign_cell = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        indent = line[:len(line) - len(line.lstrip())]
        if CELL_LINE.match(line):
            in_foreign_cell = False
            continue
        magic = re.match(r"^(?:[\w, ]+=\s*)?(!|%%|%)\s*(\w*)", stripped)
        if in_foreign_cell or magic is None:
            if in_foreign_cell:
                lines[index] = "\n"
            continue
        prefix, name = magic.groups()
        if prefix == "!" or name in ("sx", "system") or (prefix == "%%" and name in ("bash", "sh", "script")):
            findings.append((index + 1, "process", "runs a shell command"))
        in_foreign_cell = prefix == "%%" and name in SHELL_CELL_MAGICS
        lines[index] = indent + "pass\n"
    return "".join(lines), findings


def cell_of(text, number):
    """The notebook cell index of line `number` of a `<Notebook>.py` text, or None for a plain file."""
    for line in reversed(text.splitlines()[:number]):
        if match := CELL_LINE.match(line):
            return int(match.group(1))
    return None


def text_findings(text, *, first_line=1):
    """[(line, kind, reason)] of code that does not parse, from TEXT_RULES."""
    return [(number, kind, reason) for number, line in enumerate(text.splitlines(), first_line)
            for pattern, kind, reason in TEXT_RULES if pattern.search(line)]


class CodeVisitor(ast.NodeVisitor):
    """Collects (line, kind, reason) for the rules above in one parsed file; names are resolved through the
    file's imports (`import numpy as np` makes `np.allclose` numpy.allclose)."""

    def __init__(self, tree):
        self.found = []
        self.aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    self.aliases[local] = alias.name if alias.asname else local
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    @classmethod
    def findings(cls, tree):
        visitor = cls(tree)
        visitor.visit(tree)
        return visitor.found

    def add(self, node, kind, reason):
        self.found.append((node.lineno, kind, reason))

    def qualified(self, node):
        """The dotted name an expression stands for, through the imports; None for local values."""
        if isinstance(node, ast.Name):
            if node.id in self.aliases:
                return self.aliases[node.id]
            return f"builtins.{node.id}" if node.id in BUILTIN_NAMES else None
        if isinstance(node, ast.Attribute):
            base = self.qualified(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "get_ipython":
            return "get_ipython()"
        return None

    def _imported(self, module, node):
        for name, (kind, reason) in IMPORTS.items():
            if module == name or module.startswith(name + "."):
                self.add(node, kind, reason)
                return

    def visit_Import(self, node):
        for alias in node.names:
            self._imported(alias.name, node)

    def visit_ImportFrom(self, node):
        if node.module and not node.level:
            self._imported(node.module, node)
            for alias in node.names:
                self._imported(f"{node.module}.{alias.name}", node)

    def visit_Call(self, node):
        name = self.qualified(node.func)
        if name in CALLS:
            self.add(node, *CALLS[name])
        elif name and EXEC_OR_SPAWN.match(name):
            self.add(node, "process", "runs another program")
        elif name in PATCH_SETTERS and node.args and self.qualified(node.args[0]):
            self.add(node, "monkeypatch", f"changes an attribute of {self.qualified(node.args[0])}")
        elif name in PATH_CALLS and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str) and node.args[0].value.startswith("/"):
            self.add(node, "filesystem", f"calls {name} on {node.args[0].value!r}, outside the submission")
        self.generic_visit(node)

    def _target(self, target, verb):
        if isinstance(target, ast.Attribute) and (base := self.qualified(target.value)):
            self.add(target, "monkeypatch", f"{verb} {base}.{target.attr}")
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute) \
                and target.value.attr == "__dict__" and (base := self.qualified(target.value.value)):
            self.add(target, "monkeypatch", f"{verb} an entry of {base}.__dict__")
        elif isinstance(target, ast.Name) and self.aliases.get(target.id, "").startswith(GUARDED_ROOTS):
            self.add(target, "monkeypatch", f"rebinds the imported {self.aliases[target.id]}")
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(element, verb)

    def visit_Assign(self, node):
        for target in node.targets:
            self._target(target, "replaces")
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self._target(node.target, "changes")
        self.generic_visit(node)

    def visit_Delete(self, node):
        for target in node.targets:
            self._target(target, "deletes")
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        if self.aliases.get(node.name, "").startswith(GUARDED_ROOTS):
            self.add(node, "monkeypatch", f"redefines the imported {self.aliases[node.name]}")
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef

    def visit_Attribute(self, node):
        if node.attr in FRAME_ATTRIBUTES:
            self.add(node, "introspection", f"reaches into frames or function internals ({node.attr})")
        elif self.qualified(node) in IMPORT_SYSTEM:
            self.add(node, "import system", f"uses {self.qualified(node)}")
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id == "__builtins__":
            self.add(node, "monkeypatch", "uses __builtins__")

    def visit_Expr(self, node):
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.generic_visit(node)  # a bare string is a docstring or a comment, not a path

    def visit_Constant(self, node):
        if not isinstance(node.value, str) or any(character.isspace() for character in node.value):
            return
        if SYSTEM_PATH.match(node.value):
            self.add(node, "system files", f"names {node.value!r} (the machine's processes and devices)")
        elif OUTSIDE_PATH.match(node.value):
            self.add(node, "filesystem", f"names the path {node.value!r} outside the submission")
