"""Pages under /<city_slug>/."""

from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("budget/", views.overview, name="overview"),
    path("manage/budget/", views.line_list, name="line_list"),
    path("manage/budget/import/", views.line_import, name="line_import"),
    path("manage/budget/lines/new/", views.line_edit, name="line_new"),
    path("manage/budget/lines/<int:pk>/", views.line_edit, name="line_edit"),
    path("manage/budget/lines/<int:pk>/delete/", views.line_delete, name="line_delete"),
    path("manage/budget/codes/", views.code_list, name="code_list"),
    path("manage/budget/codes/copy/", views.code_copy, name="code_copy"),
]
