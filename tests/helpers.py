"""Plain helpers shared by the tests (the fixtures are in conftest.py): where things are,
pictures and PDF pages kept for people to look at, and a phone's way through a training
session with Django's test client."""
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.test import Client

from assessments import grading
from assessments.models import QuestionVersion, TestForm, TrainingSession
from volunteerkm.thai import fold_digits

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SCREENSHOTS = ROOT / "var" / "screenshots"
# axe-core's rules for WCAG 2.1 level AA.
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# The password of the trainers the browser tests commit for the real server and log in as.
TRAINER_PASSWORD = "รหัสผ่านผู้จัดอบรม-ทดสอบ-2569"


def screenshot(page, name, full_page=True):
    """Keep a picture of what the user saw, for people to look at: the whole page, or just
    the screen (where a sticky bar sits as the phone shows it)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="ไม่พบ poppler-utils (pdftotext)")


def _tesseract_reads_thai() -> bool:
    if shutil.which("tesseract") is None:
        return False
    return "tha" in subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()


needs_tesseract = pytest.mark.skipif(
    not _tesseract_reads_thai(), reason="ไม่พบ tesseract-ocr ภาษาไทย (apt-get install tesseract-ocr tesseract-ocr-tha)")


def read_text_in_image(png: bytes) -> str:
    """The Thai and Latin text that OCR (tesseract) reads in a picture."""
    return subprocess.run(["tesseract", "stdin", "stdout", "-l", "tha+eng", "--psm", "3"], input=png,
                          capture_output=True, check=True).stdout.decode()


def read_qr_codes(image) -> list[str]:
    """What every QR code in a PIL image says (zxing-cpp)."""
    import zxingcpp

    return [code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


def pdf_page_images(data: bytes, dpi: int = 150, first: int = 1, last: int | None = None) -> list:
    """Pages of a PDF as PIL images (pdftoppm)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "doc.pdf"
        pdf.write_bytes(data)
        command = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(first)]
        if last:
            command += ["-l", str(last)]
        subprocess.run([*command, str(pdf), str(Path(tmp) / "page")], check=True)
        return [Image.open(path).copy() for path in sorted(Path(tmp).glob("page-*.png"))]


# Thai vowels and tone marks written above or below their consonant.
_THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\\s]")


def same_letters(text: str) -> str:
    """``text`` without spaces, line breaks and the marks above and below Thai letters,
    digits folded to Arabic: what pdftotext gives back in order from a PDF with shaped
    Thai (it returns a repositioned mark out of order, e.g. "ที่ของ" as "ทีข" + "่ อง")."""
    return _THAI_MARKS.sub("", fold_digits(text))


def pdf_contains(text: str, expected: str) -> bool:
    return same_letters(expected) in same_letters(text)


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def pdf_pages(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def keep_pngs(data: bytes, name: str):
    """Pages as PNG under var/screenshots, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(SCREENSHOTS / f"{name}.pdf"), str(SCREENSHOTS / name)],
                   check=True)


def database_url_of_test_db():
    """The test database as a DATABASE_URL, for the real server and the commands the tests start."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db.get('USER') or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def make_session(unit, trainer, ask_for=TrainingSession.NAME_ONLY, **kwargs):
    grading.clear_caches()  # a cached draw from another test's rolled-back bank
    pre, post = TestForm.objects.get(key="volunteer-pre-a"), TestForm.objects.get(key="volunteer-post-b")
    kwargs = {"time_limit": pre.time_limit, "pass_mark": post.pass_mark, **kwargs}  # as the session form suggests
    return TrainingSession.objects.create(title="อบรม อพม. ใหม่ รุ่นที่ 1", unit=unit, date="2026-03-02",
                                          trainer=trainer, pre_form=pre, post_form=post, ask_for=ask_for, **kwargs)


def join(client: Client, session, name="สมศรี ใจดี", **extra):
    """Join through the pages: name → consent → agree. Returns the last response."""
    response = client.post(f"/j/{session.code}/", {"name": name, **extra})
    assert response.status_code == 200, response.content.decode()[:500]
    pending = re.search(r'name="pending" value="([^"]+)"', response.content.decode()).group(1)
    return client.post(f"/j/{session.code}/consent/", {"pending": pending, "agree": "yes"})


def read_test_page(client: Client, session):
    """The test page's ticket, key and questions [(version id, [option keys])] in order."""
    response = client.get(f"/j/{session.code}/test/")
    assert response.status_code == 200
    html = response.content.decode()
    ticket = re.search(r'name="ticket" value="([^"]+)"', html).group(1)
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    questions = []
    for vid in re.findall(r'data-q="(\d+)"', html):
        questions.append((int(vid), re.findall(rf'name="a{vid}" value="([a-z])"', html)))
    return {"ticket": ticket, "key": key, "questions": questions, "html": html}


def correct_answers(questions, wrong=0):
    """Right answers for all but the first `wrong` questions (those get a wrong option)."""
    versions = QuestionVersion.objects.in_bulk([vid for vid, _ in questions])
    out = {}
    for n, (vid, keys) in enumerate(questions):
        right = versions[vid].correct
        out[vid] = next(k for k in keys if k != right) if n < wrong else right
    return out


def chosen(versions, pattern):
    """The options a person chose on sample questions (right option "a"), from a pattern of
    1 (right) and 0 (wrong)."""
    return ["a" if right else "b" for _, right in zip(versions, pattern, strict=True)]


def submit_form(client, session, page, answers, key=None):
    """Post the test page's form as the browser would without JavaScript."""
    data = {"ticket": page["ticket"], "key": key or page["key"]}
    data.update({f"a{vid}": opt for vid, opt in answers.items()})
    return client.post(f"/j/{session.code}/submit/", data)
