from django.core.management.base import BaseCommand

from knowledge.contentfiles import write_tree
from knowledge.loader import dump_tree


class Command(BaseCommand):
    help = "เขียนเนื้อหาความรู้จากฐานข้อมูลออกเป็นไฟล์ในรูปแบบเดียวกับที่นำเข้า"

    def add_arguments(self, parser):
        parser.add_argument("path", help="โฟลเดอร์ปลายทาง")

    def handle(self, path, **options):
        written = write_tree(dump_tree(), path)
        self.stdout.write(f"เขียนไฟล์แล้ว {len(written)} ไฟล์ที่ {path}")
