from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    verbose_name = "คลังความรู้"
    name = "knowledge"
