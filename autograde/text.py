"""Text shown to instructors and students: cut to a length, terminal colours removed, counted nouns.

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


def one_line(text, limit):
    """`text` on one line (runs of white space made one space), cut to `limit` characters with `...`."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def strip_ansi(text):
    """`text` without terminal colour codes (tracebacks from a kernel carry them)."""
    return ANSI_ESCAPE.sub("", text)


def plural(count, noun, plural_noun=None):
    """`1 student`, `3 students` (`plural_noun` for the irregular ones)."""
    return f"{count} {noun}" if count == 1 else f"{count} {plural_noun or noun + 's'}"


def short_list(names, limit=10):
    """`a, b, c` or `a, ..., j and 5 more` for a message."""
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
