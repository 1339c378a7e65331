from django.core.management.base import BaseCommand

from privacy.retention import expired, purge_expired, retention_days


class Command(BaseCommand):
    help = ("Erase the names, phone numbers and ID hashes of participants who joined more than "
            "PARTICIPANT_RETENTION_DAYS days ago; their scores stay, anonymous, in the reports")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count who would be erased")

    def handle(self, *args, dry_run=False, **options):
        days = retention_days()
        if days <= 0:
            self.stdout.write("ไม่ได้ตั้งระยะเวลาเก็บข้อมูล (PARTICIPANT_RETENTION_DAYS) จึงไม่ลบข้อมูลใด")
            return
        if dry_run:
            self.stdout.write(f"จะลบข้อมูลส่วนบุคคลของผู้เข้าอบรม {expired().count():,} คน (เก็บไว้เกิน {days:,} วัน)")
            return
        self.stdout.write(f"ลบข้อมูลส่วนบุคคลของผู้เข้าอบรม {purge_expired():,} คนที่เก็บไว้เกิน {days:,} วันแล้ว")
