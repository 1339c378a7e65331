"""`volunteerkm backup PATH` makes a consistent copy of the running database (SQLite: the
backup API, not a file copy; PostgreSQL: pg_dump) while others keep writing; `volunteerkm
restore PATH` puts it into an empty database, where every attempt is found again. A
database that is not empty is left alone unless --force says otherwise."""
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connections

from assessments.models import Answer, Attempt
from search.models import SearchQuery

from .helpers import ROOT, database_url_of_test_db

VOLUNTEERKM = str(Path(sys.executable).parent / "volunteerkm")
SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
UNCOMMITTED = "ยังไม่ได้ยืนยันตอนสำรองข้อมูล"


def volunteerkm(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([VOLUNTEERKM, *args], cwd=ROOT, env=env, capture_output=True, text=True)


def pg_params():
    db = settings.DATABASES["default"]
    return {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db.get("PASSWORD") or None}


@pytest.fixture
def empty_database(tmp_path):
    """(url, query function) of a new, empty database of the same kind as the test database."""
    if SQLITE:
        path = tmp_path / "restored.sqlite3"

        def query(sql):
            with sqlite3.connect(path) as con:
                return con.execute(sql).fetchall()

        yield f"sqlite:///{path}", query
        return
    name = f"{settings.DATABASES['default']['NAME']}_restore"
    with psycopg.connect(dbname="postgres", autocommit=True, **pg_params()) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def query(sql):
        with psycopg.connect(dbname=name, **pg_params()) as con:
            return con.execute(sql).fetchall()

    db = settings.DATABASES["default"]
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}", query
    with psycopg.connect(dbname="postgres", autocommit=True, **pg_params()) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def someone_writing(committed, django_db_blocker):
    """Another connection in the middle of a write (not yet committed) while the backup runs."""
    db = settings.DATABASES["default"]
    table = SearchQuery._meta.db_table
    row = f"INSERT INTO {table} (q, normalized, result_count, answered, source, created_at) " \
          f"VALUES ('{UNCOMMITTED}', '{UNCOMMITTED}', 0, FALSE, 'web', CURRENT_TIMESTAMP)"
    if SQLITE:
        other = sqlite3.connect(db["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        other = psycopg.connect(dbname=db["NAME"], **pg_params())
    try:
        other.execute(row)
        yield
    finally:
        # never leave the test database locked for the tests that follow
        other.rollback()
        other.close()
    with django_db_blocker.unblock():
        connections.close_all()


def test_a_backup_restored_into_an_empty_database_has_every_attempt(tmp_path, committed, someone_writing,
                                                                    empty_database, django_db_blocker):
    with django_db_blocker.unblock():
        keys = set(Attempt.objects.values_list("idempotency_key", flat=True))
        answers = Answer.objects.count()
    assert len(keys) >= 60  # the committed data set: 30 people, pre and post

    backup = tmp_path / f"volunteerkm-{uuid.uuid4().hex[:6]}.backup"
    made = volunteerkm("backup", str(backup), database_url=database_url_of_test_db())
    assert made.returncode == 0, made.stderr
    assert "สำรองข้อมูลแล้ว" in made.stdout and f"{len(keys):,}" in made.stdout
    assert backup.stat().st_size > 0

    url, query = empty_database
    restored = volunteerkm("restore", str(backup), database_url=url)
    assert restored.returncode == 0, restored.stderr
    assert "กู้คืนข้อมูลแล้ว" in restored.stdout
    table = Attempt._meta.db_table
    assert {k for (k,) in query(f"SELECT idempotency_key FROM {table}")} == keys
    assert query(f"SELECT count(*) FROM {Answer._meta.db_table}") == [(answers,)]
    # consistent: what another connection had not committed is not in the backup
    assert query(f"SELECT count(*) FROM {SearchQuery._meta.db_table} WHERE q = '{UNCOMMITTED}'") == [(0,)]
    # and the restored database is one the application runs on
    check = volunteerkm("migrate", "--check", database_url=url)
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_leaves_a_database_with_data_alone(tmp_path, committed, django_db_blocker):
    backup = tmp_path / "volunteerkm.backup"
    assert volunteerkm("backup", str(backup), database_url=database_url_of_test_db()).returncode == 0
    with django_db_blocker.unblock():
        before = Attempt.objects.count()
    refused = volunteerkm("restore", str(backup), database_url=database_url_of_test_db())
    assert refused.returncode != 0 and "ไม่ว่าง" in refused.stderr and "--force" in refused.stderr
    with django_db_blocker.unblock():
        assert Attempt.objects.count() == before
        connections.close_all()


def test_restore_of_a_missing_file_says_so(tmp_path, empty_database):
    url, _ = empty_database
    missing = volunteerkm("restore", str(tmp_path / "nothing.backup"), database_url=url)
    assert missing.returncode != 0 and "ไม่พบไฟล์" in missing.stderr
