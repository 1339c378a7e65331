"""Charts for pages as inline SVG: the browser shapes the Thai labels, the viewBox scales
the chart to a phone or a projector, and every chart carries a text title for screen
readers. Values are escaped; nothing here trusts its input."""
from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from search.thai import thai_digits


def _num(v, digits=0):
    if v is None:
        return "–"
    return thai_digits(f"{v:.{digits}f}")


def grouped_bars(categories, series, title: str, y_max: float | None = None, y_label: str = "",
                 value_digits: int = 0, height: int = 240) -> str:
    """Vertical bars. ``series`` is ``[(label, values, css_class)]``; one group per category."""
    width = 640
    left, right, top, bottom = 44, 8, 26, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = y_max or max([v for _, vals, _ in series for v in vals if v is not None] + [1])
    parts = [format_html('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
                         'preserveAspectRatio="xMidYMid meet">', width, height, title),
             format_html("<title>{}</title>", title)]
    for frac in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - frac)
        parts.append(format_html('<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>', left, width - right, y, y))
        parts.append(format_html('<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
                                 left - 6, y + 5, _num(peak * frac, value_digits)))
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
                '<rect class="{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{} {}: {}</title></rect>',
                css, x, top + plot_h - h, bar_w * 0.92, h, cat, label, _num(v, value_digits)))
            if v:
                parts.append(format_html('<text class="value" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>',
                                         x + bar_w * 0.46, top + plot_h - h - 4, _num(v, value_digits)))
        parts.append(format_html('<text class="cat" x="{:.1f}" y="{}" text-anchor="middle">{}</text>',
                                 left + (i + 0.5) * group_w, top + plot_h + 18, cat))
    if y_label:
        parts.append(format_html('<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                                 left + plot_w / 2, height - 6, y_label))
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
        for (name, css), v in zip(series, values):
            width = 0 if v is None else max(0.0, min(v, max_value)) / max_value * 100
            out.append(format_html(
                '<div class="hbar"><span class="{}" style="width:{:.1f}%"></span>'
                '<b>{}<span class="visually-hidden"> {}</span></b></div>',
                css, width, "–" if v is None else _num(v) + unit, name))
        out.append("</div></div>")
    out.append("</div>")
    return mark_safe("".join(out))


def gain_strip(gains, max_abs: int | None = None, title: str = "") -> str:
    """Each person's gain as a dot on a line from −max to +max (a dot plot)."""
    width, height = 640, 90
    left, right = 30, 30
    m = max_abs or max([abs(g) for g in gains] + [1])
    counts = {}
    parts = [format_html('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">', width, height, title),
             format_html("<title>{}</title>", title),
             format_html('<line class="grid" x1="{}" x2="{}" y1="60" y2="60"/>', left, width - right)]
    zero = left + (width - left - right) / 2
    parts.append(format_html('<line class="zero" x1="{:.1f}" x2="{:.1f}" y1="8" y2="66"/>', zero, zero))
    for g in sorted(gains):
        x = zero + (width - left - right) / 2 * g / m
        k = counts.get(g, 0)
        counts[g] = k + 1
        css = "pos" if g > 0 else ("neg" if g < 0 else "flat")
        parts.append(format_html('<circle class="{}" cx="{:.1f}" cy="{}" r="5"/>', css, x, 54 - (k % 8) * 6))
    for v in (-m, 0, m):
        x = zero + (width - left - right) / 2 * v / m
        parts.append(format_html('<text class="tick" x="{:.1f}" y="82" text-anchor="middle">{}</text>',
                                 x, ("+" if v > 0 else "") + _num(v)))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def escape_label(text):
    return escape(text)
