"""Integrity signals per student: things an instructor should look at before trusting a grade.

Three sources, each Signal saying which (`source`):

- "result": the grade itself: tampered checks (the notebook's own check passed where the trusted one did not),
  timeouts, kernels that died, sandboxed children that crashed or hit a limit, a grader error;
- "log": the sandbox output (logs/<student>.txt): the sandbox refusing a file, the network or a new process;
- "code": a static scan of the student's own code (`scan_code`, with `ast`; the sandbox stops such code, the
  scan says that it was tried): reaching outside the assignment (the filesystem outside the submission, other
  programs, the network, native code), patching numpy, builtins or imported names, editing `sys.modules`,
  reading /proc, and walking the interpreter's objects or frames (`gc.get_objects`, `inspect.stack`, `f_back`).

What the release itself contains (`baseline_files`, e.g. course_lib/_allocator.py's ctypes call) is no signal.
"""
import ast
import dataclasses
import functools
import re

from autograde.grade.integrity.code_rules import CELL_LINE, CodeVisitor, cell_of, prepare_source, text_findings
from autograde.text import one_line

RESULT, LOG, CODE = "result", "log", "code"
DETAIL_CHARACTERS = 160
LISTED_CHECKS = 3
# Words of the grader's own messages (autograde/grade/library/, autograde/grade/notebooks/) on how a run ended.
KERNEL_DEATH = re.compile(r"kernel died", re.I)
SANDBOX_ENDINGS = re.compile(
    r"crashed the interpreter|was killed \(SIGKILL\)|exceeded the CPU time limit|exceeded the memory limit|"
    r"wrote a file larger than the limit|ended the process with exit code|result stream was corrupted|"
    r"sandbox ended before running|wrote more than .* of files")
LOG_PATTERNS = (
    ("filesystem", "the sandbox refused a file access",
     re.compile(r"Permission denied|Read-only file system|Operation not permitted")),
    ("filesystem", "looked for a file outside the submission",
     re.compile(r"No such file or directory: '(/|~|\.\./)")),
    ("network", "tried the network", re.compile(
        r"Network is unreachable|Name or service not known|Temporary failure in name resolution|"
        r"Connection refused|No address associated with hostname")),
    ("process", "could not start a process (the process limit)", re.compile(
        r"Resource temporarily unavailable|BlockingIOError|can't start new thread")),
    ("output", "flooded its output", re.compile(r"more bytes of output dropped")),
)


@dataclasses.dataclass(frozen=True)
class Signal:
    """One thing to look at: kind (e.g. "tampered", "network", "monkeypatch"), where (a check id, "log:<line>",
    or "path:line", with " (cell N)" in a notebook), detail (a short reason, with the code or message it is about) and source (result, log, code)."""

    kind: str
    where: str
    detail: str
    source: str = CODE

    def to_dict(self):
        return dataclasses.asdict(self)



def _short(text):
    return one_line(text, DETAIL_CHARACTERS)


def _listed(ids):
    shown = ", ".join(ids[:LISTED_CHECKS])
    return shown + (f" and {len(ids) - LISTED_CHECKS} more" if len(ids) > LISTED_CHECKS else "")


def result_signals(result):
    """Signals of a student result dict: one per tampered check, one for all timeouts, one per kind of abnormal
    end (kernel death, sandbox limit or crash) and one for a grader error."""
    signals = []
    timeouts, deaths, endings = [], [], {}
    for check in result.get("checks", []):
        status, message = check.get("status"), str(check.get("message", ""))
        if status == "tampered":
            signals.append(Signal("tampered", check["id"], _short(message), RESULT))
        elif status == "timeout":
            timeouts.append(check["id"])
        if KERNEL_DEATH.search(message):
            deaths.append(check["id"])
        elif status in ("error", "timeout") and (ending := SANDBOX_ENDINGS.search(message)):
            endings.setdefault(ending.group(0), []).append(check)
    if timeouts:
        signals.append(Signal("timeout", timeouts[0], f"{len(timeouts)} check(s) ran out of time: "
                              f"{_listed(timeouts)}", RESULT))
    if deaths:
        signals.append(Signal("kernel died", deaths[0], f"the kernel died in {len(deaths)} check(s): "
                              f"{_listed(deaths)}", RESULT))
    for checks in endings.values():
        ids = [check["id"] for check in checks]
        signals.append(Signal("sandbox", ids[0], _short(f"{_listed(ids)}: {checks[0]['message']}"), RESULT))
    if result.get("error"):
        signals.append(Signal("grader", "grader", _short(str(result["error"]).strip().splitlines()[-1]), RESULT))
    return signals


