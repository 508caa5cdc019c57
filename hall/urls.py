from django.urls import path

from hall.views import actions, bind, visit

app_name = "hall"
V = "visit/<uuid:visit_id>/"
urlpatterns = [
    path("", visit.workspace, name="workspace"),
    path(V, visit.visit, name="visit"),
    path(V + "documents/", visit.documents, name="documents"),
    path(V + "relative/", visit.companion, name="companion"),
    path(V + "end/", visit.end, name="end"),
    path(V + "bind/", bind.bind, name="bind"),
    path(V + "bind/letter/", bind.bind_letter, name="bind_letter"),
    path(V + "bind/sign/", bind.bind_sign, name="bind_sign"),
    path(V + "bind/sign/spouse/", bind.bind_sign_spouse, name="bind_sign_spouse"),
    path(V + "bind/check/", bind.bind_check, name="bind_check"),
    path(V + "bind/scan/", bind.bind_scan, name="bind_scan"),
    path(V + "bindings/<uuid:binding_id>/receipt/", bind.receipt, name="receipt"),
    path(V + "bindings/<uuid:binding_id>/consent/", actions.consent, name="consent"),
    path(V + "bindings/<uuid:binding_id>/end/", actions.unbind, name="unbind"),
    path(V + "family/<uuid:membership_id>/", actions.family_answer, name="family_answer"),
    path(V + "family/add-child/", actions.family_add_minor, name="family_add_minor"),
    path(V + "print/records/", actions.print_records, name="print_records"),
    path(V + "print/spending/", actions.print_spending, name="print_spending"),
]
