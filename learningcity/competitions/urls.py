from django.urls import path

from .views import judging, manage, public

urlpatterns = [
    path("competitions/", public.competition_list, name="competition_list"),
    path("competitions/<slug:slug>/", public.competition_detail, name="competition_detail"),
    path("competitions/<slug:slug>/enter/", public.entry_new, name="entry_new"),
    path("competitions/<slug:slug>/entries/<str:receipt>/", public.entry_receipt, name="entry_receipt"),
    path("competitions/<slug:slug>/entries/<str:receipt>/edit/", public.entry_edit, name="entry_edit"),
    path(
        "competitions/<slug:slug>/entries/<str:receipt>/withdraw/",
        public.entry_withdraw_view,
        name="entry_withdraw",
    ),
    path("competitions/<slug:slug>/results/", public.results_page, name="competition_results"),
    path("competitions/<slug:slug>/gallery/", public.gallery, name="competition_gallery"),
    path("competitions/<slug:slug>/gallery/<int:entry_id>/vote/", public.vote, name="competition_vote"),
    path("competitions/<slug:slug>/files/<str:token>/", public.entry_file, name="entry_file"),
    path("manage/judging/", judging.judge_home, name="judge_home"),
    path("manage/judging/<int:assignment_id>/", judging.judge_entry, name="judge_entry"),
    path("manage/judging/<int:assignment_id>/conflict/", judging.judge_conflict, name="judge_conflict"),
    path("manage/judging/<int:assignment_id>/files/<str:token>/", judging.judge_file, name="judge_file"),
    path("manage/judging/entries/<int:entry_id>/", judging.judge_entry_by_code, name="judge_entry_open"),
    path("manage/competitions/", manage.manage_list, name="manage_competitions"),
    path("manage/competitions/new/", manage.manage_new, name="manage_competition_new"),
    path("manage/competitions/<slug:slug>/", manage.manage_competition, name="manage_competition"),
    path("manage/competitions/<slug:slug>/edit/", manage.manage_edit, name="manage_competition_edit"),
    path("manage/competitions/<slug:slug>/entries/", manage.manage_entries, name="manage_entries"),
    path("manage/competitions/<slug:slug>/entries/<int:entry_id>/", manage.manage_entry, name="manage_entry"),
    path(
        "manage/competitions/<slug:slug>/entries/paper/", manage.manage_paper_entry, name="manage_paper_entry"
    ),
    path("manage/competitions/<slug:slug>/assign/", manage.manage_assign, name="manage_assign"),
    path("manage/competitions/<slug:slug>/conflicts/", manage.manage_conflicts, name="manage_conflicts"),
    path("manage/competitions/<slug:slug>/meeting/", manage.manage_meeting, name="manage_meeting"),
    path(
        "manage/competitions/<slug:slug>/certificates/",
        manage.manage_certificates,
        name="manage_certificates",
    ),
]
