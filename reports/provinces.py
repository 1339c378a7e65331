"""Province names as the reports show them: units without a province (the national and
regional offices) are grouped under one name, ส่วนกลาง."""

CENTRAL = "ส่วนกลาง"


def province_label(stored: str | None) -> str:
    """The name shown for a unit's stored province ("" or None → ส่วนกลาง)."""
    return stored or CENTRAL


def province_key(shown: str) -> str:
    """The stored province for a name shown in a report or a link (ส่วนกลาง → "")."""
    return "" if shown == CENTRAL else shown
