"""Pages under /<city_slug>/."""

from django.urls import path

from .views import catalogue, desk, public, reading

app_name = "library"

urlpatterns = [
    path("library/", public.search, name="search"),
    path("library/records/<int:pk>/", public.record_detail, name="record"),
    path("library/records/<int:pk>/reserve/", public.reserve, name="reserve"),
    path("library/mine/", public.mine, name="mine"),
    path("library/holds/<int:hold_id>/cancel/", public.hold_cancel, name="hold_cancel"),
    path("manage/library/", catalogue.manage_home, name="manage_home"),
    path("manage/library/records/new/", catalogue.record_new, name="record_new"),
    path("manage/library/records/<int:pk>/", catalogue.record_edit, name="record_edit"),
    path("manage/library/copies/<int:copy_id>/", catalogue.copy_detail, name="copy_detail"),
    path("manage/library/import/", catalogue.marc_import, name="marc_import"),
    path("manage/library/export.mrc", catalogue.marc_export, {"fmt": "mrc"}, name="marc_export"),
    path("manage/library/export.xml", catalogue.marc_export, {"fmt": "xml"}, name="marc_export_xml"),
    path("manage/library/copy-cataloguing/", catalogue.copy_cataloguing, name="copy_cataloguing"),
    path("manage/library/drives/", catalogue.drives, name="drives"),
    path("manage/library/labels.pdf", catalogue.labels, name="labels"),
    path("manage/library/desk/", desk.desk_list, name="desk_list"),
    path("manage/library/desk/<int:space_id>/", desk.desk, name="desk"),
    path("manage/library/desk/<int:space_id>/rules/", desk.rules, name="rules"),
    path("manage/library/desk/<int:space_id>/donations/", desk.donations, name="donations"),
    path("manage/library/borrowers/new/", desk.borrower_new, name="borrower_new"),
    path("manage/library/intake/<int:item_id>/", catalogue.intake_item, name="intake_item"),
    path("library/figures/", reading.figures, name="figures"),
]