def log_signals(log_text):
    """Signals of the sandbox output: one per pattern of LOG_PATTERNS that occurs, with the first such line."""
    signals = []
    lines = (log_text or "").splitlines()
    for kind, reason, pattern in LOG_PATTERNS:
        hits = [(number, line) for number, line in enumerate(lines, 1) if pattern.search(line)]
        if hits:
            number, line = hits[0]
            count = f" ({len(hits)} lines)" if len(hits) > 1 else ""
            signals.append(Signal(kind, f"log:{number}", _short(f"{reason}{count}: {line.strip()}"), LOG))
    return signals


def _file_findings(text):
    """[(line, kind, reason)] of one file: `ast` where the code parses, cell by cell for a notebook whose whole
    text does not, and the text rules (see code_rules.text_findings) for what does not parse at all."""
    source, magic_findings = prepare_source(text)
    try:
        return magic_findings + CodeVisitor.findings(ast.parse(source))
    except (SyntaxError, ValueError):
        pass
    findings = list(magic_findings)
    lines = source.splitlines(keepends=True)
    starts = [index for index, line in enumerate(lines) if CELL_LINE.match(line)] or [0]
    for begin, end in zip(starts, starts[1:] + [len(lines)]):
        chunk = "".join(lines[begin:end])
        try:
            tree = ast.parse("\n" * begin + chunk)
        except (SyntaxError, ValueError):
            findings += text_findings(chunk, first_line=begin + 1)
            continue
        findings += CodeVisitor.findings(tree)
    return findings


@functools.lru_cache(maxsize=64)
def _release_findings(text):
    """{(kind, line text)} of a release file (the same for every student: computed once)."""
    return frozenset((kind, _line(text, number)) for number, kind, _ in _file_findings(text))


def _line(text, number):
    lines = text.splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""


def scan_code(files, *, baseline_files=None):
    """Signals of a static scan of {relative path: text} (a student's course_lib files and `<Notebook>.py`
    texts, as similarity.student_code gives them), sorted by file and line.

    baseline_files: {relative path: text} of the release; a finding whose kind and line text the same file of
    the release has too is dropped (the release's own code is not the student's doing).
    """
    baseline_files = baseline_files or {}
    signals = []
    for relative in sorted(files):
        text = files[relative]
        if not relative.endswith(".py"):
            continue
        known = _release_findings(baseline_files[relative]) if relative in baseline_files else frozenset()
        seen = set()
        for number, kind, reason in sorted(_file_findings(text)):
            line = _line(text, number)
            if (kind, line) in known or (number, kind) in seen:
                continue
            seen.add((number, kind))
            cell = cell_of(text, number)
            where = f"{relative}:{number}" + (f" (cell {cell})" if cell is not None else "")
            signals.append(Signal(kind, where, _short(f"{reason}: {line}"), CODE))
    return signals


def signals_for(result, code_files, log_text, *, baseline_files=None):
    """Every signal of one student: from the result dict, the sandbox log text and a scan of `code_files`
    ({relative path: text}; `baseline_files` as in scan_code)."""
    return (result_signals(result) + log_signals(log_text)
            + scan_code(code_files or {}, baseline_files=baseline_files))
