"""Number formats of the report pages: percentages, rates, gains and g to a fixed number
of decimals, a dash where there is no figure."""
from django import template

register = template.Library()


@register.filter
def pct(value, digits=1):
    """68.04 → '68.0%'."""
    if value is None or value == "":
        return "–"
    return f"{float(value):,.{int(digits)}f}%"


@register.filter
def rate(value, digits=1):
    """0.8 → '80.0%'."""
    if value is None or value == "":
        return "–"
    return f"{100 * float(value):,.{int(digits)}f}%"


@register.filter
def num(value, digits=0):
    if value is None or value == "":
        return "–"
    return f"{float(value):,.{int(digits)}f}"


@register.filter
def signed(value, digits=1):
    """A gain with its sign: '+28.0', '−20.0', '0.0'."""
    if value is None or value == "":
        return "–"
    v = float(value)
    text = f"{abs(v):,.{int(digits)}f}"
    return ("+" if v > 0 else "−" if v < 0 else "") + text


@register.filter
def pvalue(value):
    """'p = 0.141' or 'p < 0.001'."""
    if value is None:
        return "p: –"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"
