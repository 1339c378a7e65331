"""Small helpers for the reports' raw SQL."""
from django.db import connection


def table_name(model) -> str:
    """The model's table, quoted for this database."""
    return connection.ops.quote_name(model._meta.db_table)


def as_float(v) -> float:
    """A number from raw SQL as float, 0 for NULL (PostgreSQL returns numeric sums as Decimal)."""
    return 0.0 if v is None else float(v)
