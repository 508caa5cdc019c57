from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.services import user_by_login
from accounts.sessions import read_with_the_session
from accounts.users import user_with_person

__all__ = ["IdOrMobileBackend", "user_with_person"]


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
        # Every page reads the user, and every citizen page request.user.person: read with the session row when the
        # session names this user (accounts/sessions.py), else one plain statement for both.
        user = read_with_the_session(user_id) or user_with_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
