from django.apps import AppConfig


class OutreachConfig(AppConfig):
    verbose_name = "การเผยแพร่"
    name = "outreach"
