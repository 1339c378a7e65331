"""What the bot says: each function returns the list of LINE messages of one reply.

Links are absolute, on `base` (the address LINE reached the webhook at, or SITE_URL for
news). Numbers the bot writes use Thai digits, as the knowledge text does (join codes
are codes, not numbers, and stay as typed)."""
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import reverse
from linebot.v3.messaging import (
    FlexContainer,
    FlexMessage,
    MessageAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)

from knowledge.models import GlossaryTerm, Item, KMReport
from knowledge.render import plain_text, review_marks_as_notice
from volunteerkm.thai import thai_date, thai_digits

from . import flex
from .answer import answer_sentence, candidates, direct_answer, passages, shorten

QUICK_LABEL = 20  # LINE's limit for a quick reply button's label
QUICK_ITEMS = 13
ALT_TEXT = 400
OTHER_ANSWERS = 3
# The abbreviations offered first under "คำย่อ" (the rest follow in the glossary's order).
FEATURED_ABBRS = ["อพม.", "กอพม.", "ศปง.", "พมจ.", "พม.", "ปพม.", "อปท.", "กทม.", "กอส.", "พส."]
EXAMPLES = ["อพม. คือใคร", "คุณสมบัติของ อพม.", "สมัคร อพม. ได้ที่ไหน", "อพม. พ้นจากตำแหน่งเมื่อใด",
            "ค่าตอบแทน อพม.", "กอพม. คืออะไร"]
HOW_TO_ASK = ("พิมพ์คำถามเป็นภาษาพูดได้เลย ไม่ต้องเว้นวรรค ใช้คำย่อหรือคำเต็มก็ได้ เช่น “สมัคร อพม. ได้ที่ไหน” "
              "หรือ “กอพม. คืออะไร” แล้วจะได้คำตอบพร้อมที่มาจากระเบียบฯ")


# --- building blocks ---------------------------------------------------------------------------

def ask(label, said=None):
    """A quick reply that sends `said` as if typed."""
    return MessageAction(label=flex.cut(label, QUICK_LABEL), text=said or label)


def postback(label, data: dict, display_text):
    return PostbackAction(label=flex.cut(label, QUICK_LABEL), data=urlencode(data),
                          display_text=flex.cut(display_text, 300))


def quick(actions):
    actions = list(actions)[:QUICK_ITEMS]
    return QuickReply(items=[QuickReplyItem(action=a) for a in actions]) if actions else None


def say(text, actions=()):
    return TextMessage(text=text, quick_reply=quick(actions))


def card(alt_text, contents: dict, actions=()):
    return FlexMessage(alt_text=flex.cut(alt_text, ALT_TEXT), contents=FlexContainer.from_dict(contents),
                       quick_reply=quick(actions))


def chapter_actions():
    report = KMReport.objects.main()
    chapters = report.chapters.all() if report else []
    return [postback(f"หมวด {thai_digits(c.number)} {c.title}", {"chapter": c.number}, thai_digits(str(c)))
            for c in chapters]


def click_url(base, logged, rank, url):
    """The site's own click-through (search:click), so opening the page counts as it does on the web."""
    return base + reverse("search:click", args=[logged.pk, rank]) + "?" + urlencode({"to": url})


# --- answers -----------------------------------------------------------------------------------

def answer(results, logged, base):
    """The best hit's sentence with its source and a button to its page; up to three other
    hits and 👍/👎 as quick replies."""
    best = results.hits[0]
    sentence = answer_sentence(best, results)
    others = [postback(hit.doc.title, {"show": rank, "q": logged.pk}, hit.doc.title)
              for rank, hit in enumerate(results.hits[1:OTHER_ANSWERS + 1], 2)]
    feedback = [postback("👍 ตรงคำถาม", {"fb": 1, "q": logged.pk, "u": best.doc.url}, "👍 ตรงคำถาม"),
                postback("👎 ยังไม่ตรง", {"fb": 0, "q": logged.pk, "u": best.doc.url}, "👎 ยังไม่ตรงคำถาม")]
    context = thai_digits(best.doc.context)
    direct = direct_answer(best, results)
    page = direct.url if direct else best.doc.url  # at the quoted passage when there is one
    bubble = flex.answer(sentence, best.doc.title, context, click_url(base, logged, 0 if direct else 1, page))
    return [card(f"คำตอบ: {sentence} (ที่มา: {best.doc.title}, {context})", bubble, others + feedback)]


