"""Plots of the class report as inline SVG: a few hundred bytes each, sharp at any zoom, no plotting library."""
import html
import math

HISTOGRAM_BINS = 20
TICKS = 6
WIDTH, HEIGHT = 640, 190
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 12, 34


def nice_step(span, count):
    """The step of 1, 2 or 5 times a power of ten that cuts `span` into about `count` parts (at least one)."""
    raw = max(span, 1e-9) / count
    power = 10 ** math.floor(math.log10(raw))
    return next(factor * power for factor in (1, 2, 5, 10) if factor * power >= raw)


def _bin_counts(values, width, bins):
    counts = [0] * bins
    for value in values:
        counts[min(max(int(value / width), 0), bins - 1)] += 1
    return counts


def _format(value):
    return f"{value:.4g}"


def histogram_svg(totals, max_points, *, bins=HISTOGRAM_BINS, mean=None, median=None):
    """An SVG histogram of `totals` from 0 to max_points in about `bins` bars of a round width (each with a
    tooltip), with the mean and the median as vertical lines when given; "" when there are no totals."""
    if not totals:
        return ""
    top_value = max(float(max_points), max(totals), 1e-9)
    bar_points = nice_step(top_value, bins)
    bins = max(1, math.ceil(top_value / bar_points - 1e-9))
    high = bins * bar_points
    counts = _bin_counts(totals, bar_points, bins)
    tallest = max(counts)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bar_width = plot_width / bins

    def x_of(value):
        return LEFT + plot_width * value / high

    parts = [f"<svg class='chart' viewBox='0 0 {WIDTH} {HEIGHT}' width='{WIDTH}' height='{HEIGHT}' role='img' "
             f"aria-label='histogram of total points'>"]
    for index, count in enumerate(counts):
        if not count:
            continue
        bar_height = plot_height * count / tallest
        low, upper = high * index / bins, high * (index + 1) / bins
        parts.append(f"<rect x='{LEFT + index * bar_width + 1:.1f}' y='{TOP + plot_height - bar_height:.1f}' "
                     f"width='{bar_width - 2:.1f}' height='{bar_height:.1f}'><title>{count} student(s) with "
                     f"{_format(low)} to {_format(upper)} points</title></rect>")
    baseline = TOP + plot_height
    parts.append(f"<line class='axis' x1='{LEFT}' y1='{baseline}' x2='{WIDTH - RIGHT}' y2='{baseline}'/>")
    tick = nice_step(high, TICKS)
    for index in range(int(high / tick + 1e-9) + 1):
        parts.append(f"<text x='{x_of(index * tick):.1f}' y='{baseline + 15}' text-anchor='middle'>"
                     f"{_format(index * tick)}</text>")
    parts.append(f"<text x='{LEFT - 6}' y='{TOP + 10}' text-anchor='end'>{tallest}</text>"
                 f"<text x='{LEFT - 6}' y='{baseline}' text-anchor='end'>0</text>"
                 f"<text x='{LEFT + plot_width / 2:.1f}' y='{HEIGHT - 2}' text-anchor='middle'>total points "
                 f"(bars: students)</text>")
    for label, value in (("mean", mean), ("median", median)):
        if value is not None:
            parts.append(f"<line class='{label}' x1='{x_of(value):.1f}' y1='{TOP}' x2='{x_of(value):.1f}' "
                         f"y2='{baseline}'><title>{html.escape(label)} {_format(value)}</title></line>")
    parts.append("</svg>")
    return "".join(parts)
