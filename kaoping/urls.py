from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kaoping.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("orgs/", include("kaoping.orgs.urls")),
    path("campaigns/", include("kaoping.campaigns.urls")),
    path("rectification/", include("kaoping.rectification.urls")),
    path("duties/", include("kaoping.duties.urls")),
    path("reports/", include("kaoping.reports.urls")),
    path("accounts/", include("kaoping.accounts.urls")),
    path("security/", include("kaoping.security.urls")),
    path("two-factor/", include("kaoping.security.twofactor.urls")),
    path("me/", include("kaoping.security.twofactor.profile_urls")),
    path("audit/", include("kaoping.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
