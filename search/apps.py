from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    verbose_name = "การค้นหา"
    name = "search"

    def ready(self):
        from knowledge.models import Chapter, GlossaryTerm, Item, KMReport, ReportField, SynonymGroup

        from .engine import content_changed

        for model in (KMReport, ReportField, Chapter, Item, GlossaryTerm, SynonymGroup):
            post_save.connect(content_changed, sender=model, dispatch_uid=f"search-{model.__name__}-save")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"search-{model.__name__}-delete")
