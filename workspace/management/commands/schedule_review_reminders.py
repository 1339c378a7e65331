from django.core.management.base import BaseCommand

from workspace.tasks import schedule


class Command(BaseCommand):
    help = "เข้าคิวงานเตือนทีม KM ทางอีเมลเรื่องความรู้ที่เลยกำหนดทบทวน (วันละครั้ง) หากยังไม่อยู่ในคิว"

    def handle(self, *args, **options):
        queued = schedule()
        self.stdout.write(f"งานเตือนทบทวนเรื่องความรู้{'เข้าคิวแล้ว' if queued else 'อยู่ในคิวอยู่แล้ว'} (ทำวันละครั้ง)")
