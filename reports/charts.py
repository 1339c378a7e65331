"""Charts for pages as inline SVG: the browser shapes the Thai labels, the viewBox scales
the chart to a phone or a projector, and every chart carries a text title for screen
readers. Values are escaped; nothing here trusts its input."""
from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from volunteerkm.thai import thai_digits


def _num(v, digits=0):
    """A figure in Thai digits, as on every page."""
    if v is None:
        return "–"
    return thai_digits(f"{v:,.{digits}f}")


def nice_ticks(peak: float, count: int = 4) -> list[float]:
    """Round axis ticks from 0 to at least ``peak``: a step of 1, 2 or 5 × 10^k, about
    ``count`` steps (whole numbers for counts of people)."""
    import math

    if peak <= 0:
        return [0, 1]
    raw = peak / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(f * mag for f in (1, 2, 5, 10) if f * mag >= raw - 1e-9)
    if peak >= 1 and step < 1:
        step = 1
    top = math.ceil(peak / step - 1e-9) * step
    return [round(i * step, 6) for i in range(int(round(top / step)) + 1)]


def _c(v):
    """A coordinate for SVG: one decimal, as text."""
    return f"{v:.1f}"


def grouped_bars(categories, series, title: str, y_max: float | None = None, y_label: str = "",
                 value_digits: int = 0, height: int = 230, width: int = 440) -> str:
    """Vertical bars. ``series`` is ``[(label, values, css_class)]``; one group per category.
    The drawing is small (440 units wide) so that labels stay legible on a 360 px phone."""
    left, right, top, bottom = 34, 4, 22, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = nice_ticks(y_max or max([v for _, vals, _ in series for v in vals if v is not None] + [1]))
    if y_max:
        ticks = [y_max * i / 4 for i in range(5)]
    peak = ticks[-1]
    parts = [format_html('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
                         'preserveAspectRatio="xMidYMid meet">', width, height, title),
             format_html("<title>{}</title>", title)]
    for tick in ticks:
        y = top + plot_h * (1 - tick / peak)
        parts.append(format_html('<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                                 left, width - right, _c(y), _c(y)))
        parts.append(format_html('<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
                                 left - 6, _c(y + 5), _num(tick, 0 if tick == int(tick) else 1)))
    n = max(len(categories), 1)
    group_w = plot_w / n
    bar_w = group_w * 0.8 / max(len(series), 1)
    for i, cat in enumerate(categories):
        gx = left + i * group_w + group_w * 0.1
        for s, (label, values, css) in enumerate(series):
            v = values[i] or 0
            h = plot_h * v / peak if peak else 0
            x = gx + s * bar_w
            parts.append(format_html(
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{} {}: {}</title></rect>',
                css, _c(x), _c(top + plot_h - h), _c(bar_w * 0.92), _c(h), cat, label, _num(v, value_digits)))
            if v:
                parts.append(format_html('<text class="value" x="{}" y="{}" text-anchor="middle">{}</text>',
                                         _c(x + bar_w * 0.46), _c(top + plot_h - h - 4), _num(v, value_digits)))
        parts.append(format_html('<text class="cat" x="{}" y="{}" text-anchor="middle">{}</text>',
                                 _c(left + (i + 0.5) * group_w), _c(top + plot_h + 18), cat))
    if y_label:
        parts.append(format_html('<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                                 _c(left + plot_w / 2), height - 6, y_label))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def legend(series) -> str:
    return mark_safe('<p class="legend">' + "".join(
        format_html('<span><i class="{}"></i>{}</span>', css, label) for label, css in series) + "</p>")


def hbars(rows, series, max_value: float = 100, unit: str = "%") -> str:
    """Horizontal bars as HTML: ``rows`` is ``[(label_html, [value per series])]`` and
    ``series`` ``[(label, css_class)]``. Labels may be links (already safe HTML)."""
    out = ['<div class="hbars">']
    for label, values in rows:
        out.append('<div class="hbar-row">')
        out.append(format_html('<div class="hbar-label">{}</div><div class="hbar-bars">', label))
        for (name, css), v in zip(series, values, strict=True):
            width = 0 if v is None else max(0.0, min(v, max_value)) / max_value * 100
            out.append(format_html(
                '<div class="hbar"><span class="{} pct-{}"></span>'
                '<b>{}<span class="visually-hidden"> {}</span></b></div>',
                css, round(width), "–" if v is None else _num(v) + unit, name))
        out.append("</div></div>")
    out.append("</div>")
    return mark_safe("".join(out))


def gain_strip(gains, max_abs: int | None = None, title: str = "") -> str:
    """Each person's gain as a dot on a line from −max to +max; people with the same gain
    stack upwards (a dot plot), so the shape of the change is visible at a glance."""
    from collections import Counter

    width, left, right = 440, 24, 24
    m = max_abs or max(10, -(-max([abs(g) for g in gains] + [1]) // 10) * 10)
    stack = max(Counter(round(g, 6) for g in gains).values(), default=1)
    step = 9 if stack <= 14 else max(3, 126 // stack)
    r = min(4, step / 2)
    base = 14 + stack * step
    height = base + 26
    zero = left + (width - left - right) / 2
    half = (width - left - right) / 2
    parts = [format_html('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">', width, height, title),
             format_html("<title>{}</title>", title),
             format_html('<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                         left, width - right, base + 2, base + 2),
             format_html('<line class="zero" x1="{}" x2="{}" y1="6" y2="{}"/>', _c(zero), _c(zero), base + 6)]
    seen = Counter()
    for g in sorted(gains):
        k = seen[round(g, 6)]
        seen[round(g, 6)] += 1
        css = "pos" if g > 0 else ("neg" if g < 0 else "flat")
        parts.append(format_html('<circle class="{}" cx="{}" cy="{}" r="{}"><title>{}</title></circle>', css,
                                 _c(zero + half * g / m), _c(base - r - k * step), _c(r),
                                 ("+" if g > 0 else "") + _num(g, 1)))
    for v in (-m, -m / 2, 0, m / 2, m):
        parts.append(format_html('<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                                 _c(zero + half * v / m), base + 20, ("+" if v > 0 else "") + _num(v)))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))
