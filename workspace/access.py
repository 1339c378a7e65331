"""Who may do what in the workspace, from the user's memberships: a unit's KM team (km_editor)
writes and submits its unit's KMs; the unit's executive (km_review) approves or returns them;
the division's KM administrators (km_admin, in any unit) see every unit's KMs and pipeline but
approve nothing; a superuser may do everything. Nobody sees another unit's drafts otherwise."""
from accounts.models import Membership, Unit

from .models import Draft

KM_ROLES = (Membership.KM_EDITOR, Membership.KM_REVIEWER, Membership.KM_ADMIN)


def _units_with(user, *roles):
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def editor_units(user):
    return _units_with(user, Membership.KM_EDITOR)


def reviewer_units(user):
    return _units_with(user, Membership.KM_REVIEWER)


def is_km_admin(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or Membership.objects.filter(user=user, role=Membership.KM_ADMIN).exists())


def in_workspace(user) -> bool:
    """Has any KM role at all (else the workspace has nothing for them)."""
    return user.is_authenticated and (
        user.is_superuser or Membership.objects.filter(user=user, role__in=KM_ROLES).exists())


def visible_drafts(user):
    if is_km_admin(user):
        return Draft.objects.all()
    return Draft.objects.filter(unit__in=_units_with(user, Membership.KM_EDITOR, Membership.KM_REVIEWER))


def _has(user, draft, role) -> bool:
    return user.is_authenticated and (
        user.is_superuser or Membership.objects.filter(user=user, unit_id=draft.unit_id, role=role).exists())


def can_edit(user, draft) -> bool:
    return _has(user, draft, Membership.KM_EDITOR)


def can_review(user, draft) -> bool:
    return _has(user, draft, Membership.KM_REVIEWER)


def can_publish(user, draft) -> bool:
    """An approved KM goes public at the hand of its unit's team or executive."""
    return can_edit(user, draft) or can_review(user, draft)
