from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import hall_staff_required
from accounts.selectors import my_insurance_summary
from hall.forms import FindCitizenForm
from registry.models import InsuredPerson


@hall_staff_required
@require_GET
def workspace(request):
    """Staff find the citizen standing at the counter by ID number."""
    form = FindCitizenForm(request.GET or None)
    context = {"form": form, "hall": request.user.hall, "searched": False}
    if request.GET and form.is_valid():
        person = InsuredPerson.objects.filter(certno=form.cleaned_data["certno"]).first()
        context.update(searched=True, summary=my_insurance_summary(person) if person else None)
    return render(request, "hall/workspace.html", context)
