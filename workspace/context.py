from django.utils.functional import SimpleLazyObject

from .access import in_workspace


def workspace(request):
    """IN_KM_WORKSPACE for the menu: the link shows only to people with a KM role (asked of
    the database only when a page shows the menu to a signed-in user)."""
    return {"IN_KM_WORKSPACE": SimpleLazyObject(lambda: in_workspace(request.user))}
