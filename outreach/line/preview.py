"""Flex Message JSON → HTML, close enough to LINE's rendering for an editor to see what
followers will get before sending (and for anyone to look at the bot's cards)."""
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

SIZES = {"xxs": ".65rem", "xs": ".75rem", "sm": ".85rem", "md": "1rem", "lg": "1.15rem", "xl": "1.3rem",
         "xxl": "1.6rem"}


def render(node) -> str:
    kind = node.get("type")
    if kind == "carousel":
        bubbles = "".join(render(b) for b in node["contents"])
        return format_html('<div class="flex-carousel">{}</div>', mark_safe(bubbles))
    if kind == "bubble":
        parts = [format_html('<div class="flex-{}">{}</div>', part, mark_safe(render(node[part])))
                 for part in ("header", "body", "footer") if part in node]
        return format_html('<div class="flex-bubble">{}</div>', mark_safe("".join(parts)))
    if kind == "box":
        style = _box_style(node)
        inner = "".join(render(c) for c in node["contents"])
        return format_html('<div class="flex-box flex-{}" style="{}">{}</div>', node["layout"], style, mark_safe(inner))
    if kind == "text":
        style = f"font-size:{SIZES.get(node.get('size', 'md'), '1rem')};color:{node.get('color', '#111')};" + (
            "font-weight:700;" if node.get("weight") == "bold" else "")
        return format_html('<p class="flex-text" style="{}">{}</p>', style, node["text"])
    if kind == "button":
        action = node["action"]
        css = "flex-button primary" if node.get("style") == "primary" else "flex-button"
        return format_html('<a class="{}" href="{}">{}</a>', css, action.get("uri", "#"), action["label"])
    if kind == "separator":
        return mark_safe('<hr class="flex-separator">')
    return ""


def _box_style(node):
    style = []
    if node.get("backgroundColor"):
        style.append(f"background:{node['backgroundColor']}")
    if node.get("paddingAll"):
        style.append(f"padding:{node['paddingAll']}")
    if node.get("cornerRadius"):
        style.append(f"border-radius:{node['cornerRadius']}")
    return ";".join(style)


def message_html(message: dict) -> str:
    """One message (as LINE receives it) with its quick replies as chips."""
    if message["type"] == "flex":
        body = render(message["contents"])
    else:
        body = format_html('<div class="flex-bubble plain"><p class="flex-text">{}</p></div>', message["text"])
    chips = (message.get("quickReply") or {}).get("items", [])
    quick = format_html_join("", '<span class="quick-reply">{}</span>', ((i["action"]["label"],) for i in chips))
    alt = format_html('<p class="alt-text">ข้อความแทน (altText): {}</p>', message.get("altText")) if (
        "altText" in message) else ""
    return format_html('<div class="line-message">{}{}<div class="quick-replies">{}</div></div>', body, alt, quick)
