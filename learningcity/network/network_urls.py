"""Pages of a network, under /networks/ (not under a city: a network spans cities)."""

from django.urls import path

from .views import admin, dialogue, public

app_name = "network"

urlpatterns = [
    path("", public.network_list, name="list"),
    path("<slug:network_slug>/", public.network_detail, name="detail"),
    path("<slug:network_slug>/new-city/", admin.city_new, name="city_new"),
    path("<slug:network_slug>/manage/", admin.network_manage, name="manage"),
    path("<slug:network_slug>/remote-cities/new/", admin.remote_city_new, name="remote_city_new"),
    path("<slug:network_slug>/moderation/", dialogue.moderation, name="moderation"),
    path("<slug:network_slug>/cities/<slug:city_slug>/", public.city_profile, name="city_profile"),
    path("<slug:network_slug>/practices/", public.practice_search, name="practices"),
    path(
        "<slug:network_slug>/practices/<slug:city_slug>/<slug:practice_slug>/",
        public.practice_detail,
        name="practice",
    ),
    path(
        "<slug:network_slug>/practices/<slug:city_slug>/<slug:practice_slug>/ask/",
        dialogue.practice_ask,
        name="practice_ask",
    ),
    path(
        "<slug:network_slug>/practices/<slug:city_slug>/<slug:practice_slug>/files/<int:file_id>/",
        public.practice_file,
        name="practice_file",
    ),
    path("<slug:network_slug>/compare/", public.compare, name="compare"),
    path("<slug:network_slug>/compare.<str:fmt>", public.compare, name="compare_export"),
    path("<slug:network_slug>/partnerships/", public.partnerships, name="partnerships"),
    path("<slug:network_slug>/clusters/<slug:cluster_code>/", dialogue.cluster_detail, name="cluster"),
    path("<slug:network_slug>/discussions/<int:thread_id>/", dialogue.thread_detail, name="thread"),
    path(
        "<slug:network_slug>/discussions/<int:thread_id>/follow/",
        dialogue.thread_follow,
        name="thread_follow",
    ),
    path("<slug:network_slug>/messages/<int:post_id>/report/", dialogue.post_report, name="post_report"),
    path("<slug:network_slug>/messages/<int:post_id>/hide/", dialogue.post_hide, name="post_hide"),
]
