"""Pages under /<city_slug>/."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("profile/", views.profile_public, name="profile"),
    path("reports/", views.report_public_list, name="public_list"),
    path("reports/<int:pk>/", views.report_public, name="public_report"),
    path("manage/profile/", views.profile_edit, name="profile_edit"),
    path("manage/profile/documents/", views.document_request, name="profile_document"),
    path("manage/targets/", views.targets, name="targets"),
    path("manage/reports/", views.report_list, name="report_list"),
    path("manage/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("manage/reports/<int:pk>/sections/<int:section_id>/", views.section_save, name="section_save"),
    path(
        "manage/reports/<int:pk>/sections/<int:section_id>/evidence/", views.evidence_add, name="evidence_add"
    ),
    path("manage/reports/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("manage/reports/<int:pk>/documents/", views.document_request, name="report_document"),
    path("manage/reports/<int:pk>/send/", views.report_send, name="report_send"),
    path("manage/reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("manage/reports/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("manage/reports/<int:pk>/new-version/", views.report_new_version, name="report_new_version"),
    path("manage/evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("manage/evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("manage/documents/<int:pk>/", views.document_status, name="document_status"),
    path("manage/documents/<int:pk>/download/", views.document_download, name="document_download"),
]
