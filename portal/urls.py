from django.contrib import admin
from django.urls import include, path

from core import health
from portal import views

admin.site.site_header = "共济通 · 管理"
admin.site.site_title = "共济通"

urlpatterns = [
    # Tried in order: the probes and the institutions' API first (most requests), then the pages.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include("settlement.urls")),
    path("", views.home, name="home"),
    path("elder-mode/", views.elder_mode, name="elder_mode"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("hall/", include("hall.urls")),
    path("family/", include("family.urls")),
    path("why-sharing-failed/", include("selfcheck.urls")),
    path("help/", include("guide.urls")),
    path("sharing/", include("sharing.urls")),
    path("notifications/", include("notifications.urls")),
    path("money/", include("spending.urls")),
    path("admin/statistics/", include("officials.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
