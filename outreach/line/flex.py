"""The cards the bot sends, as Flex Message JSON (https://developers.line.biz/en/docs/messaging-api/flex-message-elements/),
in the site's colours. Each function returns one bubble; replies.py wraps them in messages."""
from django.utils.encoding import iri_to_uri

from volunteerkm.thai import thai_digits

ACCENT, LINK, INK, MUTED, SOFT = "#7a1f1f", "#0a4a94", "#1b1b1b", "#4a4a4a", "#f4f1ea"
BUTTON_LABEL = 40  # LINE's limit for a button's label


def cut(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def text(value, **style):
    return {"type": "text", "text": value, "wrap": True, **style}


def box(*contents, layout="vertical", **style):
    return {"type": "box", "layout": layout, "contents": list(contents), **style}


def uri_button(label, uri, primary=True):
    action = {"type": "uri", "label": cut(label, BUTTON_LABEL), "uri": iri_to_uri(uri)}
    return {"type": "button", "style": "primary" if primary else "link", "height": "sm",
            "color": LINK if primary else None, "action": action}


def tap_row(label, data, display_text):
    """A row that wraps a long title (a button's label stays on one line) and sends a postback."""
    return box(text("›", color=LINK, flex=0, weight="bold"), text(label, color=LINK, size="sm", flex=1),
               layout="horizontal", spacing="sm", paddingAll="8px", backgroundColor=SOFT, cornerRadius="6px",
               action={"type": "postback", "label": cut(label, BUTTON_LABEL), "data": data,
                       "displayText": cut(display_text, 300)})


def bubble(header: str, body: list, footer: list = ()):
    result = {
        "type": "bubble",
        "size": "mega",
        "header": box(text(header, size="sm", color="#ffffff", weight="bold"), backgroundColor=ACCENT,
                      paddingAll="12px"),
        "body": box(*body, spacing="md", paddingAll="16px"),
    }
    if footer:
        result["footer"] = box(*footer, spacing="sm", paddingAll="12px")
    return _drop_none(result)


def _drop_none(value):
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def source_lines(title: str, context: str):
    """Where an answer comes from: the item's title and its chapter."""
    return box(text(title, weight="bold", size="sm", color=INK), text(context, size="xs", color=MUTED),
               spacing="xs", backgroundColor=SOFT, paddingAll="10px", cornerRadius="6px")


def answer(sentence, title, context, url, header="คำตอบจากคลังความรู้ อพม."):
    return bubble(header, [text(sentence, size="md", color=INK), source_lines(title, context)],
                  [uri_button("อ่านเรื่องนี้ทั้งหมด", url)])


def chapter(number, title, summary, items, url):
    """A chapter with its items to tap (`items`: (label, data, display text))."""
    body = [text(title, weight="bold", size="lg", color=INK)]
    if summary:
        body.append(text(cut(summary, 160), size="sm", color=MUTED))
    if items:
        body += [tap_row(*item) for item in items]
    return bubble(f"หมวดที่ {thai_digits(number)}", body, [uri_button("เปิดหมวดนี้บนเว็บ", url, primary=False)])


def glossary(abbr, full, note, url):
    body = [text(abbr, weight="bold", size="xxl", color=ACCENT)]
    if full:
        body += [text("ย่อมาจาก", size="sm", color=MUTED), text(full, size="md", color=INK)]
    else:
        body.append(text("รายงาน KM ไม่ได้ระบุคำเต็มของคำย่อนี้", size="md", color=INK))
    if note:
        body.append(text(cut(note, 300), size="xs", color=MUTED))
    return bubble("คำย่อ", body, [uri_button("ดูคำย่อทั้งหมด", url, primary=False)])


def join(title, unit, date, status, url):
    return bubble("การอบรม", [
        text(title, weight="bold", size="lg", color=INK),
        text(unit, size="sm", color=MUTED),
        text(date, size="sm", color=MUTED),
        text(status, size="sm", color=INK),
    ], [uri_button("เข้าร่วมการอบรม", url)])


def news(kind_label, title, context, note, url):
    body = [text(title, weight="bold", size="lg", color=INK), text(context, size="xs", color=MUTED)]
    if note:
        body.append(text(note, size="sm", color=INK))
    return bubble(f"ข่าวจากคลังความรู้ อพม.: {kind_label}", body, [uri_button("อ่านเรื่องนี้", url)])
