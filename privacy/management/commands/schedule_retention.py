from django.core.management.base import BaseCommand

from privacy.retention import retention_days
from privacy.tasks import schedule


class Command(BaseCommand):
    help = "Queue the daily removal of expired personal data (PARTICIPANT_RETENTION_DAYS) unless it is queued"

    def handle(self, *args, **options):
        queued = schedule()
        days = retention_days()
        policy = f"เก็บข้อมูลส่วนบุคคลของผู้เข้าอบรม {days:,} วัน" if days else "ไม่ได้ตั้งระยะเวลาเก็บข้อมูล (เก็บไว้ตลอด)"
        self.stdout.write(f"{policy}; งานลบข้อมูลที่ครบกำหนด{'เข้าคิวแล้ว' if queued else 'อยู่ในคิวอยู่แล้ว'} (ทำวันละครั้ง)")
