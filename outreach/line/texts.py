"""A text message is a menu command, a training code, an abbreviation to look up, or a
question for search. `plan` only reads; the function it returns writes (the question log,
news opt-in) and builds the reply, inside the webhook's transaction for the event."""
import re

from assessments.forms import normalize_code
from assessments.models import CODE_ALPHABET, CODE_LENGTH, KIND_LABELS, TrainingSession
from knowledge.models import GlossaryTerm
from search import engine
from search.index import Results
from search.models import SearchQuery
from search.views import MAX_QUERY, log_query
from volunteerkm.thai import compact

from . import replies
from .answer import answers_question
from .subscribers import subscribe, unsubscribe

_ASKING_PREFIX = re.compile(r"^\s*(?:ถาม|[?？])\s*")
_COMMAND_TAIL = re.compile(r"(?:ครับผม|ครับ|ค่ะ|คะ|คับ|จ้า|จ้ะ|นะ|มาก|[?？!.])+$")
_CODE = re.compile(r"(?:รหัส(?:เข้าร่วม|อบรม)?)?\s*:?\s*([A-Za-z0-9๐-๙][A-Za-z0-9๐-๙ \-]*)")
_GLOSSARY_QUESTION = re.compile(
    r"(?:คำย่อ|ย่อ)?(?P<term>.+?)(?:ย่อมาจาก|ย่อว่า|หมายถึง|แปลว่า|คือ|ชื่อเต็ม|มาจาก)?(?:อะไร|ใคร|คำว่าอะไร)?"
    r"(?:ครับ|คะ|ค่ะ|คับ|จ้ะ|จ้า|นะคะ|นะครับ|นะ)?[?？!]*")


def _commands():
    """What the rich menu's buttons send (and what people type): compact text → reply."""
    return {
        "ถามเรื่องระเบียบ": lambda ctx: replies.ask_help(),
        "หมวดความรู้": lambda ctx: replies.chapters(ctx.base),
        "คำย่อ": lambda ctx: replies.glossary_help(),
        "แบบทดสอบ": lambda ctx: replies.quiz_help(ctx.base),
        "รับข่าว": subscribe,
        "หยุดรับข่าว": unsubscribe,
        "วิธีใช้": lambda ctx: replies.ask_help(),
        "ช่วยเหลือ": lambda ctx: replies.ask_help(),
        "เมนู": lambda ctx: replies.ask_help(),
        "สวัสดี": lambda ctx: replies.greeting(),
        "ขอบคุณ": lambda ctx: replies.welcome(),
        "ขอบใจ": lambda ctx: replies.welcome(),
    }


COMMANDS = _commands()


def plan(text, ctx):
    said = " ".join((text or "").split())
    question = _ASKING_PREFIX.sub("", said).strip()
    # "ถามเรื่องระเบียบ" is a command as typed; "ถาม รับข่าว" in a group is one once addressed.
    command = COMMANDS.get(_command_key(said)) or COMMANDS.get(_command_key(question))
    if command:
        return lambda: command(ctx)
    if not question:
        return lambda: replies.ask_help()
    code = join_code(question)
    if code:
        return plan_join(code, ctx)
    term = glossary_term(question)
    if term:
        related = engine.search(term.abbr, replies.OTHER_ANSWERS + 1).hits
        return lambda: replies.glossary(term, related, ctx.base)
    return plan_question(question, ctx)


def _command_key(text):
    """"หมวดความรู้", "ขอบคุณมากครับ" → the command's name, without polite endings."""
    return _COMMAND_TAIL.sub("", compact(text))


def join_code(text) -> str:
    """The training code in "4HK7QX" or "รหัส 4hk-7qx", else ""."""
    match = _CODE.fullmatch(text)
    code = normalize_code(match.group(1)) if match else ""
    return code if re.fullmatch(f"[A-Z0-9]{{{CODE_LENGTH}}}", code) else ""


def plan_join(code, ctx):
    session = None
    if all(c in CODE_ALPHABET for c in code):
        session = TrainingSession.objects.select_related("unit").filter(code=code).first()
    if session is None:
        return lambda: replies.unknown_code(code)
    phase = session.open_phase()
    return lambda: replies.join(session, ctx.base, KIND_LABELS[phase] if phase else "")


def _key(text):
    return compact(text).replace(".", "")


def glossary_term(text):
    """The glossary entry a question like "กอพม. คืออะไร" asks about (abbreviation or full form)."""
    match = _GLOSSARY_QUESTION.fullmatch(_key(text))
    if not match:
        return None
    wanted = match.group("term")
    for term in GlossaryTerm.objects.all():
        if wanted in (_key(term.abbr), _key(term.full)):
            return term
    return None


def plan_question(q, ctx):
    if len(q) > MAX_QUERY:
        return lambda: replies.too_long(MAX_QUERY)
    results = engine.search(q, replies.OTHER_ANSWERS + 1)
    answered = answers_question(results)

    def reply():
        # The same log as the site's search (the words only, never who asked); a weak match
        # the bot does not offer is logged as not found, so editors see it among the gaps.
        logged = log_query(q, results if answered else Results(q=q), SearchQuery.LINE)
        return replies.answer(results, logged, ctx.base) if answered else replies.not_found(q, results)

    return reply
