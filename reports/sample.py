"""Building results through the models: the fixtures of the report tests and the
``reportsdemo`` command (sample trainings to look at the dashboards with).

``record_attempt`` stores an attempt the way a submission is stored: every answer against
the question version shown, the total, and the per-chapter sub-scores.
"""
from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Membership, Unit
from assessments.models import (
    POST,
    PRE,
    STAFF,
    Answer,
    Attempt,
    Option,
    Participant,
    Question,
    SubScore,
    TestForm,
    TrainingSession,
)
from knowledge.models import Item

OPTION_KEYS = "abcd"


def unit(code, name, province="", region="", kind=Unit.PROVINCE, parent=None):
    obj, _ = Unit.objects.get_or_create(code=code, defaults={
        "name": name, "short_name": name, "province": province, "region": region, "kind": kind, "parent": parent})
    return obj


def user(username, units=(), role=Membership.TRAINER, **extra):
    obj, _ = get_user_model().objects.get_or_create(username=username, defaults=extra)
    for u in units:
        Membership.objects.get_or_create(user=obj, unit=u, role=role)
    return obj


def question_bank(prefix: str, per_chapter: int = 1, chapters=None):
    """Multiple-choice questions (options a–d, the right one ``a``) on published items,
    ``per_chapter`` per chapter; returns their first versions in chapter order."""
    versions = []
    items = Item.objects.published().select_related("chapter").order_by("chapter__number", "order")
    by_chapter = {}
    for item in items:
        by_chapter.setdefault(item.chapter.number, []).append(item)
    for number, chapter_items in sorted(by_chapter.items()):
        if chapters and number not in chapters:
            continue
        for i in range(per_chapter):
            item = chapter_items[i % len(chapter_items)]
            q = Question.objects.create(
                key=f"{prefix}-{number}-{i + 1}", item=item, text=f"คำถามที่ {i + 1} เรื่อง{item.title}",
                source=item.title, status=Question.PUBLISHED)
            for k in OPTION_KEYS:
                Option.objects.create(question=q, key=k, text=f"ตัวเลือก {k} ของ {item.title}", correct=k == "a")
            versions.append(q.snapshot())
    return versions


def form(title, kind, versions, pass_mark=60):
    f = TestForm.objects.create(title=title, kind=kind, pass_mark=pass_mark)
    for i, v in enumerate(versions):
        f.form_questions.create(question=v.question, order=i)
    return f


def session(title, unit_obj, trainer, pre_form, post_form, day):
    return TrainingSession.objects.create(title=title, unit=unit_obj, trainer=trainer, pre_form=pre_form,
                                          post_form=post_form, date=day, time_limit=pre_form.time_limit,
                                          pass_mark=post_form.pass_mark)


def participant(session_obj, name):
    return Participant.objects.create(session=session_obj, name=name, device=uuid.uuid4().hex,
                                      consent_at=timezone.now())


def record_attempt(form_obj, kind, versions, chosen, *, session_obj=None, participant_obj=None, user_obj=None,
                   unit_obj=None, submitted_at=None):
    """Store one graded attempt: ``chosen`` is the option key picked per version ("" = blank)."""
    right = [c == v.correct for v, c in zip(versions, chosen, strict=True)]
    score, max_score = sum(right), len(versions)
    when = submitted_at or timezone.now()
    attempt = Attempt.objects.create(
        session=session_obj, form=form_obj, kind=kind, unit=unit_obj or (session_obj.unit if session_obj else None),
        participant=participant_obj, user=user_obj, idempotency_key=uuid.uuid4().hex, answers_digest="",
        score=score, max_score=max_score, pass_mark=form_obj.pass_mark,
        passed=100 * score >= form_obj.pass_mark * max_score, submitted_at=when)
    Answer.objects.bulk_create([
        Answer(attempt=attempt, question_id=v.question_id, version=v, position=i + 1, chosen=c, correct=ok)
        for i, (v, c, ok) in enumerate(zip(versions, chosen, right, strict=True))])
    sections = {}
    for v, ok in zip(versions, right, strict=True):
        key = (v.section, v.chapter_id)
        s = sections.setdefault(key, [0, 0])
        s[0] += ok
        s[1] += 1
    SubScore.objects.bulk_create([SubScore(attempt=attempt, section=sec, chapter_id=ch, score=s, max_score=m)
                                  for (sec, ch), s_m in sections.items() for s, m in [s_m]])
    return attempt


