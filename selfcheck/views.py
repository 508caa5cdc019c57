"""The self-check pages. The check itself changes nothing; it is a POST only to keep ID numbers out of URLs."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from audit.refusals import refusal_log
from core.decorators import citizen_required, post_only
from family import reasons as family_reasons
from registry.policy import policies_in_force
from selfcheck import diagnosis
from selfcheck.forms import SelfCheckForm
from selfcheck.payments import SAMPLE_BILL
from sharing import reasons

# The general explanation, in the order a citizen meets the problems (the article's four first).
GENERAL_GROUPS = [
    ("article", ["RELATION_NOT_ALLOWED", "MEMBER_NOT_ENROLLED", "FAMILY_ACCOUNT_ONLY", "SHARED_BALANCE_ZERO",
                 "CROSS_REGION_NOT_ALLOWED", "CROSS_PROVINCE_NOT_ALLOWED"]),
    ("binding", ["AUTHORIZER_NOT_EMPLOYEE", "AUTHORIZER_NOT_ENROLLED", "MEMBER_IDENTITY_MISMATCH", "SELF_BINDING",
                 "ALREADY_BOUND", "SECOND_SPOUSE", "RELATION_IMPLAUSIBLE", "OUTSIDE_VALIDITY"]),
    ("consent", ["SPOUSE_CONSENT_PENDING", "SPOUSE_REFUSED", "CONSENT_EXPIRED"]),
    ("paying", ["NOT_BOUND", "BINDING_SUSPENDED", "SHARED_BALANCE_BELOW_FLOOR", "SHARED_CAP_REACHED",
                "SINGLE_AUTHORIZER", "QUOTA_EXHAUSTED"]),
]


# Answers to a click that raced another change, and refusals of the quota and premium pages: not situations of
# family sharing a citizen can be in.
NOT_SITUATIONS = {"BINDING_STATE_CHANGED", "UNBOUND", "QUOTA_NOT_USED", "QUOTA_OVER_BALANCE", "QUOTA_REDUCE_OVER_LEFT",
                  "QUOTA_AMOUNT_NOT_POSITIVE", "QUOTA_BINDING_NOT_ACTIVE", "PREMIUM_NOT_ALLOWED", "PREMIUM_ALREADY_PAID",
                  "PREMIUM_PAID_BY_OTHER", "PREMIUM_PAST_DUE", "PREMIUM_BALANCE_TOO_LOW"}


def _generic(reason):
    """The reason with its placeholders in general words: the anonymous page has no personal data."""
    return reason.with_detail(
        region=_("your pooling region"), policy=_("the policy in force"),
        allowed=_("parent, spouse or child (more relatives under some provinces' policies)"),
        authorizer_region=_("one city"), member_region=_("another city"), province=_("the province"),
        authorizer_province=_("one province"), member_province=_("another province"), valid_from="…",
        valid_until="…", days="N", floor="…", cap="…", status="…")


def _general_context() -> dict:
    groups = [(key, [_generic(reasons.ALL[code]) for code in codes if code in reasons.ALL])
              for key, codes in GENERAL_GROUPS]
    listed = {code for _key, codes in GENERAL_GROUPS for code in codes} | NOT_SITUATIONS
    rest = [_generic(r) for code, r in reasons.ALL.items() if code not in listed]
    if rest:
        groups.append(("other", rest))
    return {"groups": groups, "policies": policies_in_force(),
            "code_reasons": [family_reasons.CODE_EXPIRED, family_reasons.CODE_USED]}


@require_GET
def start(request):
    """Anonymous visitors get the rules in general; a logged-in citizen gets the form for their own situation."""
    user = request.user
    if user.is_authenticated and getattr(user, "is_citizen", False):
        form = SelfCheckForm(initial={"situation": request.GET.get("situation") or diagnosis.MEMBER_CANNOT_USE},
                             circle=diagnosis.family_circle(user.person))
        return render(request, "selfcheck/start.html", {"form": form, **_general_context()})
    return render(request, "selfcheck/general.html", _general_context())


@sensitive_post_parameters("certno", "name")
@citizen_required
@post_only("selfcheck:start")
def check(request):
    person = request.user.person
    circle = diagnosis.family_circle(person)
    form = SelfCheckForm(request.POST, circle=circle, user=request.user)
    if not form.is_valid():
        return render(request, "selfcheck/start.html", {"form": form, **_general_context()})
    result = diagnosis.diagnose(me=person, situation=form.cleaned_data["situation"], other=form.cleaned_data["other"],
                                relation=form.cleaned_data.get("relation") or None,
                                amount=form.cleaned_data.get("amount") or SAMPLE_BILL, circle=circle)
    refusal_log(result.findings, channel="selfcheck", region=person.region_id)
    return render(request, "selfcheck/result.html", {"form": form, "result": result})
