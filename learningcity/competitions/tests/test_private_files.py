"""Entry files are private uploads: after the view's check, nginx sends them in production (X-Accel-Redirect to
its internal location), never from /media/; refused people get no redirect."""

import pytest

from learningcity.competitions.models import Assignment, Entry, EntryFile
from learningcity.competitions.services.assignment import assignments_auto
from learningcity.competitions.services.submissions import entry_submit
from learningcity.competitions.tests.factories import setup_competition, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def comp(city, people):
    competition, poems, _arts, panel = setup_competition(city, judges=1)
    entry_submit(
        actor=people["resident"],
        competition=competition,
        category=poems,
        title="Tác phẩm",
        files=[text_file(name="tho.txt")],
        gallery_consent=True,
    )
    assignments_auto(actor=people["city_admin"], competition=competition)
    return competition, panel


def test_in_production_an_entry_file_is_sent_by_nginx_after_the_check(client, comp, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private_media/"
    competition, panel = comp
    assignment = Assignment.objects.filter(judge=panel[0]).select_related("entry").first()
    found = EntryFile.objects.filter(entry=assignment.entry).first()
    client.force_login(panel[0])
    response = client.get(f"/son-la/manage/judging/{assignment.pk}/files/{found.token}/")
    assert response.status_code == 200
    assert response.content == b""
    assert found.file.name.startswith(f"competitions/{found.city_id}/")
    assert response["X-Accel-Redirect"] == f"/_private_media/{found.file.name}"
    assert response["Content-Disposition"].startswith("inline;")
    assert assignment.entry.blind_code in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == found.content_type

    # Out of the gallery, a visitor gets 404 and no redirect to the file.
    Entry.objects.filter(pk=assignment.entry_id).update(gallery_consent=False)
    client.logout()
    refused = client.get(f"/son-la/competitions/{competition.slug}/files/{found.token}/")
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused
