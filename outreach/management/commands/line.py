"""The LINE Official Account from the command line.

    volunteerkm line richmenu                 # draw the menu, upload it, make it the default
    volunteerkm line richmenu --image m.png   # only draw it (no channel needed)
    volunteerkm line preview DIR              # the bot's replies as an HTML page + the menu image
    volunteerkm line standin --port 8090      # a local LINE API that prints what the bot sends
"""
import json
import time
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from linebot.v3.messaging.exceptions import ApiException

from outreach.line import channel, preview, richmenu
from outreach.line.events import Context
from outreach.line.standin import StandIn
from outreach.line.texts import plan

PREVIEW_TEXTS = ["สมัคร อพม. ออนไลน์ได้ไหม", "ต้องมีสัญชาติอะไร", "ปลูกผักยังไง", "กอพม. คืออะไร", "หมวดความรู้",
                 "คำย่อ", "ถามเรื่องระเบียบ"]


class Command(BaseCommand):
    help = "บัญชี LINE: ติดตั้งริชเมนู ดูตัวอย่างคำตอบ หรือเปิด LINE API จำลองบนเครื่องนี้"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        menu = sub.add_parser("richmenu", help="วาดริชเมนู อัปโหลด และตั้งเป็นเมนูหลักของทุกคน")
        menu.add_argument("--image", metavar="PNG", help="เขียนเฉพาะรูปเมนูลงไฟล์นี้ ไม่ติดต่อ LINE")
        look = sub.add_parser("preview", help="เขียนตัวอย่างคำตอบของบอต (HTML) และรูปริชเมนูลงในโฟลเดอร์")
        look.add_argument("directory")
        look.add_argument("--base", default="https://km.example.go.th", help="ที่อยู่เว็บไซต์ในลิงก์ของตัวอย่าง")
        stand = sub.add_parser("standin", help="LINE API จำลองบน 127.0.0.1 ที่พิมพ์ทุกอย่างที่บอตส่ง")
        stand.add_argument("--port", type=int, default=8090)
        stand.add_argument("--token", default="", help="channel access token ที่ต้องได้รับ (ค่าเริ่มต้น: ของระบบ)")

    def handle(self, *args, what, **options):
        try:
            getattr(self, what)(**options)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc

    def richmenu(self, image=None, **options):
        png = richmenu.image()
        if image:
            Path(image).write_bytes(png)
            self.stdout.write(f"เขียนรูปริชเมนู {richmenu.WIDTH}×{richmenu.HEIGHT} ลงใน {image} แล้ว")
            return
        if not channel.configured():
            raise CommandError("ยังไม่ได้ตั้งค่าบัญชี LINE: กำหนด LINE_CHANNEL_SECRET และ LINE_CHANNEL_ACCESS_TOKEN ก่อน")
        try:
            menu_id, old = richmenu.install(png)
        except ApiException as exc:
            raise CommandError(f"LINE ไม่รับริชเมนู ({exc.status}): {exc.body}") from exc
        except OSError as exc:
            raise CommandError(f"ติดต่อ LINE ไม่ได้: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"ตั้งริชเมนู {menu_id} เป็นเมนูหลักแล้ว"
                                             + (f" (ลบเมนูเก่า {len(old)} ชุด)" if old else "")))

    def preview(self, directory, base, **options):
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        (out / "line-richmenu.png").write_bytes(richmenu.image())
        ctx = Context(base=base.rstrip("/"), in_group=False, user_id="")
        sections = []
        with transaction.atomic():  # the replies log their questions; the preview keeps nothing
            for text in PREVIEW_TEXTS:
                messages = plan(text, ctx)()
                html = "".join(preview.message_html(json.loads(m.to_json())) for m in messages)
                sections.append(f'<h2>“{text}”</h2><div class="line-chat">{html}</div>')
            transaction.set_rollback(True)
        css = Path(__file__).resolve().parents[2] / "static" / "outreach" / "line-preview.css"
        fonts = Path(__file__).resolve().parents[3] / "volunteerkm" / "static" / "fonts"
        page = (f'<!doctype html><html lang="th"><meta charset="utf-8"><title>ตัวอย่างคำตอบของบอต LINE</title>'
                f'<style>@font-face{{font-family:Sarabun;src:url("{fonts.as_uri()}/Sarabun-Regular.ttf")}}'
                f'@font-face{{font-family:Sarabun;font-weight:700;src:url("{fonts.as_uri()}/Sarabun-Bold.ttf")}}'
                f'body{{font-family:Sarabun;max-width:60rem;margin:1rem auto}}{css.read_text()}</style>'
                f'<h1>ตัวอย่างคำตอบของบอต LINE</h1>{"".join(sections)}'
                f'<h2>ริชเมนู</h2><img src="line-richmenu.png" alt="ริชเมนู" style="width:100%"></html>')
        (out / "line-preview.html").write_text(page)
        self.stdout.write(f"เขียน {out / 'line-preview.html'} และ {out / 'line-richmenu.png'} แล้ว")

    def standin(self, port, token, **options):
        from django.conf import settings

        with StandIn(token=token or settings.LINE_CHANNEL_ACCESS_TOKEN, port=port, verbose=True) as api:
            self.stdout.write(f"LINE API จำลองที่ {api.url} (ตั้ง LINE_API_BASE={api.url}) กด Ctrl-C เพื่อหยุด")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
