"""Similarity of the code students wrote: pairs of submissions, or a submission and a known public solution, whose
own code is suspiciously alike.

The class record keeps each student's code under `OUT/code/<student>/` (code_record.student_code).
`find_similar` compares it with copydetect (tokenised code with every name replaced by a placeholder,
fingerprints of all k-grams of tokens): classmates file by file (same path), and every file of a student against
each known solution as a whole (its files joined: a public solution has its own layout). Never evidence:

- the release's code (`boilerplate_files`): the cells and statements of the release that a file still holds
  unchanged are left out before fingerprinting, and the release's fingerprints are copydetect's boilerplate;
- between classmates, fingerprints that more than `common_share` of the class have (and at least
  COMMON_MIN_STUDENTS students): the idioms that every correct solution of a short function shares, e.g.
  `out = np.maximum(0, x)` (against a known solution they count, so that a source that much of the class
  copied is still found);
- the code of a side with fewer than `min_tokens` tokens of its own.

A pair's score is the larger of two shares: of A's own tokens found in B, and of B's found in A. Pairs are
flagged at `threshold` and above; docs/report.md gives the scores measured on copied and independent solutions.
"""
import ast
import collections
import copy
import dataclasses
import io
import itertools
from pathlib import Path

import numpy as np
from copydetect.detector import CodeFingerprint, compare_files
from copydetect.utils import get_token_coverage

from autograde.grade.similarity.code_record import (CELL_HEADER, CELL_PREFIX, IGNORED_PARTS, MAX_FILE_BYTES,
                                                    code_files, notebook_code, notebook_text, read_student_code,
                                                    student_code, write_student_code)
from autograde.grade.similarity.side_by_side import side_by_side_html, side_by_side_name, write_side_by_side

__all__ = ["CELL_HEADER", "MAX_FILE_BYTES", "FileOverlap", "SimilarPair", "find_similar", "notebook_code",
           "notebook_text", "read_student_code", "student_code", "write_student_code", "side_by_side_html",
           "side_by_side_name", "write_side_by_side"]

# copydetect's noise threshold: the length of the fingerprinted k-grams, in characters of tokenised code (a name
# is one character there: `out = x_flat @ w + b` is `V=V@V+V`).
NOISE = 25
DEFAULT_THRESHOLD = 0.4
COMMON_SHARE = 0.2
COMMON_MIN_STUDENTS = 10
MIN_TOKENS = 100
# A pair is compared token by token only when one side has at least this share of its distinct fingerprints in
# common with the other, times the threshold (a pair below it cannot come near the threshold).
PREFILTER = 0.5
KNOWN_PREFIX = "known:"


@dataclasses.dataclass
class FileOverlap:
    """The shared code of one file of A and one of B.

    share_a / share_b: the share of each side's own tokens in this file (release code and common idioms left
    out) that the other side has too; tokens_a / tokens_b: how many of each side's tokens are shared;
    slices_a / slices_b: [start, end) character ranges of the shared code in text_a / text_b.
    """

    path_a: str
    path_b: str
    share_a: float
    share_b: float
    tokens_a: int
    tokens_b: int
    slices_a: list
    slices_b: list
    text_a: str = dataclasses.field(repr=False, default="")
    text_b: str = dataclasses.field(repr=False, default="")


@dataclasses.dataclass
class SimilarPair:
    """Two submissions (or a submission and "known:<name>") whose own code is alike.

    score: max(share_a, share_b); share_a: the share of all of A's own tokens found in B (share_b the reverse,
    None when B is a known solution); files: the overlapping files, most shared tokens first.
    """

    a: str
    b: str
    score: float
    share_a: float
    share_b: object
    files: list

    def to_dict(self):
        """The pair as JSON-able data, without the code texts."""
        return {"a": self.a, "b": self.b, "score": round(self.score, 4), "share_a": round(self.share_a, 4),
                "share_b": None if self.share_b is None else round(self.share_b, 4),
                "files": [{"path_a": item.path_a, "path_b": item.path_b, "share_a": round(item.share_a, 4),
                           "share_b": round(item.share_b, 4), "tokens_a": item.tokens_a,
                           "tokens_b": item.tokens_b} for item in self.files]}


