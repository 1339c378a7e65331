"""GET /api/search: results with snippets, limit, did-you-mean and Thai messages for bad input."""
import pytest

from search.models import SearchQuery

pytestmark = pytest.mark.django_db


def test_search_api_returns_ranked_results(client):
    body = client.get("/api/search", {"q": "กทม. ประธานคือใคร", "limit": "3"}).json()
    assert body["q"] == "กทม. ประธานคือใคร" and 1 <= len(body["results"]) <= 3  # only results that answer
    top = body["results"][0]
    assert top["title"] == "คณะกรรมการ อพม. กรุงเทพมหานคร (กอพม. กทม.)"
    assert top["url"] == "/km/regulation-2564/committees/bangkok-committee/" and "<mark>" in top["snippet"]
    assert [r["score"] for r in body["results"]] == sorted((r["score"] for r in body["results"]), reverse=True)
    assert SearchQuery.objects.get().source == "api"
    assert len(client.get("/api/search", {"q": "คณะกรรมการ", "limit": "2"}).json()["results"]) == 2


def test_search_api_offers_did_you_mean(client):
    assert client.get("/api/search", {"q": "จรรยาบรรน"}).json()["did_you_mean"] == "จรรยาบรรณ"


@pytest.mark.parametrize("params, message", [
    ({}, "กรุณาระบุคำค้น"),
    ({"q": "   "}, "กรุณาระบุคำค้น"),
    ({"q": "ก" * 201}, "คำค้นยาวเกินไป"),
    ({"q": "อพม", "limit": "0"}, "limit ต้องไม่น้อยกว่า 1"),
    ({"q": "อพม", "limit": "ห้า"}, "limit ต้องเป็นจำนวนเต็ม"),
    ({"q": "อพม", "limit": "51"}, "limit ต้องไม่เกิน 50"),
])
def test_bad_input_gets_a_thai_message_and_logs_nothing(client, params, message):
    response = client.get("/api/search", params)
    # the schema checks limit (422); the view checks what the schema cannot say about q (400)
    assert response.status_code == (422 if "limit" in params else 400) and message in response.json()["detail"]
    assert not SearchQuery.objects.exists()


def test_search_is_in_the_openapi_schema(client):
    assert "/api/search" in client.get("/api/openapi.json").json()["paths"]
