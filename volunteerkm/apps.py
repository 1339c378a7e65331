from django.apps import AppConfig


class VolunteerKMConfig(AppConfig):
    name = "volunteerkm"
    verbose_name = "ระบบจัดการความรู้ อพม."

    def ready(self):
        from volunteerkm import admindates

        admindates.install()
