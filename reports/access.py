"""Who may read which results, following accounts: a trainer sees the units they belong
to (and the units under them); the KM team (Django staff), superusers and members of a
national unit see everything. Aggregates without names (the national dashboard) are open
to anyone who belongs to a unit."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.models import Membership, Unit


def can_see_all(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(user=user, unit__kind=Unit.NATIONAL).exists()


def can_see_dashboard(user) -> bool:
    return user.is_authenticated and (can_see_all(user) or Membership.objects.filter(user=user).exists())


def visible_unit_ids(user):
    """None when the user sees every unit, else the set of unit ids they may read."""
    if can_see_all(user):
        return None
    if not user.is_authenticated:
        return set()
    own = list(Unit.objects.filter(memberships__user=user).distinct().values_list("id", "kind", "region"))
    ids = {i for i, _, _ in own}
    regions = {r for _, kind, r in own if kind == Unit.REGION and r}
    if regions:
        ids |= set(Unit.objects.filter(region__in=regions).values_list("id", flat=True))
    frontier = set(ids)
    while frontier:  # every unit under the user's units
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        ids |= frontier
    return ids


def can_see_unit(user, unit_id) -> bool:
    ids = visible_unit_ids(user)
    return ids is None or unit_id in ids


def can_see_province(user, province) -> bool:
    return province_unit_ids(user, province) != set()


def province_unit_ids(user, province):
    """The units of a (stored) province the user may read: None when they may read every
    unit, else a set, empty when they may read none of them. A province report covers
    these units only, never another unit that happens to share the province."""
    ids = visible_unit_ids(user)
    if ids is None:
        return None
    return set(Unit.objects.filter(id__in=ids, province=province).values_list("id", flat=True))



def require(check):
    """View decorator: log in first, then ``check(user)`` or 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied("ไม่มีสิทธิ์ดูรายงานนี้")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
