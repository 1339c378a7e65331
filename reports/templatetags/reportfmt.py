"""Number formats of the report pages: percentages, rates, gains and g to a fixed number
of decimals, a dash where there is no figure; Thai digits, as on every page of the site."""
from django import template

from volunteerkm.thai import thai_digits

register = template.Library()


def dash_when_empty(default_digits=1):
    """A filter that shows '–' where there is no figure, and otherwise formats it."""
    def decorate(format_number):
        def filter_(value, digits=default_digits):
            if value is None or value == "":
                return "–"
            return thai_digits(format_number(float(value), int(digits)))
        filter_.__name__ = format_number.__name__
        filter_.__doc__ = format_number.__doc__
        return register.filter(filter_)
    return decorate


@dash_when_empty()
def pct(v, digits):
    """68.04 → '๖๘.๐%'."""
    return f"{v:,.{digits}f}%"


@dash_when_empty()
def rate(v, digits):
    """0.8 → '๘๐.๐%'."""
    return f"{100 * v:,.{digits}f}%"


@dash_when_empty()
def signed(v, digits):
    """A gain with its sign: '+๒๘.๐', '−๒๐.๐', '๐.๐'."""
    return ("+" if v > 0 else "−" if v < 0 else "") + f"{abs(v):,.{digits}f}"


@dash_when_empty(default_digits=0)
def num(v, digits):
    """1234 → '๑,๒๓๔'."""
    return f"{v:,.{digits}f}"


@register.filter
def pvalue(value):
    """'p = ๐.๑๔๑' or 'p < ๐.๐๐๑'."""
    if value is None:
        return "p: –"
    return thai_digits("p < 0.001" if value < 0.001 else f"p = {value:.3f}")
