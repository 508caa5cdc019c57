from django.urls import path

from officials import views

app_name = "officials"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("<slug:key>.csv", views.statistics_csv, name="statistics_csv"),
]
