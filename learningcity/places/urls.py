from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("spaces/", views.space_list, name="space_list"),
    path("spaces/map/", views.space_map, name="space_map"),
    path("spaces/export.<str:fmt>", views.space_export, name="space_export"),
    path("spaces/<int:pk>/", views.space_detail, name="space_detail"),
    path("manage/spaces/", views.manage_list, name="manage_list"),
    path("manage/spaces/new/", views.manage_new, name="manage_new"),
    path("manage/spaces/import/", views.manage_import, name="manage_import"),
    path("manage/spaces/<int:pk>/", views.manage_edit, name="manage_edit"),
    path("manage/spaces/<int:pk>/coordinators/", views.manage_coordinators, name="manage_coordinators"),
    path("manage/spaces/<int:pk>/exceptions/", views.manage_exception_add, name="manage_exception_add"),
    path(
        "manage/spaces/<int:pk>/exceptions/<int:exception_id>/delete/",
        views.manage_exception_delete,
        name="manage_exception_delete",
    ),
    path("manage/spaces/<int:pk>/photos/", views.manage_photo_add, name="manage_photo_add"),
    path(
        "manage/spaces/<int:pk>/photos/<int:photo_id>/delete/",
        views.manage_photo_delete,
        name="manage_photo_delete",
    ),
    path("manage/coverage/", views.coverage, name="coverage"),
]
