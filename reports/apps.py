from django.apps import AppConfig


class ReportsConfig(AppConfig):
    verbose_name = "รายงานและการประเมินผล"
    name = "reports"