def other_answer(results, logged, rank, base):
    """Another hit of the same question, chosen from the quick replies."""
    hit = results.hits[rank - 1]
    sentence = answer_sentence(hit, results)
    feedback = [postback("👍 ตรงคำถาม", {"fb": 1, "q": logged.pk, "u": hit.doc.url}, "👍 ตรงคำถาม"),
                postback("👎 ยังไม่ตรง", {"fb": 0, "q": logged.pk, "u": hit.doc.url}, "👎 ยังไม่ตรงคำถาม")]
    bubble = flex.answer(sentence, hit.doc.title, thai_digits(hit.doc.context),
                         click_url(base, logged, rank, hit.doc.url))
    return [card(f"คำตอบ: {sentence} (ที่มา: {hit.doc.title})", bubble, feedback)]


def not_found(q, results):
    """Never a guess: say so, say the question reaches the editors, offer the chapters."""
    text = (f"ขออภัย ยังไม่พบคำตอบเรื่อง “{flex.cut(q, 60)}” ในคลังความรู้ระเบียบ อพม. "
            "ทีมงานได้รับคำถามนี้แล้วและจะนำไปเพิ่มความรู้ต่อไป\n\n"
            "ลองพิมพ์ถามด้วยคำอื่น หรือเลือกหมวดความรู้ด้านล่าง")
    actions = [ask(f"ลอง: {results.did_you_mean}", results.did_you_mean)] if results.did_you_mean else []
    return [say(text, actions + chapter_actions())]


def too_long(limit):
    return [say(f"คำถามยาวเกินไป กรุณาพิมพ์ไม่เกิน {thai_digits(limit)} ตัวอักษร")]


def gone():
    return [say("ขออภัย เรื่องนี้ไม่มีในคลังความรู้แล้ว ลองพิมพ์ถามใหม่อีกครั้ง", chapter_actions())]


def thanks(helpful):
    if helpful:
        return [say("ขอบคุณที่บอกให้ทราบ ยินดีที่ช่วยได้")]
    return [say("ขอบคุณที่บอกให้ทราบ ทีมงานจะนำคำถามนี้ไปปรับปรุงคำตอบ ลองพิมพ์ถามด้วยคำอื่น หรือเลือกหมวดความรู้",
                chapter_actions())]


# --- chapters and items ------------------------------------------------------------------------

def _chapter_bubble(chapter, base):
    items = [(item.title, urlencode({"item": item.pk}), item.title) for item in chapter.items.all()]
    return flex.chapter(chapter.number, chapter.title, plain_text(chapter.summary), items,
                        base + chapter.get_absolute_url())


def _chapters():
    report = KMReport.objects.main()
    if report is None:
        return []
    return list(report.chapters.prefetch_related(Prefetch("items", queryset=Item.objects.published())))


def chapters(base):
    """A carousel of the regulation's chapters, each with its items."""
    found = _chapters()
    if not found:
        return [say("ยังไม่มีเนื้อหาความรู้ในระบบ")]
    contents = {"type": "carousel", "contents": [_chapter_bubble(c, base) for c in found[:12]]}
    alt = "หมวดความรู้: " + ", ".join(thai_digits(str(c)) for c in found)
    return [card(alt, contents)]


def chapter(number, base):
    found = [c for c in _chapters() if c.number == number]
    if not found:
        return gone()
    return [card(thai_digits(str(found[0])), _chapter_bubble(found[0], base), chapter_actions())]


def item(item_obj, base):
    """An item chosen from a chapter: its first passage, its source and its page."""
    parts = candidates(passages(item_obj.body))
    sentence = shorten(review_marks_as_notice(parts[0] if parts else plain_text(item_obj.body)))
    context = thai_digits(str(item_obj.chapter))
    bubble = flex.answer(sentence, item_obj.title, context, base + item_obj.get_absolute_url(),
                         header="เรื่องจากคลังความรู้ อพม.")
    return [card(f"{item_obj.title}: {sentence}", bubble, chapter_actions())]


# --- glossary ----------------------------------------------------------------------------------

def glossary(term, related, base):
    """An abbreviation from the glossary; `related`: search hits on it, offered as quick replies."""
    url = base + reverse("knowledge:glossary") + f"#{term.anchor}"
    note = term.note if not term.certain or not term.full else ""
    bubble = flex.glossary(term.abbr, term.full if term.certain else "", note, url)
    actions = [postback(hit.doc.title, {"item": hit.doc.key.partition(":")[2]}, hit.doc.title)
               for hit in related if hit.doc.key.startswith("item:")][:OTHER_ANSWERS]
    alt = f"{term.abbr} ย่อมาจาก {term.full}" if term.certain and term.full else f"{term.abbr}: {term.note}"
    return [card(alt, bubble, actions)]


