"""Pages of events, under /<city_slug>/events/ (the organising city)."""

from django.urls import path

from . import views
from .views import after, stewards

E = "events/<slug:event_slug>/"

urlpatterns = [
    path("events/", views.event_list, name="conference_list"),
    path(E, views.event_detail, name="conference_detail"),
    path(E + "schedule/", views.schedule, name="conference_schedule"),
    path(E + "rooms/<int:room_id>/", views.room_schedule, name="conference_room"),
    path(E + "changes/", views.changes, name="conference_changes"),
    path(E + "agenda/", views.agenda, name="conference_agenda"),
    path(E + "agenda/<str:feed_token>.ics", views.agenda_ics, name="conference_agenda_ics"),
    path(E + "sessions/<int:session_id>/favourite/", views.favourite, name="conference_favourite"),
    path(E + "sessions/<int:session_id>/book/", views.book, name="conference_book"),
    path(E + "sessions/<int:session_id>/feedback/", views.feedback, name="conference_feedback"),
    path(E + "register/", views.register, name="conference_register"),
    path(E + "registrations/", views.registrations, name="conference_registrations"),
    path(
        E + "registrations/<int:registration_id>/cancel/",
        views.registration_cancel,
        name="conference_registration_cancel",
    ),
    path(E + "registrations/<int:registration_id>/badge.pdf", views.badge, name="conference_badge"),
    path(
        E + "registrations/<int:registration_id>/certificate.pdf",
        views.certificate,
        name="conference_certificate",
    ),
    path(
        E + "registrations/<int:registration_id>/invitation.pdf",
        views.visa_letter,
        name="conference_visa_letter",
    ),
    path(E + "call/", views.call, name="conference_call"),
    path(E + "materials/<int:material_id>/", after.material_file, name="conference_material"),
    path(E + "figures/", after.figures, name="conference_figures"),
    path(E + "manage/statistics/", after.statistics_page, name="conference_statistics_page"),
    path(E + "manage/statistics.<str:fmt>", after.statistics_export, name="conference_statistics"),
    path(E + "manage/materials/", after.materials, name="conference_materials"),
    path(
        E + "manage/materials/<int:material_id>/remove/",
        after.material_remove,
        name="conference_material_remove",
    ),
    path(E + "manage/stewards/", stewards.stewards, name="conference_stewards"),
    path(
        E + "manage/stewards/<int:steward_id>/remove/",
        stewards.steward_remove,
        name="conference_steward_remove",
    ),
    path(E + "manage/", views.manage, name="conference_manage"),
    path(E + "manage/certificates/", views.certificates_send, name="conference_certificates_send"),
    path(E + "manage/sessions/<int:session_id>/", views.session_edit, name="conference_session_edit"),
    path(E + "manage/release/", views.release, name="conference_release"),
    path(E + "manage/contributions/", views.contributions, name="conference_contributions"),
    path(
        E + "manage/contributions/<int:contribution_id>/decide/",
        views.contribution_decide,
        name="conference_contribution_decide",
    ),
    path(E + "checkin/", views.checkin, name="conference_checkin"),
]
