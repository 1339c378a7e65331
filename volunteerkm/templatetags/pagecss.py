"""{% inline_css "css/site.css" … %}: the page's stylesheets written into the page itself.

On a phone link with a 2 s round trip, every stylesheet the page has to fetch before it
can paint costs another 2 s; the site's styles are small (a few KB compressed), so the
public and phone pages carry them inline and paint as soon as the page arrives. The
files stay the single source (whitenoise also serves them to the trainer and report
pages, which link them). Font addresses are rewritten to the hashed static URLs."""
import re
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.safestring import mark_safe

register = template.Library()

_URL = re.compile(r"""url\(["']?\.\./([^"')]+)["']?\)""")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SPACE = re.compile(r"\s*([{};,])\s*")


@lru_cache(maxsize=32)
def stylesheet(paths: tuple[str, ...]) -> str:
    """The files' CSS joined, comments and spare whitespace dropped, font URLs absolute."""
    out = []
    for path in paths:
        with open(finders.find(path), encoding="utf-8") as f:
            css = f.read()
        css = _URL.sub(lambda m: f'url("{static(m.group(1))}")', css)
        css = _SPACE.sub(r"\1", _COMMENT.sub("", css))
        out.append(re.sub(r"\s+", " ", css).strip())
    return "".join(out)


@register.simple_tag(takes_context=True)
def inline_css(context, *paths):
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", "") if request is not None else ""
    attr = f' nonce="{nonce}"' if nonce else ""
    return mark_safe(f"<style{attr}>{stylesheet(tuple(paths))}</style>")
