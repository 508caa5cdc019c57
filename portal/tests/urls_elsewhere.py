"""A second URLconf for portal/tests/test_template_shortcuts.py: the same name at another path."""

from django.http import HttpResponse
from django.urls import include, path

money = ([path("spending/", lambda request: HttpResponse(), name="spending")], "money")
urlpatterns = [path("elsewhere/", include(money))]
