from django.urls import path

from .line import friend, webhook

app_name = "outreach"
urlpatterns = [
    path("line/webhook", webhook.webhook, name="line_webhook"),
    path("line/friend.svg", friend.qr_code, name="line_friend_qr"),
]
