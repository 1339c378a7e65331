from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    verbose_name = "แบบทดสอบและการอบรม"
    name = "assessments"

    def ready(self):
        from . import signals  # noqa: F401
