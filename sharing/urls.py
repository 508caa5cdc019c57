from django.urls import path

from sharing.views import consent, payment_order, premiums, quotas, records, wizard

app_name = "sharing"
urlpatterns = [
    path("", records.records, name="records"),
    path("bind/", wizard.bind_start, name="bind_start"),
    path("bind/relationship/", wizard.bind_relation, name="bind_relation"),
    path("bind/member/", wizard.bind_member, name="bind_member"),
    path("bind/dates/", wizard.bind_dates, name="bind_dates"),
    path("bind/letter/", wizard.bind_letter, name="bind_letter"),
    path("bind/sign/", wizard.bind_sign, name="bind_sign"),
    path("bind/check/", wizard.bind_check, name="bind_check"),
    path("bind/done/<uuid:binding_id>/", wizard.bind_done, name="bind_done"),
    path("bind/another/", wizard.bind_add_another, name="bind_add_another"),
    path("bind/remove/<int:index>/", wizard.bind_remove_other, name="bind_remove_other"),
    path("bind/results/", wizard.bind_results, name="bind_results"),
    path("my-authorizers/", records.my_authorizers, name="my_authorizers"),
    path("my-authorizers/<uuid:binding_id>/move/", payment_order.move, name="payment_order_move"),
    path("my-authorizers/<uuid:binding_id>/end/", records.end_as_member, name="end_as_member"),
    path("premiums/", premiums.premiums, name="premiums"),
    path("premiums/<int:due_id>/", premiums.premium_confirm, name="premium_confirm"),
    path("premiums/receipt/<uuid:payment_id>/", premiums.premium_receipt, name="premium_receipt"),
    path("consent/", consent.inbox, name="consent_inbox"),
    path("consent/<uuid:binding_id>/", consent.consent_answer, name="consent_answer"),
    path("consent/<uuid:binding_id>/confirm/", consent.consent_confirm, name="consent_confirm"),
    path("<uuid:binding_id>/", records.binding_detail, name="binding_detail"),
    path("<uuid:binding_id>/signature/", records.signature_image, name="signature_image"),
    path("<uuid:binding_id>/unbind/", records.unbind, name="unbind"),
    path("<uuid:binding_id>/withdraw/", records.withdraw, name="withdraw"),
    path("<uuid:binding_id>/quota/", quotas.quota, name="quota"),
]
