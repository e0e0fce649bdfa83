"""The class report's HTML: one self-contained page (inline style, SVG and script, nothing fetched).

Long lists sit in scroll boxes or in <details>, so the page's height hardly grows with the class; the student
and check tables sort by a click on a column header (numbers by value, text alphabetically) and the student
table filters as you type.
"""
import html
import urllib.parse

from autograde.grade.report import analysis, charts
from autograde.text import one_line

TOP_CHECKS = 15
MESSAGE_CHARACTERS = 140
WEAK_DISCRIMINATION = 0.1

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; padding: 0 1.5em 3em; max-width: 78em; color: #1f2328; }
header { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #d0d7de; padding: 0.6em 0; z-index: 2; }
header h1 { font-size: 1.3em; margin: 0 0 0.2em; } nav a { margin-right: 1em; white-space: nowrap; }
h2 { font-size: 1.15em; margin-top: 1.8em; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; }
.cards { display: flex; flex-wrap: wrap; gap: 0.6em; margin: 1em 0; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.4em 0.9em; min-width: 6.5em; }
.card b { display: block; font-size: 1.35em; } .card span { color: #59636e; font-size: 0.85em; }
.row { display: flex; flex-wrap: wrap; gap: 2em; align-items: flex-start; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border-bottom: 1px solid #e4e7eb; padding: 0.25em 0.55em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; }
th[aria-sort=ascending]::after { content: " \\25B2"; } th[aria-sort=descending]::after { content: " \\25BC"; }
.scroll { max-height: 28em; overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; }
.scroll thead th { position: sticky; top: 0; z-index: 1; }
.bar { display: inline-block; height: 0.7em; background: #4c72b0; vertical-align: middle; margin-right: 0.4em; }
.track { display: inline-block; width: 6em; background: #e4e7eb; vertical-align: middle; text-align: left; }
.flag { display: inline-block; border-radius: 4px; padding: 0 0.35em; margin: 0 0.2em 0.1em 0; font-size: 0.85em;
  background: #eef1f4; } .flag.tampered, .flag.similar, .flag.integrity { background: #ffd8a8; }
.flag.timeouts { background: #ffe3e3; }
.message, code { font-family: ui-monospace, monospace; font-size: 0.85em; } td.message { max-width: 30em; }
td.check { max-width: 24em; overflow-wrap: anywhere; } td.nowrap { white-space: nowrap; }
.bad { color: #b42318; font-weight: 600; } .weak { color: #9a6700; } .muted { color: #59636e; }
details { margin: 0.3em 0; } summary { cursor: pointer; }
.controls { margin: 0.5em 0; } .controls input[type=search] { width: 22em; padding: 0.2em; }
svg.chart rect { fill: #4c72b0; } svg.chart text { font-size: 11px; fill: #59636e; }
svg.chart .axis { stroke: #8c959f; } svg.chart .mean { stroke: #d1242f; stroke-width: 2; }
svg.chart .median { stroke: #1a7f37; stroke-width: 2; stroke-dasharray: 4 3; }
.legend-mean { color: #d1242f; } .legend-median { color: #1a7f37; }
"""

SCRIPT = """
(function () {
  function key(cell, numeric) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (!numeric) return raw.toLowerCase();
    var value = parseFloat(raw);
    return isNaN(value) ? -Infinity : value;
  }
  function sortBy(header) {
    var table = header.closest("table"), body = table.tBodies[0];
    var column = Array.prototype.indexOf.call(header.parentNode.children, header);
    var numeric = header.getAttribute("data-type") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[column], numeric), y = key(b.cells[column], numeric);
      var order = numeric ? (x < y ? -1 : x > y ? 1 : 0) : x.localeCompare(y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.querySelectorAll("table.sortable th").forEach(function (header) {
    header.tabIndex = 0;
    header.addEventListener("click", function () { sortBy(header); });
    header.addEventListener("keydown", function (event) { if (event.key === "Enter") sortBy(header); });
  });
  var filter = document.getElementById("student-filter"), flagged = document.getElementById("flagged-only");
  var shown = document.getElementById("students-shown");
  function applyFilter() {
    var words = filter.value.trim().toLowerCase(), count = 0;
    document.querySelectorAll("#students tbody tr").forEach(function (row) {
      var visible = row.textContent.toLowerCase().indexOf(words) >= 0 &&
        (!flagged.checked || row.getAttribute("data-flagged") === "1");
      row.hidden = !visible;
      count += visible ? 1 : 0;
    });
    shown.textContent = count;
  }
  if (filter) { filter.addEventListener("input", applyFilter); flagged.addEventListener("change", applyFilter); }
})();
"""


def escape(text):
    return html.escape(str(text), quote=True)


def points(value):
    return f"{round(float(value), 2):g}"


def percent(fraction):
    return f"{100 * fraction:.0f}%"



def student_link(student, feedback_root):
    href = f"{feedback_root.rstrip('/')}/{urllib.parse.quote(student)}/index.html"
    return f"<a href='{escape(href)}'>{escape(student)}</a>"


def anchor(prefix, name):
    return prefix + "-" + "".join(character if character.isalnum() else "_" for character in name)


def summary_section(summary, totals, pending_answers, pending_students):
    cards = [("students", summary["students"]), ("mean", points(summary["mean"])),
             ("median", points(summary["median"])),
             ("min - max", f"{points(summary['min'])} - {points(summary['max'])}"),
             ("out of", points(summary["max_points"])), ("answers to grade by hand", pending_answers),
             ("students with answers pending", pending_students)]
    parts = ["<section id='summary'><h2>Summary</h2><div class='cards'>"]
    parts += [f"<div class='card'><b>{escape(value)}</b><span>{escape(label)}</span></div>" for label, value in cards]
    parts.append("</div><div class='row'><div>")
    svg = charts.histogram_svg(totals, summary["max_points"], mean=summary["mean"] if totals else None,
                               median=summary["median"] if totals else None)
    if svg:
        parts.append(f"{svg}<div class='muted'>Totals of the class; <span class='legend-mean'>mean</span> and "
                     "<span class='legend-median'>median</span> as lines.</div>")
    parts.append("</div><table><thead><tr><th>notebook</th><th class='num'>mean</th><th class='num'>of</th>"
                 "<th></th></tr></thead><tbody>")
    for notebook, (mean, maximum) in summary["notebook_means"].items():
        fraction = mean / maximum if maximum else 0.0
        parts.append(f"<tr><td>{escape(notebook)}</td><td class='num'>{points(mean)}</td>"
                     f"<td class='num'>{points(maximum)}</td><td><span class='track'><span class='bar' "
                     f"style='width:{100 * fraction:.0f}%'></span></span>{percent(fraction)}</td></tr>")
    parts.append("</tbody></table></div></section>")
    return "".join(parts)


def look_section(looks, feedback_root):
    parts = [f"<section id='look'><h2>Needs a look ({len(looks)})</h2>"]
    if not looks:
        return parts[0] + "<p>Nobody: no tampered or failing-to-run checks, no signals.</p></section>"
    parts.append("<p class='muted'>One row per student, the most serious first: tampered checks, integrity signals "
                 "and similar code before errors and timeouts.</p><div class='scroll'><table><thead><tr>"
                 "<th>student</th><th class='num'>total</th><th>why</th></tr></thead><tbody>")
    for row, reasons in looks:
        parts.append(f"<tr><td>{student_link(row.student, feedback_root)}</td><td class='num'>{points(row.total)}"
                     f"</td><td>{escape(reasons)}</td></tr>")
    parts.append("</tbody></table></div></section>")
    return "".join(parts)


def flags(row):
    """[(css class, label)] of a student's flags, in a fixed order."""
    found = [("tampered", row.statuses.get("tampered", 0)), ("timeouts", row.statuses.get("timeout", 0)),
             ("errors", row.statuses.get("error", 0) + bool(row.error)),
             ("integrity", len(row.own_signals)), ("similar", len(row.similar))]
    return [(name, f"{name} {count}") for name, count in found if count]


def students_section(rows, notebooks, feedback_root):
    header = ("<th>student</th><th class='num' data-type='number'>total</th><th class='num' data-type='number'>max"
              "</th><th class='num' data-type='number'>%</th>"
              + "".join(f"<th class='num' data-type='number'>{escape(notebook)}</th>" for notebook in notebooks)
              + "<th class='num' data-type='number'>pending</th><th data-type='number'>flags</th>")
    parts = [f"<section id='students-section'><h2>Students ({len(rows)})</h2><div class='controls'>"
             "<input id='student-filter' type='search' placeholder='Filter: a name, or a flag such as tampered' "
             "aria-label='filter students'> <label><input id='flagged-only' type='checkbox'> only flagged</label> "
             f"<span class='muted'>showing <span id='students-shown'>{len(rows)}</span> of {len(rows)}; click a "
             "column header to sort; the name opens the student's feedback</span></div>"
             f"<div class='scroll'><table id='students' class='sortable'><thead><tr>{header}</tr></thead><tbody>"]
    for row in rows:
        fraction = row.total / row.max_points if row.max_points else 0.0
        row_flags = flags(row)
        cells = "".join(f"<td class='num'>{points(row.notebooks.get(notebook, (0.0, 0.0))[0])}</td>"
                        for notebook in notebooks)
        pending_points = sum(float(item.get("max_points", 0)) for item in row.pending)
        pending = (f"<td class='num' data-sort='{len(row.pending)}' title='{points(pending_points)} points'>"
                   f"{len(row.pending)}</td>" if row.pending else "<td class='num' data-sort='0'></td>")
        badges = "".join(f"<span class='flag {name}'>{escape(label)}</span>" for name, label in row_flags)
        parts.append(f"<tr data-flagged='{int(bool(row_flags))}'><td>{student_link(row.student, feedback_root)}"
                     f"</td><td class='num'>{points(row.total)}</td><td class='num'>{points(row.max_points)}</td>"
                     f"<td class='num' data-sort='{fraction:.4f}'>{percent(fraction)}</td>{cells}{pending}"
                     f"<td data-sort='{len(row_flags)}'>{badges}</td></tr>")
    parts.append("</tbody></table></div></section>")
    return "".join(parts)


def _discrimination_cell(item):
    if item.discrimination is None:
        return "<td class='num' data-sort=''>-</td>"
    value = item.discrimination
    css = "bad" if value < 0 else "weak" if value < WEAK_DISCRIMINATION and 0.1 <= item.pass_rate <= 0.9 else ""
    return f"<td class='num {css}' data-sort='{value:.4f}'>{value:+.2f}</td>"


def _checks_table(stats, sortable):
    parts = [f"<table{' class=sortable' if sortable else ''}><thead><tr><th>check</th><th>notebook</th>"
             "<th class='num' data-type='number'>pass rate</th><th class='num' data-type='number'>discrimination</th>"
             "<th>did not pass</th><th>most frequent message</th></tr></thead><tbody>"]
    for item in stats:
        statuses = [f"{count} {status}" for status, count in item.not_passed.most_common()]
        not_passed = (f"<span title='{escape(', '.join(statuses))}'>{escape(', '.join(statuses[:2]))}"
                      f"{' ...' if len(statuses) > 2 else ''}</span>")
        message = (f"<span class='muted'>{item.top_message_count}x</span> {escape(one_line(item.top_message, MESSAGE_CHARACTERS))}"
                   if item.top_message else "")
        hidden = " <span class='muted'>(hidden)</span>" if item.hidden else ""
        parts.append(f"<tr><td class='check'><code>{escape(item.id)}</code>{hidden}</td><td>{escape(item.notebook)}"
                     f"</td><td class='num nowrap' data-sort='{item.pass_rate:.4f}'><span class='track'><span "
                     f"class='bar' style='width:{100 * item.pass_rate:.0f}%'></span></span>{percent(item.pass_rate)}"
                     f"</td>{_discrimination_cell(item)}<td class='nowrap'>{not_passed}</td>"
                     f"<td class='message'>{message}</td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def checks_section(stats):
    parts = [f"<section id='checks'><h2>Checks ({len(stats)})</h2>"]
    if not stats:
        return parts[0] + "<p>No graded checks.</p></section>"
    weak = [item for item in stats if item.discrimination is not None and item.discrimination < WEAK_DISCRIMINATION
            and 0.1 <= item.pass_rate <= 0.9]
    parts.append("<p class='muted'>Lowest pass rate first. Discrimination: the pass rate of the top 27% of the class "
                 "by total minus that of the bottom 27%; near 0 the check does not separate strong from weak "
                 "submissions, <span class='bad'>below 0</span> weak submissions pass it more often than strong "
                 f"ones (worth checking the check). {len(weak)} check(s) with a pass rate between 10% and 90% "
                 f"discriminate weakly (<span class='weak'>under {WEAK_DISCRIMINATION}</span>).</p>")
    parts.append(f"<h3>The {min(TOP_CHECKS, len(stats))} hardest</h3>{_checks_table(stats[:TOP_CHECKS], False)}")
    parts.append(f"<details><summary>All {len(stats)} checks (sortable)</summary><div class='scroll'>"
                 f"{_checks_table(stats, True)}</div></details></section>")
    return "".join(parts)


def pending_section(rows):
    students, answers = analysis.pending_summary(rows)
    parts = ["<section id='pending'><h2>Manual grading</h2>"]
    if not answers:
        return parts[0] + "<p>Nothing left to grade by hand.</p></section>"
    items = sum(answer[3] for answer in answers)
    parts.append(f"<p><b>{len(answers)} answer(s) of {students} student(s) still to grade by hand</b> ({items} in "
                 "all), in nbgrader's formgrader. The totals above do not include them yet.</p>"
                 "<table><thead><tr><th>answer</th><th>notebook</th><th class='num'>points</th>"
                 "<th class='num'>students</th></tr></thead><tbody>")
    parts += [f"<tr><td><code>{escape(answer_id)}</code></td><td>{escape(notebook)}</td>"
              f"<td class='num'>{points(max_points)}</td><td class='num'>{count}</td></tr>"
              for answer_id, notebook, max_points, count in answers]
    parts.append("</tbody></table></section>")
    return "".join(parts)


def _signal_table(signals):
    return ("<table><thead><tr><th>kind</th><th>where</th><th>detail</th></tr></thead><tbody>"
            + "".join(f"<tr><td>{escape(signal.kind)}</td><td><code>{escape(signal.where)}</code></td>"
                      f"<td class='message'>{escape(signal.detail)}</td></tr>" for signal in signals)
            + "</tbody></table>")


def integrity_section(rows, feedback_root):
    """Students with signals from their code or logs, or a tampered check, one <details> each; those whose
    signals come from their results only (timeouts, crashes: the tables above show them too) in one list."""
    flagged = [row for row in rows if row.signals]
    serious = [row for row in flagged if row.own_signals or row.statuses.get("tampered")]
    serious.sort(key=lambda row: (-len(row.own_signals), -len(row.signals), row.student))
    others = [row for row in flagged if row not in serious]
    parts = [f"<section id='integrity'><h2>Integrity signals ({len(flagged)} students)</h2>"]
    if not flagged:
        return parts[0] + "<p>No signals.</p></section>"
    parts.append("<p class='muted'>From the grades (tampered checks, timeouts, crashes), the sandbox logs, and a "
                 "static scan of the student's own code (what the release contains is left out). A signal is a "
                 "reason to read the code, not a verdict.</p>")
    for row in serious:
        sources = {}
        for signal in row.signals:
            sources[signal.source] = sources.get(signal.source, 0) + 1
        kinds = ", ".join(sorted({signal.kind for signal in row.signals}))
        counts = ", ".join(f"{count} from {source}" for source, count in sorted(sources.items()))
        parts.append(f"<details id='{anchor('integrity', row.student)}'><summary><b>{escape(row.student)}</b>: "
                     f"{escape(kinds)} <span class='muted'>({escape(counts)})</span></summary>"
                     f"<p>{student_link(row.student, feedback_root)} (feedback)</p>{_signal_table(row.signals)}"
                     "</details>")
    if others:
        parts.append(f"<details><summary>{len(others)} more student(s) with signals from their results only "
                     "(timeouts, crashes, limits)</summary><div class='scroll'><table><thead><tr><th>student</th>"
                     "<th>signals</th></tr></thead><tbody>")
        parts += [f"<tr><td>{student_link(row.student, feedback_root)}</td><td class='message'>"
                  f"{escape('; '.join(f'{signal.kind}: {signal.detail}' for signal in row.signals))}</td></tr>"
                  for row in others]
        parts.append("</tbody></table></div></details>")
    parts.append("</section>")
    return "".join(parts)


def similarity_section(pairs, similarity_root, side_by_side_name):
    parts = [f"<section id='similarity'><h2>Similar code ({len(pairs)} pairs)</h2>"]
    if pairs is None or not pairs:
        return parts[0] + "<p>No pair of submissions above the threshold.</p></section>"
    parts.append("<p class='muted'>Share of a student's own code (not the release's, not what many classmates "
                 "share) that the other side has too; the score is the larger share. Open a pair to see both "
                 "codes with the shared parts highlighted.</p><div class='scroll'><table class='sortable'><thead>"
                 "<tr><th>student</th><th>similar to</th><th class='num' data-type='number'>score</th>"
                 "<th class='num' data-type='number'>share of A</th><th class='num' data-type='number'>share of B"
                 "</th><th>files</th><th></th></tr></thead><tbody>")
    for pair in pairs:
        share_b = "-" if pair.share_b is None else percent(pair.share_b)
        files = ", ".join(item.path_a for item in pair.files[:3]) + (" ..." if len(pair.files) > 3 else "")
        href = f"{similarity_root.rstrip('/')}/{urllib.parse.quote(side_by_side_name(pair))}"
        parts.append(f"<tr><td>{escape(pair.a)}</td><td>{escape(pair.b)}</td><td class='num'>{pair.score:.2f}</td>"
                     f"<td class='num' data-sort='{pair.share_a:.4f}'>{percent(pair.share_a)}</td>"
                     f"<td class='num' data-sort='{pair.share_b or 0:.4f}'>{share_b}</td><td><code>"
                     f"{escape(files)}</code></td><td><a href='{escape(href)}'>side by side</a></td></tr>")
    parts.append("</tbody></table></div></section>")
    return "".join(parts)


def page(title, generated, navigation, sections):
    nav = "".join(f"<a href='#{escape(target)}'>{escape(label)}</a>" for target, label in navigation)
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width, initial-scale=1'><title>{escape(title)}</title><style>{STYLE}</style>"
            f"</head><body>\n<header><h1>{escape(title)}</h1><nav>{nav}<span class='muted'>generated "
            f"{escape(generated)}</span></nav></header>\n" + "\n".join(sections)
            + f"\n<script>{SCRIPT}</script>\n</body></html>\n")
