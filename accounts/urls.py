from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/verify/", views.register_verify, name="register_verify"),
    path("code/resend/", views.resend_code, name="resend_code"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/verify/", views.password_reset_verify, name="password_reset_verify"),
    path("password/", views.password_change, name="password_change"),
    path("me/", views.my_insurance, name="my_insurance"),
]
