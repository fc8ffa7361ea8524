"""A large sheet gets the same preview as a small one (per-row errors, probable duplicates) before anything is
applied; the check and the apply run as background tasks with a progress bar."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learningcity.analytics.models import Participation
from learningcity.programmes.models import Attendance, ImportBatch, Learner

pytestmark = pytest.mark.django_db

BASE = "/son-la"
URL = f"{BASE}/manage/programmes/import/"


@pytest.fixture
def large(settings, monkeypatch):
    from learningcity.programmes.views import imports as import_views

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(import_views, "LARGE_FILE_BYTES", 10)


def _upload(client, club, text: str):
    return client.post(URL, {"file": SimpleUploadedFile("big.csv", text.encode()), "programme": club.pk})


def test_large_file_is_checked_in_the_background_then_applied(client, people, club, session, members, large):
    client.force_login(people["city_admin"])
    sheet = "code,date\n" + "".join(f"{m.code},{session.date}\n" for m in members)
    response = _upload(client, club, sheet)
    check = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/imports/{check.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-progress"' in page
    assert 'value="100"' in page
    check.refresh_from_db()
    assert check.status == "done"
    assert check.result["attendance_added"] == 3
    assert not check.sha256
    assert not Attendance.objects.exists()  # the check changed nothing
    # the preview on the batch page posts the staged file back for the apply
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    assert f'action="{URL}"' in page
    response = client.post(URL, {"token": token, "programme_id": club.pk, "apply": "1"})
    applied = ImportBatch.objects.exclude(pk=check.pk).get()
    assert response["Location"].endswith(f"/imports/{applied.pk}/")
    page = client.get(response["Location"]).content.decode()
    applied.refresh_from_db()
    assert applied.status == "done"
    assert applied.result["attendance_added"] == 3
    assert applied.sha256
    assert Attendance.objects.count() == 3
    assert Participation.objects.filter(programme_id=club.pk).count() == 3


def test_large_file_errors_and_duplicates_are_shown_before_anything_is_applied(
    client, people, club, session, members, large
):
    client.force_login(people["city_admin"])
    bad = f"name,birth_year,area,date\nA,1990,03670-MB,2025-02-31\nB,1790,03670-MB,{session.date}\n"
    page = client.get(_upload(client, club, bad)["Location"]).content.decode()
    assert "row-errors" in page
    assert "2025-02-31" in page
    assert 'name="token"' not in page
    assert ImportBatch.objects.get().status == "rejected"
    assert Learner.objects.count() == 3
    assert not Attendance.objects.exists()
    # a probable duplicate: the coordinator decides on the batch page, then the apply uses the decision
    dup = f"name,birth_year,area,date\nLò Thị Hoa,1960,03670-MB,{session.date}\nHà Văn Tú,1999,03670-MB,{session.date}\n"
    response = _upload(client, club, dup)
    page = client.get(response["Location"]).content.decode()
    assert 'name="dup_2"' in page
    assert members[0].code in page
    assert Learner.objects.count() == 3
    assert not Attendance.objects.exists()
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    response = client.post(
        URL, {"token": token, "programme_id": club.pk, "dup_2": members[0].pk, "apply": "1"}
    )
    batch = ImportBatch.objects.order_by("pk").last()
    assert batch.status == "done"
    assert batch.result["learners_matched"] == 1
    assert Attendance.objects.filter(session=session).count() == 2
    assert Learner.objects.count() == 4


def test_another_person_sees_the_check_but_cannot_apply_it(client, people, club, session, members, large):
    client.force_login(people["city_admin"])
    sheet = "code,date\n" + "".join(f"{m.code},{session.date}\n" for m in members)
    location = _upload(client, club, sheet)["Location"]
    client.force_login(people["space_coordinator"])
    assert client.get(location).status_code == 403  # another's import names people: not hers to read
    client.force_login(people["network_admin"])
    response = client.get(location)
    assert response.status_code == 200
    assert 'name="token"' not in response.content.decode()


def _preview_token(response) -> str:
    return re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode()).group(1)


def test_a_small_sheet_applied_on_the_page_is_kept_in_the_history(client, people, club, session, members):
    """The shared preview-then-apply flow: the programme goes back by id, the file is recorded once applied, and
    the same file again is told apart (nothing added)."""
    client.force_login(people["city_admin"])
    sheet = "code,date\n" + "".join(f"{m.code},{session.date}\n" for m in members)
    for attempt in range(2):
        token = _preview_token(_upload(client, club, sheet))
        response = client.post(
            URL, {"token": token, "programme_id": club.pk, "apply": "1"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 302
        assert response["Location"] == URL
        shown = [str(m) for m in response.wsgi_request._messages]
        if attempt == 0:
            assert shown == ["Imported: 0 new learners, 3 attendances added (0 already recorded)."]
            batch = ImportBatch.objects.get()
            assert batch.status == "done"
            assert batch.file_name == "big.csv"
            assert batch.sha256
            assert batch.programme_id == club.pk
            assert batch.rows_total == 3
        else:
            assert shown == ["This file was already imported: nothing was added."]
    assert Attendance.objects.count() == 3


def test_an_expired_upload_sends_back_to_the_import_page(client, people):
    client.force_login(people["city_admin"])
    response = client.post(URL, {"token": "ab" * 16, "apply": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"].endswith("/manage/programmes/import/")
    assert [str(m) for m in response.wsgi_request._messages] == [
        "The uploaded file has expired: upload it again."
    ]
    assert not ImportBatch.objects.exists()
