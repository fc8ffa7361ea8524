from django.urls import path

from . import views

urlpatterns = [
    path("", views.city_home, name="city_home"),
    path("manage/", views.manage_home, name="manage_home"),
    path("manage/areas/", views.area_list_page, name="area_list"),
    path("manage/areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("manage/areas/new/", views.area_new, name="area_new"),
    path("manage/areas/import/", views.area_import, name="area_import"),
    path("manage/audit/", views.audit_list_page, name="audit_list"),
    path("manage/tokens/", views.token_list, name="token_list"),
    path("manage/tokens/new/", views.token_new, name="token_new"),
    path("manage/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
