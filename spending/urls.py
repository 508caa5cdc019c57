from django.urls import path

from spending import views

app_name = "money"
urlpatterns = [
    path("spending/", views.spending, name="spending"),
    path("spending.csv", views.spending_csv, name="spending_csv"),
    path("paid-for-me/", views.paid_for_me, name="paid_for_me"),
]
