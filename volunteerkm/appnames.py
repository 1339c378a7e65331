"""Thai names, in the admin, for installed apps that name themselves in English and
offer no translation of that name (their models' names are in locale/th)."""
from axes.apps import AppConfig as AxesConfig
from django_tasks_db.apps import TasksAppConfig


class LoginLockouts(AxesConfig):
    verbose_name = "การป้องกันการเดารหัสผ่าน"


class BackgroundTasks(TasksAppConfig):
    verbose_name = "งานเบื้องหลัง"
