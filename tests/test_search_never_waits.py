"""Searching never waits on a database write: with the database's write lock held by another
connection for as long as the request takes (SQLite: BEGIN IMMEDIATE; PostgreSQL: a lock on
the query log), the search page, the search API and a click on a result answer at once,
with their results; the query log is best-effort and simply misses what it could not write."""
import sqlite3
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from search.models import SearchClick, SearchQuery

QUESTION = "สมัคร อพม. ต้องมีคุณสมบัติอะไรบ้าง"
# Django's own wait for a locked SQLite database (settings: OPTIONS timeout): a request that
# waited on the lock would take at least this long.
LOCK_WAIT = 20


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """The seed KM as committed for every test (no test transaction: the lock is another
    connection's, as another process would hold it)."""
    with django_db_blocker.unblock():
        before = SearchQuery.objects.count()
        yield
        SearchClick.objects.filter(query__in=SearchQuery.objects.order_by("-pk")[:5]).delete()
        SearchQuery.objects.filter(pk__in=list(SearchQuery.objects.order_by("pk")
                                               .values_list("pk", flat=True)[before:])).delete()
        connections.close_all()


@pytest.fixture
def write_locked(committed):
    """Another connection holds the write lock until the test ends."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        other = sqlite3.connect(db["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        other = psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"],
                                password=db.get("PASSWORD") or None)
        other.execute(f"LOCK TABLE {SearchQuery._meta.db_table} IN SHARE MODE")  # no insert gets through
    yield
    other.rollback()
    other.close()


def timed(client, url):
    start = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - start


def test_search_page_answers_while_the_database_is_write_locked(write_locked):
    response, took = timed(Client(), f"/search/?q={QUESTION}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "คุณสมบัติ" in html and 'class="result' in html
    assert took < LOCK_WAIT / 2, f"the page waited {took:.1f} s for the lock"


def test_search_api_answers_while_the_database_is_write_locked(write_locked):
    response, took = timed(Client(), f"/api/search?q={QUESTION}&limit=3")
    assert response.status_code == 200
    assert response.json()["results"][0]["title"] == "คุณสมบัติของ อพม."
    assert took < LOCK_WAIT / 2, f"the API waited {took:.1f} s for the lock"


def test_a_click_on_a_result_goes_there_while_the_database_is_write_locked(committed):
    page = Client().get(f"/search/?q={QUESTION}").content.decode()
    click = page.split('href="/search/open/', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3"):
        pytest.skip("a click is one small insert; on PostgreSQL the lock above covers the query log only")
    other = sqlite3.connect(db["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        response, took = timed(Client(), f"/search/open/{click}")
    finally:
        other.rollback()
        other.close()
    assert response.status_code == 302 and response["Location"].startswith("/km/")
    assert took < LOCK_WAIT / 2


def test_without_a_lock_the_query_and_the_click_are_logged(committed):
    client = Client()
    page = client.get(f"/search/?q={QUESTION}").content.decode()
    logged = SearchQuery.objects.order_by("-pk").first()
    assert logged.q == QUESTION and logged.result_count > 0
    click = page.split('href="/search/open/', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert client.get(f"/search/open/{click}").status_code == 302
    assert SearchClick.objects.filter(query=logged, rank=1).exists()
