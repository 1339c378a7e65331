"""The site shows LINE only when a channel is configured: the add-friend QR code and link
on the home page, a link in every page's footer."""
import pytest

pytestmark = pytest.mark.django_db
FRIEND = "https://line.me/R/ti/p/%40volkm"


def test_without_a_channel_there_is_nothing_of_line(client, settings):
    settings.LINE_CHANNEL_SECRET = settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    settings.LINE_BASIC_ID = "@volkm"
    home = client.get("/").content.decode()
    # The share buttons' "send by LINE" link is for anyone's own chats, not the account.
    assert "line.me/R/ti/" not in home and "เพิ่มเพื่อน" not in home and "ถามทาง LINE" not in home
    assert client.get("/line/friend.svg").status_code == 404
    assert client.post("/line/webhook", data=b"{}", content_type="application/json").status_code == 404


def test_with_a_channel_the_home_page_and_footer_invite_to_add_the_account(client, line_api):
    home = client.get("/").content.decode()
    assert f'href="{FRIEND}"' in home and 'src="/line/friend.svg"' in home and "เพิ่มเพื่อนใน LINE" in home
    glossary = client.get("/glossary/").content.decode()
    assert f'href="{FRIEND}"' in glossary and "friend.svg" not in glossary  # the footer link only
    qr = client.get("/line/friend.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_a_channel_without_its_basic_id_has_no_add_friend_link(client, line_api, settings):
    settings.LINE_BASIC_ID = ""
    assert "line.me/R/ti/" not in client.get("/").content.decode()
    assert client.get("/line/friend.svg").status_code == 404
