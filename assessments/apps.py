from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    verbose_name = "แบบทดสอบและการอบรม"
    name = "assessments"