def glossary_help():
    terms = list(GlossaryTerm.objects.filter(certain=True).exclude(full=""))
    terms.sort(key=lambda t: FEATURED_ABBRS.index(t.abbr) if t.abbr in FEATURED_ABBRS else len(FEATURED_ABBRS))
    return [say("พิมพ์คำย่อตามด้วย “คืออะไร” เช่น “กอพม. คืออะไร” หรือเลือกคำย่อด้านล่าง",
                [ask(t.abbr, f"{t.abbr} คืออะไร") for t in terms[:QUICK_ITEMS]])]


# --- trainings ---------------------------------------------------------------------------------

def quiz_help(base):
    return [say("พิมพ์รหัสเข้าร่วม ๖ ตัวที่ผู้จัดอบรมแสดงบนจอ (เช่น 4HK7QX) แล้วแตะปุ่มเพื่อเข้าทำแบบทดสอบ "
                f"หรือเปิด {base}{reverse('assessments:enter_code')}")]


def join(session, base, open_kind_label):
    status = f"เปิด{open_kind_label}อยู่ในขณะนี้" if open_kind_label else "ยังไม่เปิดแบบทดสอบ เข้าร่วมไว้ก่อนได้"
    url = base + session.join_path()
    bubble = flex.join(session.title, session.unit.name, "วันที่อบรม " + thai_date(session.date),
                       status, url)
    return [card(f"การอบรม {session.title} เข้าร่วมที่ {url}", bubble)]


def unknown_code(code):
    return [say(f"ไม่พบการอบรมที่ใช้รหัส “{code[:12]}” กรุณาตรวจสอบรหัสบนจอของผู้จัดอบรมอีกครั้ง")]


# --- greetings and help ------------------------------------------------------------------------

def greeting():
    return [say("สวัสดี ยินดีต้อนรับสู่คลังความรู้ อพม.\n\n" + HOW_TO_ASK + "\n\n"
                "เมนูด้านล่างมีหมวดความรู้ คำย่อ และแบบทดสอบสำหรับผู้เข้าอบรม "
                "ถ้าต้องการรับข่าวเมื่อมีเรื่องใหม่ พิมพ์ “รับข่าว”",
                [ask(e) for e in EXAMPLES])]


def group_greeting():
    return [say("สวัสดีทุกท่าน บัญชีนี้ตอบคำถามเรื่องระเบียบ อพม. จากคลังความรู้\n\n"
                "ในกลุ่มนี้ พิมพ์ “ถาม” หรือ “?” นำหน้าคำถาม หรือแท็กชื่อบัญชีนี้ แล้วจะตอบเฉพาะข้อความนั้น "
                "บัญชีนี้จะไม่ส่งข้อความเข้ากลุ่มเอง")]


def ask_help():
    return [say(HOW_TO_ASK, [ask(e) for e in EXAMPLES])]


def welcome():
    return [say("ยินดีที่ได้ช่วย มีคำถามเรื่องระเบียบ อพม. พิมพ์ถามได้ทุกเมื่อ")]


def text_only():
    return [say("บัญชีนี้ตอบคำถามที่พิมพ์เป็นข้อความ ลองพิมพ์คำถามเรื่องระเบียบ อพม. ได้เลย", [ask(e) for e in EXAMPLES])]


# --- news --------------------------------------------------------------------------------------

def subscribed(created):
    if not created:
        return [say("ท่านรับข่าวอยู่แล้ว พิมพ์ “หยุดรับข่าว” เมื่อไม่ต้องการรับข่าวอีก")]
    return [say("เรียบร้อย จะส่งข่าวให้เมื่อมีเรื่องใหม่หรือเนื้อหาปรับปรุงในคลังความรู้ "
                "เก็บไว้เพียงรหัสผู้ใช้ LINE เพื่อการนี้ พิมพ์ “หยุดรับข่าว” เมื่อใดก็ได้ ข้อมูลจะถูกลบทันที")]


def unsubscribed(deleted):
    if not deleted:
        return [say("ท่านไม่ได้รับข่าวอยู่ ไม่มีข้อมูลที่ต้องลบ พิมพ์ “รับข่าว” หากต้องการรับข่าว")]
    return [say("หยุดส่งข่าวแล้ว และลบรหัสผู้ใช้ LINE ของท่านออกจากรายชื่อผู้รับข่าวแล้ว")]


def private_only():
    return [say("การรับข่าวทำได้ในแชตส่วนตัวกับบัญชีนี้เท่านั้น")]


def news(announcement, base):
    item_obj = announcement.item
    note = announcement.note or ""
    bubble = flex.news(announcement.get_kind_display(), item_obj.title, thai_digits(str(item_obj.chapter)), note,
                       base + item_obj.get_absolute_url())
    alt = f"ข่าวจากคลังความรู้ อพม.: {announcement.get_kind_display()} “{item_obj.title}” {note}"
    return card(alt, bubble, [ask("หยุดรับข่าว")])
