from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from core.decorators import post_only
from core.middleware import ELDER_COOKIE
from ledger.models import PersonalAccount
from sharing.selectors import active_bindings_for_member, live_bindings_for_authorizer


@require_GET
def home(request):
    """Anonymous visitors get the portal's introduction; a logged-in citizen also sees their own situation."""
    user = request.user
    context = {}
    if user.is_authenticated and getattr(user, "is_citizen", False):
        person = user.person
        context["situation"] = {
            "account": PersonalAccount.objects.filter(person=person).first(),
            "sharing_with": list(live_bindings_for_authorizer(person).select_related("member").order_by("created_at")),
            "shared_by": list(active_bindings_for_member(person)),
        }
    return render(request, "portal/home.html", context)


@post_only("home")
def elder_mode(request):
    """Toggle elder mode and go back where the user was."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    # Back to the same page with focus on the toggle (static/js/portal.js focuses #elder-toggle).
    response = redirect(target.split("#", 1)[0] + "#elder-toggle")
    turn_on = request.POST.get("elder") == "1"
    response.set_cookie(
        ELDER_COOKIE, "1" if turn_on else "0", max_age=365 * 24 * 3600, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE, httponly=True,
    )
    return response


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that may touch the database: the database may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({"request": None}))
