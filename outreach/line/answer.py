"""Whether search answered a question, and the sentence that answers it.

When search is confident it gives a direct answer itself (`Results.answer`: the exact
passage and its anchor), and the bot quotes that, as the site does. Otherwise
`answers_question` decides whether the best hit is an answer or only a weak match (the bot
never guesses), and `answer_sentence` picks, from the page's own Markdown, the paragraph or
list item holding the most of the words search matched."""
import re
from dataclasses import dataclass
from html import unescape

from markdown_it import MarkdownIt

from knowledge.models import Item, ReportField
from knowledge.render import plain_text, review_marks_as_notice
from search.analyzer import FUNCTION_WORDS
from volunteerkm.thai import compact

# A best hit answers when search marked at least two of its words in it, or when it holds at
# least half of the question's own words (measured on the seed KM's question sets: about 1
# in 20 answerable questions is then sent to "not found"; of 25 off-topic questions such as
# "ราคาทองวันนี้" 3 still get a weak answer).
MIN_MARKED, MIN_COVERAGE = 2, 0.5
MAX_CHARS = 320  # longer passages are cut at a space, so the card stays readable on a phone
_md = MarkdownIt("commonmark")
_MARK = re.compile(r"<mark>(.*?)</mark>")
_LIST_INTRO = re.compile(r"(ดังนี้|ได้แก่|ดังต่อไปนี้|[:：])\s*$")
_LISTS = ("bullet_list", "ordered_list")


@dataclass
class Passage:
    text: str
    in_list: bool


def source_markdown(doc) -> str:
    """The Markdown the search document was made from (items and KM report fields)."""
    kind, _, pk = doc.key.partition(":")
    model = {"item": Item, "field": ReportField}.get(kind)
    body = model.objects.filter(pk=pk).values_list("body", flat=True).first() if model else None
    return body if body is not None else doc.body


def passages(markdown: str) -> list[Passage]:
    """Paragraphs and list items as plain text, headings left out."""
    out, depth, in_heading = [], 0, False
    for token in _md.parse(markdown or ""):
        if token.type.endswith("_open") and token.type[:-5] in _LISTS:
            depth += 1
        elif token.type.endswith("_close") and token.type[:-6] in _LISTS:
            depth -= 1
        elif token.type in ("heading_open", "heading_close"):
            in_heading = token.type == "heading_open"
        elif token.type == "inline" and not in_heading:
            text = plain_text(token.content)
            if text:
                out.append(Passage(text, depth > 0))
    return out


def candidates(parts: list[Passage]) -> list[str]:
    """Each paragraph and list item; a paragraph that introduces a list ("… ดังนี้") only
    together with its list, since alone it answers nothing."""
    out = []
    for i, part in enumerate(parts):
        following = []
        for later in parts[i + 1:]:
            if not later.in_list:
                break
            following.append(later.text)
        if not part.in_list and following and _LIST_INTRO.search(part.text):
            out.append(part.text + "\n" + "\n".join(f"• {t}" for t in following))
        else:
            out.append(part.text)
    return out


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > limit // 2 else limit].rstrip() + " …"


def matched_words(hit, results) -> set[str]:
    """The words search marked in the hit (it leaves common words unmarked); the query's
    terms only when nothing is marked."""
    words = {_key(m) for m in _MARK.findall(hit.snippet)}
    if not words:
        words = {_key(t) for t in results.terms}
    return {w for w in words if len(w) > 1}


def _key(text):
    return compact(unescape(text)).replace(".", "")


def answers_question(results) -> bool:
    if results.answer:
        return True
    if not results.hits:
        return False
    best = results.hits[0]
    marked = {_key(m) for m in _MARK.findall(best.snippet)} - FUNCTION_WORDS
    if len({m for m in marked if len(m) > 1}) >= MIN_MARKED:
        return True
    words = {_key(t) for t in results.terms if t not in FUNCTION_WORDS and len(t) > 1}
    text = _key(f"{best.doc.title} {best.doc.heading} {best.doc.body}")
    covered = sum(w in text for w in words)
    return not words or (covered > 0 and covered / len(words) >= MIN_COVERAGE)


def direct_answer(hit, results):
    """Search's direct answer when it is a passage of this hit's page, else None."""
    direct = results.answer
    return direct if direct and direct.url.partition("#")[0] == hit.doc.url else None


def answer_sentence(hit, results) -> str:
    """The exact sentence (paragraph or list item) of the hit's page that answers best:
    search's direct answer when it has one, otherwise the passage with the most distinct
    matched words, then the shortest."""
    direct = direct_answer(hit, results)
    if direct:
        return shorten(review_marks_as_notice(direct.read_out()))
    words = matched_words(hit, results)
    options = candidates(passages(source_markdown(hit.doc))) or [hit.doc.body]

    def score(text):
        flat = _key(text)
        return (-sum(w in flat for w in words), len(text))

    return shorten(review_marks_as_notice(min(options, key=score)))
