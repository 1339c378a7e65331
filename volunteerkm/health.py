"""/health/ for load balancers and monitoring, with django-health-check: the database, the
cache and the disk that holds var/ (the SQLite database, the secret key, exports). Any
failing check answers 500. The task-queue check joins these where a task queue is set up."""
import dataclasses

from django.conf import settings
from health_check.checks import Cache, Database
from health_check.contrib import psutil as system
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Disk(system.Disk):
    """The disk check without the server's path in what it reports."""

    path: str = dataclasses.field(default_factory=lambda: str(settings.VAR_DIR), repr=False)


NAMES = {"Database": "ฐานข้อมูล", "Cache": "แคช", "Disk": "พื้นที่ดิสก์"}


class HealthView(HealthCheckView):
    @property
    def checks(self):
        return [Database, Cache, (Disk, {"max_disk_usage_percent": settings.HEALTH_DISK_MAX_PERCENT})]

    def get_context_data(self, **kwargs):
        """The page for people names each check in Thai (JSON and text keep the checks' own names)."""
        context = super().get_context_data(**kwargs)
        context["rows"] = [(NAMES.get(type(r.check).__name__, type(r.check).__name__), r) for r in self.results]
        return context