def _statement_lines(body):
    """The first line (0-based) of every statement of `body` and, inside functions and classes, of theirs."""
    lines = []
    for node in body:
        lines.append(min([node.lineno] + [item.lineno for item in getattr(node, "decorator_list", [])]) - 1)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            lines += _statement_lines(node.body)
    return lines


def _chunks(text):
    """The units of a text as [(start, end)] character ranges: its cells for a `<Notebook>.py` text; else its
    statements (those of a function or class body each a unit of their own, the `def` or `class` line another);
    else (code that does not parse) the whole text."""
    lines = text.splitlines(keepends=True)
    offsets = list(itertools.accumulate((len(line) for line in lines), initial=0))
    if text.startswith(CELL_PREFIX):
        starts = [number for number, line in enumerate(lines) if line.startswith(CELL_PREFIX)]
    else:
        try:
            starts = _statement_lines(ast.parse(text).body)
        except (SyntaxError, ValueError):
            return [(0, len(text))]
    bounds = sorted({offsets[start] for start in [0] + starts} | {len(text)})
    return [(begin, end) for begin, end in zip(bounds, bounds[1:]) if end > begin]


def _unit_text(text, begin, end):
    """A unit's text without its cell header line (a cell's index can change when a student adds cells)."""
    unit = text[begin:end]
    return unit.split("\n", 1)[1] if unit.startswith(CELL_PREFIX) and "\n" in unit else unit


def _units(text):
    """The set of unit texts of `text` (see _chunks); empty for None."""
    return set() if text is None else {_unit_text(text, *bounds) for bounds in _chunks(text)}


class _Code:
    """A file's own code: the units of `text` that are not among `release_units` (those of the release's file),
    joined into `reduced`, and the segments [(reduced start, text start, length)] that map reduced positions
    back into `text`."""

    def __init__(self, text, release_units):
        self.text = text
        self.segments = []
        parts = []
        position = 0
        for begin, end in _chunks(text):
            if _unit_text(text, begin, end) not in release_units:
                self.segments.append((position, begin, end - begin))
                parts.append(text[begin:end])
                position += end - begin
        self.reduced = "".join(parts)

    def original_slices(self, reduced_slices):
        """[[start, end]] in `text` of [start, end) ranges of `reduced` (a range across two units is split)."""
        mapped = []
        for start, end in zip(reduced_slices[0], reduced_slices[1]):
            for segment_start, text_start, length in self.segments:
                low, high = max(start, segment_start), min(end, segment_start + length)
                if low < high:
                    mapped.append([int(text_start + low - segment_start), int(text_start + high - segment_start)])
        return mapped


def _fingerprint(name, text, noise, boilerplate):
    """copydetect's fingerprint of Python `text` (named `name` in its messages)."""
    return CodeFingerprint(name, noise, 1, boilerplate=boilerplate, fp=io.StringIO(text), language="python")


class _Fingerprints:
    """copydetect fingerprints of own code, one per distinct text, with the release's fingerprints removed.
    `add` every file, then `compute`, then ask for each text's fingerprint with `of`."""

    def __init__(self, boilerplate_files, noise):
        self.noise = noise
        self.release_units = {relative: _units(text) for relative, text in boilerplate_files.items()}
        hashes = set()
        for relative, text in boilerplate_files.items():
            hashes |= _fingerprint(relative, text, noise, None).hashes
        self.boilerplate = np.array(sorted(hashes), dtype=np.int64)
        self.codes = {}
        self.by_text = {}

    def add(self, relative, text):
        if text not in self.codes:
            self.codes[text] = (relative, _Code(text, self.release_units.get(relative, set())))

    def compute(self):
        by_reduced = {}
        for text, (relative, code) in self.codes.items():
            if code.reduced and code.reduced not in by_reduced:
                by_reduced[code.reduced] = _fingerprint(relative, code.reduced, self.noise, self.boilerplate)
            fingerprint = by_reduced.get(code.reduced)
            self.by_text[text] = (fingerprint, code) if fingerprint is not None and fingerprint.hashes else None

    def of(self, text):
        """(fingerprint, _Code) of a file's own code, or None when it has none (e.g. the release's file)."""
        return self.by_text[text]


