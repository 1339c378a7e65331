"""What the trainer puts on the projector after a test closes: each question with the
share of the room that chose each option (the right one marked), the hardest first, so
the mistakes can be taught on the spot; and after the post-test, the people who gained
most (recognition of progress, not of speed)."""
from django.db.models import Count

from .grading import lettered_options, versions_by_id
from .models import POST, PRE, Answer, Question

MOST_IMPROVED = 3


def question_shares(session, kind) -> list[dict]:
    """Per question of the session's `kind` test, hardest first: number, text, how many
    answered, the share right, and each option with its count and share."""
    counts = {}
    for row in (Answer.objects.filter(attempt__session=session, attempt__kind=kind)
                .values("version_id", "position", "chosen").annotate(n=Count("id")).order_by()):
        entry = counts.setdefault(row["version_id"], {"number": row["position"], "chosen": {}})
        entry["number"] = min(entry["number"], row["position"])
        entry["chosen"][row["chosen"]] = entry["chosen"].get(row["chosen"], 0) + row["n"]
    versions = versions_by_id(list(counts))
    out = []
    for vid, entry in counts.items():
        v = versions[vid]
        total = sum(entry["chosen"].values())
        options = [{**o, "count": entry["chosen"].get(o["key"], 0), "right": o["key"] == v.correct}
                   for o in lettered_options(v)]
        blank = entry["chosen"].get("", 0)
        for o in options:
            o["share"] = round(100 * o["count"] / total) if total else 0
        right = next((o["count"] for o in options if o["right"]), 0)
        out.append({"number": entry["number"], "text": v.text, "answered": total, "options": options,
                    "blank": blank, "blank_share": round(100 * blank / total) if total else 0,
                    "right_share": round(100 * right / total) if total else 0,
                    "true_false": v.kind == Question.TRUE_FALSE})
    out.sort(key=lambda q: (q["right_share"], q["number"]))
    return out


def most_improved(session, limit=MOST_IMPROVED) -> list[dict]:
    """The people whose score rose most from the pre-test to the post-test (points of
    percentage), largest first; only those who improved."""
    pairs = {}
    for a in session.attempts.filter(kind__in=[PRE, POST], participant__merged_into=None).select_related("participant"):
        pairs.setdefault(a.participant_id, {"name": a.participant.name})[a.kind] = a.percent
    gains = [{"name": p["name"], "pre": p[PRE], "post": p[POST], "gain": p[POST] - p[PRE]}
             for p in pairs.values() if PRE in p and POST in p and p[POST] > p[PRE]]
    gains.sort(key=lambda g: (-g["gain"], -g["post"], g["name"]))
    return gains[:limit]
