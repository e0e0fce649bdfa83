"""The side-by-side page of a similar pair: both codes, the shared parts highlighted (copydetect's highlighting)."""
import html
import re
from pathlib import Path

import numpy as np
from copydetect.utils import highlight_overlap

CONTEXT_LINES = 6
SIDE_BY_SIDE_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
.files { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
pre { background: #f6f8fa; padding: 0.6em; overflow-x: auto; font-size: 0.8em; line-height: 1.45; max-height: 40em;
  margin: 0; }
.shared { background: #ffd8a8; }
h2 { font-size: 1.05em; margin-top: 1.6em; } .note { color: #555; }
"""


def side_by_side_name(pair):
    """The file name of a pair's side-by-side page: `<a>--<b>.html`, other characters than [A-Za-z0-9_.-] as _."""
    def safe(name):
        return re.sub(r"[^A-Za-z0-9_.-]", "_", name)

    return f"{safe(pair.a)}--{safe(pair.b)}.html"


def _highlighted(text, slices):
    marked, _ = highlight_overlap(text, np.array(slices, dtype=np.int64).T.reshape(2, -1),
                                  "<span class='shared'>", "</span>", truncate=CONTEXT_LINES, escape_html=True)
    return marked


def _percent(value):
    return "n/a" if value is None else f"{100 * value:.0f}%"


def side_by_side_html(pair):
    """The HTML page of a pair: for each overlapping file, both texts with the shared code highlighted (lines far
    from any shared code are cut to `...`)."""
    sections = []
    for item in pair.files:
        sections.append(
            f"<h2>{html.escape(item.path_a)} &harr; {html.escape(item.path_b)}: {_percent(item.share_a)} of "
            f"{html.escape(pair.a)}'s own code in this file is shared ({item.tokens_a} tokens)</h2>\n"
            f"<div class='files'><pre>{_highlighted(item.text_a, item.slices_a)}</pre>"
            f"<pre>{_highlighted(item.text_b, item.slices_b)}</pre></div>")
    title = f"Similar code: {pair.a} and {pair.b}"
    summary = (f"<p>Score {pair.score:.2f}: {_percent(pair.share_a)} of {html.escape(pair.a)}'s own code is found in "
               f"{html.escape(pair.b)}"
               + ("" if pair.share_b is None else
                  f", and {_percent(pair.share_b)} of {html.escape(pair.b)}'s in {html.escape(pair.a)}")
               + ".</p><p class='note'>Own code: what the release did not contain and not many classmates share. "
                 "Names do not matter to the comparison (every name counts as the same token), so renamed "
                 "variables still match. Highlighted: shared code; left: "
               + html.escape(pair.a) + ", right: " + html.escape(pair.b) + ".</p>")
    return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{SIDE_BY_SIDE_STYLE}</style></head><body>\n<h1>{html.escape(title)}</h1>\n{summary}\n"
            + "\n".join(sections) + "\n</body></html>\n")


def write_side_by_side(pair, out_dir):
    """Write `out_dir/<a>--<b>.html` (see side_by_side_html); returns its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / side_by_side_name(pair)
    path.write_text(side_by_side_html(pair), encoding="utf-8")
    return path
