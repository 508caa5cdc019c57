"""Access by role (outsiders get 404: the areas of staff and officials are not even shown to exist), and
POST-only actions that answer a GET by going back to their page."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode


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
            if getattr(request.user, "must_change_password", False):
                # Someone else (an official) set this password: the holder chooses their own first.
                return redirect(f"{reverse('accounts:password_change')}?{urlencode({'next': request.path})}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


citizen_required = _role_required(lambda user: user.is_citizen, staff_page="citizens_only.html")
hall_staff_required = _role_required(lambda user: user.is_hall_staff)
official_required = _role_required(
    lambda user: user.is_active and user.is_staff and (user.is_superuser or user.role == "official"))


def post_only(back):
    """A view that only acts on POST. A GET (a bookmark, or the browser sent back here after logging in again)
    is redirected to `back` (a URL name, reversed with the view's arguments, or a function of the request and
    those arguments) instead of a bare 405; other methods still get 405."""
    def target(request, kwargs):
        if callable(back):
            return back(request, **kwargs)
        try:
            return reverse(back, kwargs=kwargs)
        except NoReverseMatch:  # the page to go back to takes none of this URL's arguments
            return reverse(back)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in ("GET", "HEAD"):
                return redirect(target(request, kwargs))
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
