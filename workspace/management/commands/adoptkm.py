from django.core.management.base import BaseCommand, CommandError

from accounts.models import Unit
from knowledge.models import KMReport
from workspace.adopt import AdoptError, adopt


class Command(BaseCommand):
    help = ("นำ KM ที่เผยแพร่แล้ว (เช่น KM จากไฟล์เนื้อหา) เข้าพื้นที่ทำงาน KM ของหน่วยงาน "
            "เพื่อแก้ไขเป็นรอบ ๆ ผ่านการอนุมัติของผู้บริหาร หลังจากนี้ loadkm จะไม่แก้ไขรายงานนี้อีก")

    def add_arguments(self, parser):
        parser.add_argument("report", help="รหัสรายงาน KM เช่น regulation-2564")
        parser.add_argument("unit", help="รหัสหน่วยงานที่ดูแล KM นี้ เช่น dvcs")

    def handle(self, report, unit, **options):
        found = KMReport.objects.filter(slug=report).first()
        if found is None:
            raise CommandError(f"ไม่พบรายงาน KM รหัส “{report}”")
        owner = Unit.objects.filter(code=unit).first()
        if owner is None:
            raise CommandError(f"ไม่พบหน่วยงานรหัส “{unit}” (เพิ่มหน่วยงานได้ในหน้าผู้ดูแลระบบ)")
        try:
            draft = adopt(found, owner)
        except AdoptError as exc:
            raise CommandError(str(exc)) from exc
        items = sum(c.items.count() for c in draft.chapters.all())
        self.stdout.write(f"นำ “{draft.title}” เข้าพื้นที่ทำงาน KM ของ {owner.name} แล้ว "
                          f"(หมวด {draft.chapters.count()} หมวด, เรื่องความรู้ {items} เรื่อง)")
