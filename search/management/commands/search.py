"""volunteerkm search QUERY [--limit N] [--json]
volunteerkm search --batch FILE --json [--limit N]   (FILE: one {"q": "..."} per line)

JSON: {"q", "answer": {"text", "item", "url", "lead"} or null, "results": [{"title", "text", "url", "score", "sure"}]}
("sure": false for a result shown apart, as possibly related)"""
import json

from django.core.management.base import BaseCommand, CommandError

from search.engine import current_index


def result_json(q, results):
    answer = results.answer
    return {"q": q, "answer": answer and {"text": answer.text, "item": answer.item, "url": answer.url,
                                        "lead": answer.lead}, "results": [
        {"title": h.doc.title, "text": h.doc.text, "url": h.doc.url, "score": h.score, "sure": h.sure}
        for h in results.hits
    ]}


class Command(BaseCommand):
    help = "ค้นหาความรู้จากบรรทัดคำสั่ง หรือค้นทีละหลายคำถามจากไฟล์ (--batch)"

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="*", help="คำค้นหรือคำถาม")
        parser.add_argument("--limit", type=int, default=10, help="จำนวนผลลัพธ์ (ค่าเริ่มต้น 10)")
        parser.add_argument("--json", action="store_true", help="พิมพ์ผลเป็น JSON")
        parser.add_argument("--batch", metavar="FILE", help='ไฟล์ JSON Lines ที่แต่ละบรรทัดเป็น {"q": "..."}')

    def handle(self, *args, **opts):
        if opts["limit"] < 1:
            raise CommandError("--limit ต้องมากกว่า 0")
        if bool(opts["batch"]) == bool(opts["query"]):
            raise CommandError("ระบุคำค้น หรือ --batch FILE อย่างใดอย่างหนึ่ง")
        index = current_index()
        if opts["batch"]:
            for q in self.read_batch(opts["batch"]):
                self.stdout.write(json.dumps(result_json(q, index.search(q, opts["limit"])), ensure_ascii=False))
            return
        q = " ".join(opts["query"])
        results = index.search(q, opts["limit"])
        if opts["json"]:
            self.stdout.write(json.dumps({**result_json(q, results), "did_you_mean": results.did_you_mean},
                                         ensure_ascii=False))
            return
        if results.did_you_mean:
            self.stdout.write(f"หมายถึง: {results.did_you_mean}")
        answer = results.answer
        if answer:
            self.stdout.write(f"คำตอบ: {answer.read_out()}  ({answer.item} {answer.url})")
        if not results.hits:
            self.stdout.write(f"ไม่พบเรื่องที่ตรงกับ “{q}” (ไม่มีเรื่องในคลังความรู้ที่ตอบคำถามนี้)")
        for rank, h in enumerate(results.hits, 1):
            related = "" if h.sure else "  (อาจเกี่ยวข้อง)"
            self.stdout.write(f"{rank}. {h.doc.title} ({h.doc.context}) {h.doc.url}  [{h.score}]{related}")

    def read_batch(self, path):
        """All questions first, so a bad line stops the run before any output."""
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except OSError as e:
            raise CommandError(f"เปิดไฟล์ {path} ไม่ได้: {e.strerror}") from e
        queries = []
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                q = json.loads(line)["q"]
            except (ValueError, KeyError, TypeError):
                raise CommandError(f'{path} บรรทัด {n}: ต้องเป็น JSON แบบ {{"q": "..."}}') from None
            if not isinstance(q, str):
                raise CommandError(f"{path} บรรทัด {n}: q ต้องเป็นข้อความ")
            queries.append(q)
        return queries
