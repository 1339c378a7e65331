"""volunteerkm.db.insert_rows: rows in one INSERT, the same SQL on SQLite and PostgreSQL,
all of them or none (the submission write relies on it for answers and sub-scores)."""
import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Unit
from volunteerkm.db import insert_rows

pytestmark = pytest.mark.django_db

COLUMNS = ["code", "name", "short_name", "kind", "province", "region"]


def unit_row(code, name):
    return (code, name, "", Unit.PROVINCE, "เชียงใหม่", "")


def test_rows_are_written_in_one_statement_as_given():
    rows = [unit_row(f"rows-{n}", f"หน่วยงานที่ {n}") for n in range(14)]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Unit, COLUMNS, rows)
    assert len(queries.captured_queries) == 1
    stored = Unit.objects.filter(code__startswith="rows-").order_by("code")
    assert sorted((u.code, u.name, u.province) for u in stored) == sorted((r[0], r[1], r[4]) for r in rows)


def test_no_rows_asks_nothing_of_the_database():
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Unit, COLUMNS, [])
    assert queries.captured_queries == []


def test_one_bad_row_stores_none_of_them():
    Unit.objects.create(code="taken", name="มีอยู่แล้ว")
    rows = [unit_row("fresh-1", "ใหม่ ๑"), unit_row("taken", "ซ้ำ"), unit_row("fresh-2", "ใหม่ ๒")]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Unit, COLUMNS, rows)
    assert not Unit.objects.filter(code__startswith="fresh-").exists()
