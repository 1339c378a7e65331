from django.core.management.base import BaseCommand, CommandError

from assessments.bankfiles.load import load_bank
from assessments.bankfiles.read import read_bank
from knowledge.yamlfiles import ContentError


class Command(BaseCommand):
    help = "ตรวจและนำเข้าคลังคำถามและแบบทดสอบจากไฟล์ทั้งหมดในครั้งเดียว (ถ้ามีไฟล์ใดผิด จะไม่นำเข้าเลย)"

    def add_arguments(self, parser):
        parser.add_argument("path", help="โฟลเดอร์คลังคำถาม เช่น content/questions")

    def handle(self, path, **options):
        try:
            bank = read_bank(path)
        except ContentError as exc:
            raise CommandError(f"นำเข้าไม่สำเร็จ ไม่มีการเปลี่ยนแปลงข้อมูล — {exc}") from exc
        counts = load_bank(bank)
        if options["verbosity"]:
            self.stdout.write(
                f"นำเข้าแล้ว: คำถาม {counts['questions']} ข้อ (ฉบับใหม่ {counts['new_versions']}), "
                f"แบบทดสอบ {counts['forms']} ชุด"
            )
