from django.apps import AppConfig


class AccountsConfig(AppConfig):
    verbose_name = "ผู้ใช้และหน่วยงาน"
    name = "accounts"
