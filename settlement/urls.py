from django.urls import path, re_path

from settlement import api

app_name = "api"
urlpatterns = [
    path("openapi.json", api.openapi, name="openapi"),
    path("patients/<str:mdtrt_cert_no>", api.patient_detail, name="patient"),
    path("settlements", api.settlement_create, name="settlements"),
    path("settlements/<uuid:settlement_id>/refunds", api.refund_create, name="refunds"),
    re_path(r"^.*$", api.not_found),
]
