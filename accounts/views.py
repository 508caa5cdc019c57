from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts import reasons
from accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetStartForm,
    PasswordResetVerifyForm,
    RegistrationForm,
    VerifyRegistrationForm,
)
from accounts.otp import otp_send
from accounts.selectors import my_insurance_summary
from accounts.services import (
    password_change_complete,
    password_reset_complete,
    registration_complete,
    registration_sends_code,
    user_by_login,
)
from accounts.throttle import login_address_blocked
from core.client_ip import client_ip
from core.decorators import citizen_required, post_only
from core.reasons import Refused
from registry.models import InsuredPerson

REGISTER_KEY = "registration"
RESET_KEY = "password_reset"


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST if request.method == "POST" else None, client_address=client_ip(request))
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"]
        # Another number than the registered one gets the same answer and the same work, but no SMS.
        deliver = registration_sends_code(person=form.person, mobile=mobile)
        try:
            otp_send(mobile=mobile, purpose="register", deliver=deliver)
        except Refused as refused:
            form.add_error("mobile", refused.reason.as_validation_error())
        else:
            request.session[REGISTER_KEY] = {"person": str(form.person.pk), "mobile": mobile, "deliver": deliver}
            return redirect("accounts:register_verify")
    return render(request, "accounts/register.html", {"form": form})


@sensitive_post_parameters("password1", "password2", "code")
@require_http_methods(["GET", "POST"])
def register_verify(request):
    pending = request.session.get(REGISTER_KEY)
    person = InsuredPerson.objects.filter(pk=pending["person"]).first() if pending else None
    if person is None:
        messages.error(request, reasons.SESSION_EXPIRED.text())
        return redirect("accounts:register")
    form = VerifyRegistrationForm(request.POST if request.method == "POST" else None)
    form.user_for_similarity = _SimilarityProxy(person.certno, person.name)
    if request.method == "POST" and form.is_valid():
        try:
            user = registration_complete(person=person, mobile=pending["mobile"], code=form.cleaned_data["code"],
                                         password=form.cleaned_data["password1"])
        except Refused as refused:
            form.add_error("code", refused.reason.as_validation_error())
        else:
            del request.session[REGISTER_KEY]
            login(request, user, backend="accounts.backends.IdOrMobileBackend")
            messages.success(request, _("Welcome, %(name)s. Your web account is ready.") % {"name": person.name})
            return redirect("accounts:my_insurance")
    return render(request, "accounts/register_verify.html", {"form": form, "mobile": _mask_mobile(pending["mobile"])})


def _code_form(request):
    """Where a GET of the resend URL goes: the code form of the flow under way."""
    if request.session.get(REGISTER_KEY):
        return reverse("accounts:register_verify")
    if request.session.get(RESET_KEY):
        return reverse("accounts:password_reset_verify")
    return reverse("accounts:login")


@post_only(_code_form)
def resend_code(request):
    """Resend for whichever flow is under way; the same throttle applies."""
    flow = request.POST.get("flow")
    pending = request.session.get(REGISTER_KEY if flow == "register" else RESET_KEY)
    if not pending:
        return redirect("accounts:register" if flow == "register" else "accounts:password_reset")
    try:
        otp_send(mobile=pending["mobile"], purpose="register" if flow == "register" else "reset",
                 deliver=bool(pending["mobile"]) and pending.get("deliver", flow != "register"))
    except Refused as refused:
        messages.error(request, refused.reason.text())
    else:
        messages.success(request, _("A new code has been sent."))
    return redirect("accounts:register_verify" if flow == "register" else "accounts:password_reset_verify")


@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = PasswordResetStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = user_by_login(form.cleaned_data["identifier"])
        mobile = user.mobile if user and user.is_citizen else ""
        try:
            # Unknown accounts get the same answer, so this page cannot be used to find who is registered.
            otp_send(mobile=mobile or f"none:{form.cleaned_data['identifier'][:20]}", purpose="reset", deliver=bool(mobile))
        except Refused as refused:
            form.add_error("identifier", refused.reason.as_validation_error())
        else:
            request.session[RESET_KEY] = {"user": user.pk if mobile else None, "mobile": mobile}
            return redirect("accounts:password_reset_verify")
    return render(request, "accounts/password_reset.html", {"form": form})


@sensitive_post_parameters("password1", "password2", "code")
@require_http_methods(["GET", "POST"])
def password_reset_verify(request):
    pending = request.session.get(RESET_KEY)
    if pending is None:
        messages.error(request, reasons.SESSION_EXPIRED.text())
        return redirect("accounts:password_reset")
    from accounts.models import User

    user = User.objects.filter(pk=pending["user"]).first() if pending["user"] else None
    form = PasswordResetVerifyForm(request.POST if request.method == "POST" else None)
    form.user_for_similarity = user
    if request.method == "POST" and form.is_valid():
        try:
            if user is None:
                raise Refused(reasons.OTP_WRONG)
            password_reset_complete(user=user, code=form.cleaned_data["code"], password=form.cleaned_data["password1"])
        except Refused as refused:
            form.add_error("code", refused.reason.as_validation_error())
        else:
            del request.session[RESET_KEY]
            messages.success(request, _("Your password has been changed. Please log in with the new password."))
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_verify.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Password spraying: one address trying many accounts is stopped before any password is checked.
        if login_address_blocked(request):
            return render(request, "accounts/login.html",
                          {"form": LoginForm(request), "locked": reasons.LOGIN_ADDRESS_THROTTLED}, status=429)
        return super().post(request, *args, **kwargs)

    def get_default_redirect_url(self):
        """Each role lands in its own area."""
        user = self.request.user
        if user.is_hall_staff:
            return reverse("hall:workspace")
        if user.is_staff:
            return reverse("admin:index")
        return reverse("accounts:my_insurance")


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a (username, IP) pair is throttled; the lock lifts by itself."""
    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "locked": reasons.LOGIN_THROTTLED}, status=429)


@citizen_required
@require_GET
def my_insurance(request):
    return render(request, "accounts/my_insurance.html", my_insurance_summary(request.user.person))


class _SimilarityProxy:
    """Lets the password validator refuse passwords resembling the ID number or name before the user exists."""

    def __init__(self, certno, name):
        self.username, self.first_name = certno, name


def _mask_mobile(mobile: str) -> str:
    return mobile[:3] + "****" + mobile[-4:] if len(mobile) == 11 else mobile


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Where an account whose password someone else set (an official) must choose its own before going on."""
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        password_change_complete(user=request.user, form=form)
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect(request.GET.get("next") if url_has_allowed_host_and_scheme(
            request.GET.get("next"), allowed_hosts={request.get_host()}) else "/")
    return render(request, "accounts/password_change.html", {"form": form})


class LogoutView(auth_views.LogoutView):
    """Logging out is a POST (a link cannot log anyone out); a GET goes to the home page instead of a 405."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return redirect("home")
