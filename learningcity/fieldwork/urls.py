"""Pages under /<city_slug>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("field/", views.field_home, name="field_home"),
    path("field/roster/", views.field_roster, name="field_roster"),
    path("field/bookcase/", views.field_bookcase, name="field_bookcase"),
    path("field/checkin/", views.field_checkin, name="field_checkin"),
    path("field/sw.js", views.service_worker, name="field_sw"),
    path("field/manifest.webmanifest", views.manifest, name="field_manifest"),
    path("manage/field/devices/", views.device_list, name="field_devices"),
    path(
        "manage/field/devices/<int:device_id>/sign-out/", views.device_sign_out, name="field_device_sign_out"
    ),
]
