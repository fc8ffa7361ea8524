from django.urls import path

from . import views

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:programme_id>/calendar.ics", views.programme_ics, name="programme_ics"),
    path("calendar/", views.calendar_page, name="city_calendar"),
    path("calendar.ics", views.city_ics, name="city_ics"),
    path("calendar/spaces/<int:space_id>.ics", views.space_ics, name="space_ics"),
    path("manage/programmes/", views.programme_manage_list, name="programme_manage_list"),
    path("manage/programmes/new/", views.programme_new, name="programme_new"),
    path("manage/programmes/import/", views.import_sheet, name="programme_import"),
    path("manage/programmes/imports/<int:batch_id>/", views.import_batch, name="programme_import_batch"),
    path("manage/programmes/<int:programme_id>/", views.programme_manage, name="programme_manage"),
    path("manage/programmes/<int:programme_id>/members/", views.programme_members, name="programme_members"),
    path("manage/memberships/<int:membership_id>/end/", views.membership_end_page, name="membership_end"),
    path("manage/sessions/<int:session_id>/", views.roster, name="session_roster"),
    path("manage/sessions/<int:session_id>/mark/", views.roster_mark, name="session_mark"),
    path("manage/sessions/<int:session_id>/learner/", views.roster_add_learner, name="session_add_learner"),
    path("manage/sessions/<int:session_id>/headcount/", views.headcount, name="session_headcount"),
    path("manage/sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("manage/learners/", views.learner_list, name="learner_list"),
    path("manage/learners/new/", views.learner_new, name="learner_new"),
    path("manage/learners/<int:learner_id>/", views.learner_detail, name="learner_detail"),
    path("manage/learners/<int:learner_id>/edit/", views.learner_edit, name="learner_edit"),
    path("manage/learners/<int:learner_id>/export.json", views.learner_export, name="learner_export"),
    path("manage/learners/<int:learner_id>/erase/", views.learner_erase, name="learner_erase"),
    path("manage/learners/<int:learner_id>/merge/", views.learner_merge, name="learner_merge"),
]
