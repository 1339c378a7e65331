from django.apps import AppConfig


class SearchConfig(AppConfig):
    verbose_name = "การค้นหา"
    name = "search"

    def ready(self):
        from .changes import connect

        connect()
