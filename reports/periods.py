"""Spans of training dates that the reports filter by: all time, a Thai government fiscal
year, or one quarter of it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    """A span of training dates, inclusive. ``fiscal`` makes one from a Thai government fiscal
    year in the Buddhist Era (ปีงบประมาณ 2569 = 1 Oct 2025 – 30 Sep 2026)."""

    start: date | None = None
    end: date | None = None
    label: str = "ทุกช่วงเวลา"

    @classmethod
    def fiscal(cls, be_year: int | None, quarter: int | None = None):
        if not be_year:
            return cls()
        ce = be_year - 543
        start, end = date(ce - 1, 10, 1), date(ce, 9, 30)
        label = f"ปีงบประมาณ {be_year}"
        if quarter in (1, 2, 3, 4):
            y, m = [(ce - 1, 10), (ce, 1), (ce, 4), (ce, 7)][quarter - 1]
            start = date(y, m, 1)
            end = date(y + (m + 3 > 12), (m + 3 - 1) % 12 + 1, 1) - timedelta(days=1)
            label += f" ไตรมาส {quarter}"
        return cls(start, end, label)

    def sessions(self, qs):
        if self.start:
            qs = qs.filter(date__gte=self.start)
        if self.end:
            qs = qs.filter(date__lte=self.end)
        return qs

    def attempts(self, qs):
        tz = timezone.get_current_timezone()
        if self.start:
            qs = qs.filter(submitted_at__gte=datetime.combine(self.start, time.min, tz))
        if self.end:
            qs = qs.filter(submitted_at__lt=datetime.combine(self.end + timedelta(days=1), time.min, tz))
        return qs

    @property
    def params(self):
        return {"start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None, "label": self.label}

    @classmethod
    def from_params(cls, p):
        return cls(date.fromisoformat(p["start"]) if p.get("start") else None,
                   date.fromisoformat(p["end"]) if p.get("end") else None, p.get("label", "ทุกช่วงเวลา"))


ALL_TIME = Period()


def fiscal_year_of(d: date) -> int:
    """The Buddhist-Era fiscal year a date falls in."""
    return d.year + 543 + (1 if d.month >= 10 else 0)
