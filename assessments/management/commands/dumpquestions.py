from django.core.management.base import BaseCommand

from assessments.bankfiles.dump import bank_files
from knowledge.contentfiles.dump import write_files


class Command(BaseCommand):
    help = "เขียนคลังคำถามและแบบทดสอบจากฐานข้อมูลออกเป็นไฟล์ในรูปแบบเดียวกับ content/questions"

    def add_arguments(self, parser):
        parser.add_argument("path", help="โฟลเดอร์ปลายทาง")

    def handle(self, path, **options):
        written = write_files(path, bank_files())
        if options["verbosity"]:
            self.stdout.write(f"เขียนแล้ว {len(written)} ไฟล์ใน {path}")
