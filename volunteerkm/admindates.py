"""Dates in the Django admin in the Buddhist Era.

Django formats dates with its own `dateformat`, which only knows the Gregorian year, and
the admin draws every date of a change list and of a read-only field through
`django.contrib.admin.utils.display_for_field` / `display_for_value` (imported by name into
the change list and form helpers). `install()` puts a date-aware wrapper in front of both,
so every admin page, ours and the installed apps' (users, task results, login attempts),
shows '30 พฤศจิกายน พ.ศ. ๒๕๖๙ ๑๔:๐๕ น.'; any other value goes to Django's own function.
A change list's date drill-down (`date_hierarchy`) gets its years, which Django writes as
the bare year or with the month's name, in the Buddhist Era too.
"""
import datetime
import re

from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.db import models

from volunteerkm.thai import BE_OFFSET, thai_datetime, thai_digits

_YEAR = re.compile(r"\b(\d{4})\b")


def _is_date(value):
    return isinstance(value, datetime.date)  # datetime is a date too


def install():
    original_field, original_value = utils.display_for_field, utils.display_for_value
    if getattr(original_field, "buddhist_era", False):
        return

    def display_for_field(value, field, empty_value_display, avoid_link=False):
        if isinstance(field, models.DateField) and _is_date(value) and not getattr(field, "flatchoices", None):
            return thai_datetime(value)
        return original_field(value, field, empty_value_display, avoid_link)

    def display_for_value(value, empty_value_display, boolean=False):
        if not boolean and _is_date(value):
            return thai_datetime(value)
        return original_value(value, empty_value_display, boolean)

    original_hierarchy = admin_list.date_hierarchy

    def date_hierarchy(cl):
        context = original_hierarchy(cl)
        for link in [context.get("back"), *context.get("choices", [])] if context else []:
            if link and "title" in link:
                link["title"] = _YEAR.sub(lambda m: thai_digits(int(m.group(1)) + BE_OFFSET), str(link["title"]))
        return context

    admin_list.date_hierarchy = date_hierarchy
    display_for_field.buddhist_era = True
    for module in (utils, helpers, admin_list):
        if hasattr(module, "display_for_field"):
            module.display_for_field = display_for_field
        if hasattr(module, "display_for_value"):
            module.display_for_value = display_for_value
