from django.urls import path

from family import views

app_name = "family"
urlpatterns = [
    path("", views.home, name="home"),
    path("add/", views.add, name="add"),
    path("code/", views.own_code, name="own_code"),
    path("code/fragment/", views.own_code_fragment, name="own_code_fragment"),
    path("members/<uuid:membership_id>/code/", views.code, name="code"),
    path("members/<uuid:membership_id>/code/fragment/", views.code_fragment, name="code_fragment"),
    path("members/<uuid:membership_id>/remove/", views.remove, name="remove"),
    path("members/<uuid:membership_id>/withdraw/", views.withdraw, name="withdraw"),
    path("requests/<uuid:membership_id>/", views.request_detail, name="request"),
    path("requests/<uuid:membership_id>/agree/", views.request_agree, name="request_agree"),
    path("requests/<uuid:membership_id>/refuse/", views.request_refuse, name="request_refuse"),
]
