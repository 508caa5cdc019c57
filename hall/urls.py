from django.urls import path

from hall import views

app_name = "hall"
urlpatterns = [path("", views.workspace, name="workspace")]
