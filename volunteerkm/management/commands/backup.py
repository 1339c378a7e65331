from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connections

from volunteerkm import backups


class Command(BaseCommand):
    help = "สำรองฐานข้อมูลที่กำลังใช้งานลงไฟล์ (SQLite: backup API; PostgreSQL: pg_dump) โดยไม่ต้องหยุดเซิร์ฟเวอร์"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="ไฟล์ที่จะเขียน เช่น var/backups/volunteerkm-2569-03-05.backup")
        parser.add_argument("--database", default="default")

    def handle(self, path, database, **options):
        connection = connections[database]
        attempts = _count(connection, "assessments_attempt")
        path.parent.mkdir(parents=True, exist_ok=True)
        backups.backup(connection.settings_dict, path)
        self.stdout.write(f"สำรองข้อมูลแล้ว: {path} ({path.stat().st_size / 1_048_576:,.1f} MB) "
                          f"ผลแบบทดสอบ {attempts:,} รายการ")


def _count(connection, table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]
