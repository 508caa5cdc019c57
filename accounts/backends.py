from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.services import user_by_login


class IdOrMobileBackend(ModelBackend):
    """Citizens log in with their resident ID number or their mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = user_by_login(username)
        if user is None:
            # Same work as a real check, so timing does not tell who has an account.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        # Every citizen page reads request.user.person: one query for both instead of two.
        try:
            user = get_user_model()._default_manager.select_related("person").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
