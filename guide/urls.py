from django.urls import path

from guide import views

app_name = "guide"
urlpatterns = [
    path("", views.index, name="index"),
    # Named so other pages can link to the pages they relate to.
    path("family-account-vs-sharing/", views.page, {"slug": "family-account-vs-sharing"}, name="family_vs_sharing"),
    path("how-to-bind/", views.page, {"slug": "how-to-bind"}, name="how_to_bind"),
    path("card-cannot-be-shared/", views.page, {"slug": "card-cannot-be-shared"}, name="card"),
    path("<slug:slug>/", views.page, name="page"),
]
