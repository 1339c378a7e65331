"""Template filters for Thai display: {% load thai %} then |thaidate and |thainum."""
from django import template
from django.utils import timezone

from volunteerkm.thai import DIGITS, thai_date, thai_digits

register = template.Library()


@register.filter
def thaidate(value):
    """A date or datetime as '24 พฤศจิกายน พ.ศ. 2569' in the Bangkok time zone."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return thai_date(value)


@register.filter
def thainum(value):
    """A number in the site's one digit style (volunteerkm.thai.DIGITS: Arabic), so a page
    never mixes Thai and Arabic digits."""
    return thai_digits(value) if DIGITS == "thai" else str(value)
