from django.db import connection
from django.utils.functional import SimpleLazyObject

from sharing.models import Binding

_COUNTS = f"""
SELECT (SELECT count(*) FROM notifications_notification WHERE recipient_id = %s AND read_at IS NULL),
       (SELECT count(*) FROM sharing_binding WHERE member_id = %s AND status = '{Binding.Status.AWAITING_CONSENT}'
          AND consent_deadline > now())
"""


def nav_counts(request):
    """Unread messages and waiting spouse requests for the navigation: one query, run only if a page shows them."""
    user = getattr(request, "user", None)
    person_id = getattr(user, "person_id", None) if user is not None and user.is_authenticated else None
    if person_id is None:
        return {}

    def counts():
        with connection.cursor() as cursor:
            cursor.execute(_COUNTS, [person_id, person_id])
            return cursor.fetchone()

    both = SimpleLazyObject(lambda: list(counts()))
    return {"nav_unread_count": lambda: both[0], "nav_consent_count": lambda: both[1]}
