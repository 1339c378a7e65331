"""Template filters for Thai display: {% load thai %} then |thaidate and |thainum."""
from django import template
from django.utils import timezone

from volunteerkm.thai import thai_date, thai_datetime, thai_digits

register = template.Library()


@register.filter
def thaidate(value):
    """A date or datetime as '24 พฤศจิกายน พ.ศ. ๒๕๖๙' in the Bangkok time zone."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return thai_date(value)


@register.filter
def thaidatetime(value):
    """A datetime as '24 พฤศจิกายน พ.ศ. ๒๕๖๙ ๑๔:๐๕ น.' in the Bangkok time zone."""
    return "" if value is None else thai_datetime(value)


@register.filter
def thainum(value):
    """Arabic digits → Thai digits."""
    return thai_digits(value)
