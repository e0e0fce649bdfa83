"""Text shown to instructors and students: cut to a length, terminal colours removed.

Standard library only: it is copied into the library sandbox with the probe code.
"""
import re

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def trim(text, limit, *, keep_end=False):
    """`text` stripped and cut to about `limit` characters with a marker where it was cut; keep_end keeps its last
    half too (the end of a traceback says most)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    if keep_end:
        return text[: limit // 2] + "\n[...]\n" + text[-limit // 2:]
    return text[:limit] + " [...]"


def strip_ansi(text):
    """`text` without terminal colour codes (tracebacks from a kernel carry them)."""
    return ANSI_ESCAPE.sub("", text)