def _without(entry, hashes):
    """(fingerprint, _Code) `entry` with `hashes` removed from a copy of its fingerprint (and from its token
    coverage); None when nothing is left."""
    fingerprint, code = entry
    if not fingerprint.hashes & hashes:
        return entry
    reduced = copy.copy(fingerprint)
    reduced.hashes = fingerprint.hashes - hashes
    reduced.hash_idx = {value: index for value, index in fingerprint.hash_idx.items() if value not in hashes}
    reduced.token_coverage = get_token_coverage(reduced.hash_idx, reduced.k, len(reduced.filtered_code))
    return (reduced, code) if reduced.hashes else None


def _known_solutions(known_root):
    """{"known:<name>": one text}: each folder of `known_root` (its files joined) and each code file at its top."""
    if known_root is None:
        return {}
    known_root = Path(known_root)
    if not known_root.is_dir():
        raise FileNotFoundError(f"known_root: {known_root} is not a folder; pass the folder of known solutions "
                                "(one sub-folder or .py/.ipynb file per solution) or None")
    known = {}
    for entry in sorted(known_root.iterdir()):
        if entry.is_dir() and entry.name not in IGNORED_PARTS:
            files = code_files(entry)
        elif entry.suffix == ".py":
            files = {entry.name: entry.read_text(encoding="utf-8", errors="replace")}
        elif entry.suffix == ".ipynb":
            files = {entry.with_suffix(".py").name: notebook_code(entry) or ""}
        else:
            continue
        text = "".join(f"# file {relative}\n{content}\n" for relative, content in files.items())
        if text.strip():
            known[KNOWN_PREFIX + entry.stem] = text
    return known


def _compare(path_a, entry_a, path_b, entry_b):
    """FileOverlap of two (fingerprint, _Code) entries, or None when they share nothing."""
    (fingerprint_a, code_a), (fingerprint_b, code_b) = entry_a, entry_b
    tokens_a, (share_a, share_b), (slices_a, slices_b) = compare_files(fingerprint_a, fingerprint_b)
    if tokens_a == 0:
        return None
    return FileOverlap(path_a, path_b, float(share_a), float(share_b), int(tokens_a),
                       int(round(share_b * fingerprint_b.token_coverage)), code_a.original_slices(slices_a),
                       code_b.original_slices(slices_b), code_a.text, code_b.text)


def _pair(a, b, overlaps, coverage_a, coverage_b, min_tokens):
    """SimilarPair of a and b from their file overlaps and their own tokens (coverage); a side with less than
    min_tokens of own code has share 0.

    Against a known solution only A's share counts (each of A's files meets the whole known text, so its
    tokens could be counted more than once): share_b is None there.
    """
    share_a = float(sum(item.tokens_a for item in overlaps) / coverage_a) if coverage_a >= min_tokens else 0.0
    share_b = None
    if not b.startswith(KNOWN_PREFIX):
        share_b = float(sum(item.tokens_b for item in overlaps) / coverage_b) if coverage_b >= min_tokens else 0.0
    overlaps.sort(key=lambda item: (-item.tokens_a, item.path_a))
    return SimilarPair(a, b, max(share_a, share_b or 0.0), share_a, share_b, overlaps)