def chosen_for(versions, n_right, rng=None, wrong="b"):
    """Answers with the first ``n_right`` questions right (or ``n_right`` random ones)."""
    idx = list(range(len(versions)))
    if rng:
        rng.shuffle(idx)
    right = set(idx[:n_right])
    out = []
    for i, v in enumerate(versions):
        if i in right:
            out.append(v.correct)
        elif rng:
            out.append(rng.choice([k for k in OPTION_KEYS if k != v.correct] + [""]))
        else:
            out.append(wrong if v.correct != wrong else "c")
    return out


def demo(provinces=6, sessions_per_province=3, people=(18, 35), seed=2569, today=None):
    """Sample trainings for looking at the dashboards: units, a trainer each, a bank of
    14 questions, sessions over the current fiscal year with pre-tests and post-tests
    (scores drawn so most people improve), and some staff tests."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    names = [("เชียงใหม่", "ภาคเหนือ"), ("ขอนแก่น", "ภาคตะวันออกเฉียงเหนือ"), ("สงขลา", "ภาคใต้"),
             ("นครราชสีมา", "ภาคตะวันออกเฉียงเหนือ"), ("ชลบุรี", "ภาคตะวันออก"), ("พิษณุโลก", "ภาคเหนือ"),
             ("สุราษฎร์ธานี", "ภาคใต้"), ("อุบลราชธานี", "ภาคตะวันออกเฉียงเหนือ")][:provinces]
    tag = f"demo{seed}"
    versions = question_bank(tag, per_chapter=2)
    pre_f = form("แบบทดสอบก่อนอบรม ระเบียบฯ อพม. (ตัวอย่าง)", PRE, versions)
    post_f = form("แบบทดสอบหลังอบรม ระเบียบฯ อพม. (ตัวอย่าง)", POST, versions)
    staff_f = form("แบบทดสอบความรู้เจ้าหน้าที่ (ตัวอย่าง)", STAFF, versions, pass_mark=70)
    first_names = ["สมชาย", "สมหญิง", "วันเพ็ญ", "ประเสริฐ", "บุญมี", "ทองใบ", "มาลี", "สุนทร", "จันทร์เพ็ญ", "อำไพ",
                   "ศรีสุดา", "ณัฐพล", "กิ่งแก้ว", "ปิยะ", "ละเอียด", "ไพรวัลย์", "ชูศักดิ์", "เยาวลักษณ์"]
    last_names = ["ใจดี", "รักษ์ไทย", "มั่นคง", "ศรีสุข", "พัฒนากุล", "บุญเรือง", "ทองดี", "แก้วมณี", "สุขสวัสดิ์"]
    created = []
    for pi, (province, region) in enumerate(names):
        u = unit(f"{tag}-p{pi}", f"สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด{province}", province, region)
        trainer = user(f"{tag}-trainer{pi}", [u], first_name="ผู้จัด", last_name=province)
        skill = rng.uniform(-1.5, 1.5)
        for si in range(sessions_per_province):
            day = today - timedelta(days=rng.randint(3, 300))
            s = session(f"อบรมทบทวนความรู้ระเบียบฯ อพม. รุ่นที่ {si + 1}", u, trainer, pre_f, post_f, day)
            created.append(s)
            for _ in range(rng.randint(*people)):
                p = participant(s, f"{rng.choice(first_names)} {rng.choice(last_names)}")
                at = timezone.make_aware(datetime.combine(day, time(9, rng.randint(0, 59))))
                pre_right = max(0, min(len(versions), round(rng.gauss(7 + skill, 2.2))))
                record_attempt(pre_f, PRE, versions, chosen_for(versions, pre_right, rng), session_obj=s,
                               participant_obj=p, submitted_at=at)
                if rng.random() < 0.93:
                    post_right = max(0, min(len(versions), pre_right + round(rng.gauss(3 + skill / 2, 2))))
                    record_attempt(post_f, POST, versions, chosen_for(versions, post_right, rng), session_obj=s,
                                   participant_obj=p, submitted_at=at + timedelta(hours=6))
        for k in range(rng.randint(2, 6)):
            staff = user(f"{tag}-staff{pi}-{k}", [u], role=Membership.STAFF)
            n_right = max(0, min(len(versions), round(rng.gauss(10 + skill, 2))))
            record_attempt(staff_f, STAFF, versions, chosen_for(versions, n_right, rng), user_obj=staff, unit_obj=u,
                           submitted_at=timezone.now() - timedelta(days=rng.randint(1, 200)))
    return created
