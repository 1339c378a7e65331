"""The extra columns of an admin revision list (`history_list_display`) as people read
them: a field's Thai name for its header, a choice's label ("เผยแพร่แล้ว") for its value."""
from django import template
from django.core.exceptions import FieldDoesNotExist

register = template.Library()


@register.filter
def column_label(opts, column):
    try:
        return opts.get_field(column).verbose_name
    except FieldDoesNotExist:
        return column


@register.filter
def column_value(record, column):
    display = getattr(record, f"get_{column}_display", None)
    return display() if callable(display) else getattr(record, column, None)
