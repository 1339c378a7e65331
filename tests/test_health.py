"""/health/ for load balancers and monitoring (django-health-check): the database, the cache
and the disk under var/, 200 when all answer and 500 when one does not; JSON or plain text
for machines, a Thai page for people; reachable over plain http even when the site
redirects everything else to https."""
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_reports_database_cache_and_disk_as_json():
    response = Client().get("/health/?format=json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    results = response.json()
    assert {name.split("(")[0] for name in results} == {"Database", "Cache", "Disk"}
    assert set(results.values()) == {"OK"}
    assert "no-cache" in response["Cache-Control"]


def test_health_page_is_thai_for_people():
    response = Client().get("/health/", HTTP_ACCEPT="text/html")
    html = response.content.decode()
    assert response.status_code == 200 and "สถานะระบบ" in html and "ทำงานปกติ" in html
    assert all(name in html for name in ("ฐานข้อมูล", "แคช", "พื้นที่ดิสก์"))
    assert "<style" not in html and "<script" not in html  # no inline style or script (CSP)


def test_plain_text_for_probes():
    response = Client().get("/health/", HTTP_ACCEPT="text/plain")
    assert response.status_code == 200 and response.content.decode().count(": OK") == 3


def test_a_full_disk_makes_health_fail(settings):
    settings.HEALTH_DISK_MAX_PERCENT = 0.001  # the real disk is fuller than that
    response = Client().get("/health/?format=json")
    assert response.status_code == 500
    disk = next(v for k, v in response.json().items() if k.startswith("Disk"))
    assert "disk usage" in disk


def test_health_is_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/glossary/").status_code == 301  # everything else goes to https
    assert client.get("/health/?format=json").status_code == 200
