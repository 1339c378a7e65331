from django.core.management.base import BaseCommand

from knowledge.contentfiles.dump import km_files, write_files
from workspace.kmfiles import workspace_files


class Command(BaseCommand):
    help = ("เขียนเนื้อหาความรู้จากฐานข้อมูลออกเป็นไฟล์ในรูปแบบเดียวกับที่นำเข้า "
            "ทั้งฉบับเผยแพร่และ KM ในพื้นที่ทำงานพร้อมสถานะและบันทึกการอนุมัติ")

    def add_arguments(self, parser):
        parser.add_argument("path", help="โฟลเดอร์ปลายทาง")

    def handle(self, path, **options):
        written = write_files(path, {**km_files(), **workspace_files()})
        self.stdout.write(f"เขียนไฟล์แล้ว {len(written)} ไฟล์ที่ {path}")
