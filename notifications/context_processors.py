def nav_counts(request):
    """Unread messages and waiting spouse requests for the navigation, counted only if a page shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "person_id", None):
        return {}

    def unread():
        from notifications.services import unread_count

        return unread_count(user.person)

    def consents():
        from sharing.selectors import inbox_count

        return inbox_count(user.person)

    return {"nav_unread_count": unread, "nav_consent_count": consents}