def find_similar(code_root, *, boilerplate_files, known_root=None, threshold=DEFAULT_THRESHOLD, noise=NOISE,
                 common_share=COMMON_SHARE, min_tokens=MIN_TOKENS):
    """Pairs of submissions under `code_root` (one folder of files per student, as code_record.student_code gives
    them), and of a submission and a known solution under `known_root`, whose score is at least `threshold`.

    boilerplate_files: {relative path: text} of the release (`student_code(release_dir)`), never evidence;
    known_root: None, or a folder with one sub-folder (or one .py/.ipynb file) per known public solution;
    noise: copydetect's k-gram length; common_share: fingerprints that more than this share of the class has
    (and at least COMMON_MIN_STUDENTS students) are idioms, not evidence; min_tokens: a side with less own code
    than this has no share. Returns the pairs, highest score first (see SimilarPair).
    """
    code_root = Path(code_root)
    if not code_root.is_dir():
        raise FileNotFoundError(f"code_root: {code_root} is not a folder; pass OUT/code, one folder per student")
    fingerprints = _Fingerprints(boilerplate_files, noise)
    files_of = {folder.name: read_student_code(folder)
                for folder in sorted(path for path in code_root.iterdir() if path.is_dir())}
    known_texts = _known_solutions(known_root)
    for files in files_of.values():
        for relative, text in files.items():
            fingerprints.add(relative, text)
    for name, text in known_texts.items():
        fingerprints.add(name + ".py", text)
    fingerprints.compute()
    students = {}
    for student, files in files_of.items():
        entries = {relative: fingerprints.of(text) for relative, text in files.items()}
        students[student] = {relative: entry for relative, entry in entries.items() if entry}
    known = {name: fingerprints.of(text) for name, text in known_texts.items() if fingerprints.of(text)}
    # Classmates are compared without the class's idioms; a known solution with them, so that a source that much
    # of the class copied is still found.
    common = _common_hashes(students, common_share)
    classmates = {}
    for student, files in students.items():
        entries = {relative: _without(entry, common) for relative, entry in files.items()}
        classmates[student] = {relative: entry for relative, entry in entries.items() if entry}

    def coverage(files):
        return sum(entry[0].token_coverage for entry in files.values())

    pairs = []
    for (a, b), paths in sorted(_candidate_pairs(classmates, threshold * PREFILTER).items()):
        overlaps = [_compare(relative, classmates[a][relative], relative, classmates[b][relative])
                    for relative in paths]
        pairs.append(_pair(a, b, [item for item in overlaps if item], coverage(classmates[a]),
                           coverage(classmates[b]), min_tokens))
    for a, name in sorted(_known_candidates(students, known, threshold * PREFILTER)):
        overlaps = [_compare(relative, entry, "(all files)", known[name])
                    for relative, entry in sorted(students[a].items())]
        pairs.append(_pair(a, name, [item for item in overlaps if item], coverage(students[a]),
                           known[name][0].token_coverage, min_tokens))
    flagged = [pair for pair in pairs if pair.files and pair.score >= threshold]
    return sorted(flagged, key=lambda pair: (-pair.score, pair.a, pair.b))


def _hash_sets(files):
    return {relative: entry[0].hashes for relative, entry in files.items() if entry[0].hashes}


def _common_hashes(students, common_share):
    """Fingerprints found in more than common_share of the students (and in at least COMMON_MIN_STUDENTS)."""
    counts = collections.Counter()
    for files in students.values():
        counts.update(set().union(*_hash_sets(files).values()))
    limit = max(COMMON_MIN_STUDENTS, common_share * len(students))
    return {value for value, count in counts.items() if count > limit}


def _candidate_pairs(students, least_share):
    """{(a, b): [paths where both have fingerprints]} for a < b where one side has at least `least_share` of its
    distinct fingerprints in the other, from an index of fingerprint -> students."""
    postings = collections.defaultdict(list)
    sizes = {}
    for name, files in students.items():
        hash_sets = _hash_sets(files)
        sizes[name] = sum(len(hashes) for hashes in hash_sets.values())
        for relative, hashes in hash_sets.items():
            for value in hashes:
                postings[relative, value].append(name)
    shared = collections.Counter()
    for names in postings.values():
        shared.update(itertools.combinations(names, 2))
    return {(a, b): sorted(students[a].keys() & students[b].keys()) for (a, b), count in shared.items()
            if count >= least_share * min(sizes[a], sizes[b])}


def _known_candidates(students, known, least_share):
    """{(student, known name)} where at least `least_share` of the student's fingerprints are in the known text."""
    candidates = set()
    for student, files in students.items():
        hashes = set().union(*_hash_sets(files).values())
        for name, (fingerprint, _) in known.items():
            if hashes and len(hashes & fingerprint.hashes) >= least_share * len(hashes):
                candidates.add((student, name))
    return candidates
