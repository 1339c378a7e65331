"""Writes that a page must not wait for, and rows written in one statement.

Some writes only record what happened (a search in the query log, a click on a result);
the page they come with must answer even when the database's write lock is taken (on
SQLite one writer at a time, possibly a long import). ``best_effort`` gives such a write a
short wait for the lock and then gives up, logging a warning, instead of holding the page
for the database's full lock wait (20 s on SQLite, see settings)."""
import logging
from contextlib import contextmanager

from django.db import OperationalError, connections, transaction

log = logging.getLogger(__name__)
WAIT_SECONDS = 0.1


def best_effort(write, wait_seconds: float = WAIT_SECONDS, using: str = "default"):
    """``write()`` in its own (sub)transaction, waiting at most ``wait_seconds`` for a lock;
    its result, or None when the lock did not come in time (nothing is written then)."""
    connection = connections[using]
    try:
        with _lock_wait(connection, wait_seconds), transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # until this (sub)transaction ends, see _lock_wait
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(wait_seconds * 1000)}ms"])
            return write()
    except OperationalError as exc:  # SQLite: database is locked; PostgreSQL: lock_timeout
        log.warning("skipped a best-effort write: %s", exc)
        return None


@contextmanager
def _lock_wait(connection, wait_seconds):
    """The connection's lock wait shortened for a while. On SQLite the busy timeout must be
    set before the transaction begins (BEGIN IMMEDIATE already waits for the lock); on
    PostgreSQL the local lock_timeout lasts to the end of the enclosing transaction, so it
    is put back here when there is one (a test, ATOMIC_REQUESTS)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        normal = int(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5) * 1000)
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(wait_seconds * 1000)}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {normal}")
    elif connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            normal = cursor.fetchone()[0]
        try:
            yield
        finally:
            if not connection.needs_rollback:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [normal])
    else:
        yield


def insert_rows(model, columns: list[str], rows: list[tuple], using: str = "default"):
    """``rows`` into ``model``'s table in one ``INSERT … VALUES (…), (…)``, the same SQL on
    SQLite and PostgreSQL. For the submission write, the busiest write of a training day:
    ``bulk_create`` builds a model instance per row and compiles its query each time, which
    cost more than the database's own work there (docs/ARCHITECTURE.md, Assessments).
    Values go in as they are (no field conversion): use it for plain numbers and text."""
    if not rows:
        return
    connection = connections[using]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES {', '.join([row] * len(rows))}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for values in rows for value in values])
