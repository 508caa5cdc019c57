from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.selectors import my_insurance_summary
from audit.refusals import refusal_log
from audit.services import audit_record
from core.decorators import hall_staff_required
from hall.forms import FindCitizenForm
from registry.models import InsuredPerson


@hall_staff_required
@require_http_methods(["GET", "POST"])
def workspace(request):
    """Staff find the citizen standing at the counter by ID number.

    Only citizens insured in the hall's own province are shown, and every lookup is audited: staff see
    balances and ledger entries, which nobody may browse without a citizen at the counter. The search is a
    POST so that ID numbers never end up in URLs, access logs or browser history.
    """
    hall = request.user.hall
    form = FindCitizenForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "hall": hall, "searched": False}
    if request.method == "POST" and form.is_valid():
        certno = form.cleaned_data["certno"]
        person = InsuredPerson.objects.filter(certno=certno).select_related("region").first()
        in_scope = person is not None and person.region.province_id == hall.region.province_id
        audit_record(actor=request.user, subject=("registry.insuredperson", person.pk if person else certno[-4:]),
                     region=person.region_id if person else None,
                     event="hall.lookup" if in_scope else "hall.lookup_refused", hall=hall, channel="hall")
        refusal_log([] if in_scope else ["HALL_PERSON_NOT_FOUND" if person is None else "HALL_OUTSIDE_PROVINCE"],
                    channel="hall", region=hall.region_id)
        context.update(searched=True, summary=my_insurance_summary(person) if in_scope else None,
                       outside=person is not None and not in_scope)
    return render(request, "hall/workspace.html", context)
