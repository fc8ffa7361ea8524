from django.urls import path

from . import views

urlpatterns = [
    path("participation/", views.dashboard_public, name="analytics_dashboard"),
    path("indicators/", views.indicator_list_page, name="analytics_indicators"),
    path("indicators/<str:code>/", views.indicator_detail_page, name="analytics_indicator"),
    path("manage/participation/", views.dashboard_staff, name="analytics_dashboard_staff"),
    path("manage/population/", views.population_page, name="analytics_population"),
    path("manage/population/import/", views.population_import_page, name="analytics_population_import"),
    path("manage/indicators/values/", views.manual_values_page, name="analytics_manual_values"),
    path(
        "manage/indicators/values/<int:pk>/evidence/",
        views.manual_value_evidence,
        name="analytics_manual_evidence",
    ),
    path(
        "manage/indicators/values/<int:pk>/approve/",
        views.manual_value_approve_view,
        name="analytics_manual_approve",
    ),
]
