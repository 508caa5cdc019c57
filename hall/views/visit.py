"""The workspace: open a visit for the citizen at the counter, see their overview, record documents, identify a
relative present, end the visit. Every hall page is `no-store`: nothing of a citizen stays on a shared PC."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import hall_staff_required
from core.reasons import Refused
from hall import selectors, services
from hall.forms import CompanionForm, DocumentsForm, FindCitizenForm


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def workspace(request):
    """Staff find the citizen standing at the counter by ID number (a POST: ID numbers never go into URLs, logs or
    history), within the hall's province, with the ID card checked in person; every lookup is audited."""
    current = selectors.open_visit_for(request.user)
    form = FindCitizenForm(request.POST if request.method == "POST" else None)
    refusal = None
    if request.method == "POST" and current is None and form.is_valid():
        try:
            visit = services.visit_open(staff=request.user, certno=form.cleaned_data["certno"],
                                        documents=form.cleaned_data["documents"])
        except Refused as refused:
            refusal = refused.reason
        else:
            return redirect("hall:visit", visit_id=visit.pk)
    return render(request, "hall/workspace.html", {"form": form, "hall": request.user.hall, "current": current,
                                                   "refusal": refusal})


def _page(request, visit, template, **context):
    return render(request, template, {"visit": visit, **context})


@hall_staff_required
@require_GET
@never_cache
def visit(request, visit_id):
    visit = selectors.visit_get_for_user(request.user, visit_id)
    return _page(request, visit, "hall/visit.html", documents_form=DocumentsForm(initial={
        "documents": visit.documents}), **selectors.visit_overview(visit))


@hall_staff_required
@require_POST
@never_cache
def documents(request, visit_id):
    visit = selectors.visit_get_for_user(request.user, visit_id)
    form = DocumentsForm(request.POST)
    if form.is_valid():
        services.visit_record_documents(visit=visit, documents=form.cleaned_data["documents"])
        messages.success(request, _("The documents checked are recorded with the visit."))
    return redirect("hall:visit", visit_id=visit.pk)


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def companion(request, visit_id):
    visit = selectors.visit_get_for_user(request.user, visit_id)
    form = CompanionForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_identify_companion(visit=visit, certno=form.cleaned_data["certno"],
                                              documents=form.cleaned_data["documents"])
        except Refused as refused:
            refusal = refused.reason
        else:
            messages.success(request, _("The relative present is identified in this visit."))
            return redirect("hall:visit", visit_id=visit.pk)
    return _page(request, visit, "hall/companion.html", form=form, refusal=refusal)


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def end(request, visit_id):
    visit = selectors.visit_get_for_user(request.user, visit_id)
    if request.method == "POST":
        services.visit_end(visit=visit)
        request.session.pop(f"hall_bind_{visit.pk}", None)
        messages.success(request, _("The visit has ended and the citizen has been sent a summary."))
        return redirect("hall:workspace")
    return _page(request, visit, "hall/end.html")
