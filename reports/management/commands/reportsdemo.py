"""Sample trainings, pre-tests, post-tests and staff tests to look at the report pages
with: `volunteerkm reportsdemo` (not for production data)."""
from django.core.management.base import BaseCommand
from django.db import transaction

from reports import sample


class Command(BaseCommand):
    help = "สร้างข้อมูลตัวอย่างการอบรมและผลการทดสอบ สำหรับดูหน้ารายงาน (ไม่ใช้กับข้อมูลจริง)"

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=6)
        parser.add_argument("--sessions", type=int, default=3, help="จำนวนการอบรมต่อจังหวัด")
        parser.add_argument("--seed", type=int, default=2569)

    def handle(self, provinces, sessions, seed, **options):
        with transaction.atomic():
            created = sample.demo(provinces=provinces, sessions_per_province=sessions, seed=seed)
        self.stdout.write(f"สร้างการอบรมตัวอย่าง {len(created)} ครั้ง")
