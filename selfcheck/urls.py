from django.urls import path

from selfcheck import views

app_name = "selfcheck"
urlpatterns = [
    path("", views.start, name="start"),
    path("check/", views.check, name="check"),
]
