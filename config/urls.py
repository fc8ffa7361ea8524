from pathlib import Path

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from learningcity.core import views as core_views
from learningcity.core.ratelimit import rate_limit

from .api import api

urlpatterns = [
    path("", core_views.city_list, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # The language switch of every page takes no CSRF token, so that an anonymous page carries none and can be
    # cached and compressed (core/middleware.py); a forged request could only switch someone's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        rate_limit("password_reset")(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        rate_limit("password_set")(core_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("networks/", include("learningcity.network.network_urls")),
    path("<slug:city_slug>/", include("learningcity.core.urls")),
    path("<slug:city_slug>/", include("learningcity.places.urls")),
    path("<slug:city_slug>/", include("learningcity.programmes.urls")),
    path("<slug:city_slug>/", include("learningcity.analytics.urls")),
    path("<slug:city_slug>/", include("learningcity.competitions.urls")),
    path("<slug:city_slug>/", include("learningcity.library.urls")),
    path("<slug:city_slug>/", include("learningcity.budget.urls")),
    path("<slug:city_slug>/", include("learningcity.reporting.urls")),
    path("<slug:city_slug>/", include("learningcity.network.urls")),
    path("<slug:city_slug>/", include("learningcity.fieldwork.urls")),
    path("<slug:city_slug>/", include("learningcity.conferences.urls")),
]

if settings.DEBUG:
    # Like nginx (deploy/nginx/learningcity.conf): only space photos are public; every other upload goes through
    # a view that checks permission (learningcity/core/private_files.py).
    urlpatterns += static(f"{settings.MEDIA_URL}spaces/", document_root=Path(settings.MEDIA_ROOT) / "spaces")

handler404 = "learningcity.core.views.page_not_found"
