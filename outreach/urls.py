from django.urls import path, re_path

from . import booklet, feeds, posters, share, signage
from .line import friend, webhook

app_name = "outreach"
urlpatterns = [
    path("line/webhook", webhook.webhook, name="line_webhook"),
    path("line/friend.svg", friend.qr_code, name="line_friend_qr"),
    path("share/card/home.png", share.card, name="card_home"),
    re_path(r"^share/card/(?P<kind>chapter|item)/(?P<pk>[0-9]+)\.png$", share.card, name="card"),
    re_path(r"^share/qr/home\.(?P<ext>png|svg)$", share.qr, name="qr_home"),
    re_path(r"^share/qr/(?P<kind>chapter|item)/(?P<pk>[0-9]+)\.(?P<ext>png|svg)$", share.qr, name="qr"),
    path("print/poster/<int:pk>.pdf", posters.poster, name="poster"),
    path("print/booklet.pdf", booklet.booklet, name="booklet"),
    path("signage/", signage.signage, name="signage"),
    path("feeds/atom.xml", feeds.AtomFeed(), name="atom"),
    path("feeds/signage.json", signage.signage_json, name="signage_json"),
]
