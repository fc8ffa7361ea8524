"""A city's network pages, under /<city_slug>/."""

from django.urls import path

from .views import city, public

urlpatterns = [
    path("partnerships/", public.city_partnerships, name="network_city_partnerships"),
    path("invitations/<str:token>/", city.invitation_accept, name="network_invitation"),
    path(
        "partnerships/documents/<int:partnershipdocument_id>/",
        public.partnership_document,
        name="network_partnership_document",
    ),
    path(
        "manage/partnerships/<int:partnership_id>/documents/",
        city.partnership_document_add,
        name="network_partnership_document_add",
    ),
    path("manage/practices/", city.practice_list, name="network_manage_practices"),
    path("manage/practices/new/", city.practice_new, name="network_practice_new"),
    path("manage/practices/<int:practice_id>/", city.practice_edit, name="network_practice_edit"),
    path(
        "manage/practices/<int:practice_id>/translations/<str:lang>/",
        city.practice_translate,
        name="network_practice_translate",
    ),
    path(
        "manage/practices/<int:practice_id>/files/", city.practice_file_add, name="network_practice_file_add"
    ),
    path("manage/practices/<int:practice_id>/adopt/", city.practice_adopt, name="network_practice_adopt"),
    path("manage/shared-indicators/", city.shared_indicators, name="network_shared_indicators"),
    path("manage/partnerships/", city.partnership_manage, name="network_manage_partnerships"),
    path("manage/people/", city.people, name="network_people"),
    path("manage/people/roles/<int:roleassignment_id>/revoke/", city.role_revoke, name="network_role_revoke"),
    path(
        "manage/people/invitations/<int:invitation_id>/withdraw/",
        city.invitation_withdraw,
        name="network_invitation_withdraw",
    ),
]
