from django.core.management.base import BaseCommand, CommandError

from knowledge.contentfiles.load import load_tree
from knowledge.contentfiles.read import read_tree
from knowledge.yamlfiles import ContentError


class Command(BaseCommand):
    help = "ตรวจและนำเข้าไฟล์เนื้อหาความรู้ทั้งหมดในครั้งเดียว (ถ้ามีไฟล์ใดผิด จะไม่นำเข้าเลย)"

    def add_arguments(self, parser):
        parser.add_argument("path", help="โฟลเดอร์เนื้อหา เช่น content")

    def handle(self, path, **options):
        try:
            tree = read_tree(path)
        except ContentError as exc:
            raise CommandError(f"นำเข้าไม่สำเร็จ ไม่มีการเปลี่ยนแปลงข้อมูล — {exc}") from exc
        counts = load_tree(tree)
        items = sum(len(c["items"]) for r in tree.reports for c in r["chapters"])
        self.stdout.write(
            f"นำเข้าแล้ว: รายงาน {len(tree.reports)} เรื่อง, เรื่องความรู้ {items} เรื่อง, "
            f"คำย่อ {len(tree.glossary)} คำ (สร้าง/แก้ไข {counts['created_or_updated']}, ลบ {counts['deleted']})"
        )
        if counts["kept"]:
            self.stdout.write(f"คงไว้ตามเดิม: รายงาน {counts['kept']} เรื่องที่ดูแลในพื้นที่ทำงาน KM (ไม่แก้ไขและไม่ลบ)")
