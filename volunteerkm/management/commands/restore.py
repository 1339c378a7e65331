from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connections

from volunteerkm import backups


class Command(BaseCommand):
    help = ("กู้คืนฐานข้อมูลจากไฟล์ที่ได้จาก `volunteerkm backup` ลงฐานข้อมูลตาม DATABASE_URL "
            "ซึ่งต้องว่าง (หรือใช้ --force แทนที่ข้อมูลเดิมทั้งหมด หลังหยุดเซิร์ฟเวอร์)")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="ไฟล์สำรองข้อมูล")
        parser.add_argument("--force", action="store_true", help="แทนที่ข้อมูลที่มีอยู่ในฐานข้อมูลปลายทาง")
        parser.add_argument("--database", default="default")

    def handle(self, path, force, database, **options):
        connection = connections[database]
        connection.close()  # the restore writes through its own connection
        backups.restore(connection.settings_dict, path, force=force)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM assessments_attempt")
            attempts = cursor.fetchone()[0]
        self.stdout.write(f"กู้คืนข้อมูลแล้ว: ผลแบบทดสอบ {attempts:,} รายการ จาก {path}")
