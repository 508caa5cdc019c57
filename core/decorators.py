"""Access by role. Outsiders get 404: the areas of staff and officials are not even shown to exist."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render


def _role_required(check, *, staff_page: str | None = None):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                if staff_page and getattr(request.user, "is_hall_staff", False):
                    # Hall staff act for citizens only in the hall workspace: tell them so, not a bare 404.
                    return render(request, staff_page, status=403)
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


citizen_required = _role_required(lambda user: user.is_citizen, staff_page="citizens_only.html")
hall_staff_required = _role_required(lambda user: user.is_hall_staff)
