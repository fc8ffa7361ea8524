import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ..models import Assignment, Entry, EntryFile
from ..services.assignment import assignments_auto, conflict_declare
from ..services.submissions import entry_submit
from .factories import jpeg_with_gps, setup_competition, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def comp(city, people):
    competition, poems, arts, panel = setup_competition(city, judges=2)
    for i in range(4):
        entry_submit(
            actor=people["resident"],
            competition=competition,
            category=poems if i % 2 else arts,
            title=f"Tác phẩm {i}",
            team_members="Quàng Văn Bí",
            files=[text_file(name="Lo-Thi-Mai.txt")] if i % 2 else [jpeg_with_gps(name="Lo-Thi-Mai.jpg")],
            gallery_consent=True,
        )
    assignments_auto(actor=people["city_admin"], competition=competition)
    return competition, panel


def test_public_pages_render_with_a_fixed_number_of_queries(client, comp, django_assert_max_num_queries):
    competition, _ = comp
    for url, limit in [
        ("/son-la/competitions/", 6),
        (f"/son-la/competitions/{competition.slug}/", 8),
        (f"/son-la/competitions/{competition.slug}/gallery/", 8),
    ]:
        with django_assert_max_num_queries(limit):
            response = client.get(url)
        assert response.status_code == 200, url
    assert client.get(f"/son-la/competitions/{competition.slug}/results/").status_code == 404


def test_resident_submits_through_the_form_and_sees_her_receipt(client, comp, people):
    competition, _ = comp
    client.force_login(people["resident"])
    poems = competition.categories.get(code="THO")
    response = client.post(
        f"/son-la/competitions/{competition.slug}/enter/",
        {"category": poems.pk, "title": "Mùa ban", "files": [text_file()]},
    )
    entry = Entry.objects.get(title="Mùa ban")
    assert response.status_code == 302
    assert entry.receipt in response.url
    page = client.get(response.url)
    assert entry.receipt in page.content.decode()
    bad = client.post(
        f"/son-la/competitions/{competition.slug}/enter/",
        {
            "category": poems.pk,
            "title": "Virus",
            "files": [SimpleUploadedFile("tho.txt", b"MZ\x90\x00" * 10)],
        },
    )
    assert bad.status_code == 200
    assert "program" in bad.content.decode()
    assert not Entry.objects.filter(title="Virus").exists()


def test_judge_pages_are_blind(client, comp, people):
    _competition, panel = comp
    client.force_login(panel[0])
    listing = client.get("/son-la/manage/judging/")
    assert listing.status_code == 200
    for a in Assignment.objects.filter(judge=panel[0]).select_related("entry"):
        page = client.get(f"/son-la/manage/judging/{a.pk}/").content.decode()
        assert a.entry.blind_code in page
        for secret in (people["resident"].full_name, "Quàng Văn Bí", "Lo-Thi-Mai"):
            assert secret not in page
        for f in EntryFile.objects.filter(entry=a.entry):
            response = client.get(f"/son-la/manage/judging/{a.pk}/files/{f.token}/")
            assert response.status_code == 200
            assert "Lo-Thi-Mai" not in response["Content-Disposition"]


def test_judge_cannot_open_others_or_conflicted_entries(client, comp):
    competition, panel = comp
    client.force_login(panel[0])
    theirs = Assignment.objects.filter(judge=panel[1]).first()
    assert client.get(f"/son-la/manage/judging/{theirs.pk}/").status_code == 403
    mine = Assignment.objects.filter(judge=panel[0]).select_related("entry").first()
    f = EntryFile.objects.filter(entry=mine.entry).first()
    # Not even through the public file address, when the file is not in the gallery.
    Entry.objects.filter(pk=mine.entry_id).update(gallery_consent=False)
    assert client.get(f"/son-la/competitions/{competition.slug}/files/{f.token}/").status_code == 403
    conflict_declare(actor=panel[0], entry=mine.entry, reason="")
    refused = client.get(f"/son-la/manage/judging/entries/{mine.entry_id}/")
    assert refused.status_code == 403
    assert "conflict" in refused.content.decode()


def test_staff_pages_are_for_city_admins(client, comp, people, django_assert_max_num_queries):
    competition, _ = comp
    base = f"/son-la/manage/competitions/{competition.slug}/"
    for who in ("viewer", "judge", "area_coordinator"):
        client.force_login(people[who])
        assert client.get(base).status_code == 403, who
    client.force_login(people["city_admin"])
    for url in (
        base,
        base + "entries/",
        base + "conflicts/",
        base + "meeting/",
        "/son-la/manage/competitions/",
    ):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200, url
    page = client.get(base + "entries/").content.decode()
    assert people["resident"].full_name in page  # staff see names


def test_people_of_another_city_get_nothing(client, comp, other_city):
    from learningcity.core.models import Role
    from learningcity.core.tests.factories import user_with_role

    competition, _ = comp
    stranger = user_with_role(other_city, Role.CITY_ADMIN, username="hue-admin")
    client.force_login(stranger)
    assert client.get(f"/son-la/manage/competitions/{competition.slug}/").status_code == 403
    assert client.get("/son-la/manage/judging/").status_code == 403
    assert client.get(f"/hue/competitions/{competition.slug}/").status_code == 404


def test_scores_outside_the_rubric_are_refused_on_the_page(client, comp):
    competition, panel = comp
    client.force_login(panel[0])
    a = Assignment.objects.filter(judge=panel[0]).first()
    content, artistry = competition.criteria.all()
    response = client.post(
        f"/son-la/manage/judging/{a.pk}/",
        {f"criterion_{content.pk}": "11", f"criterion_{artistry.pk}": "5", "action": "submit"},
    )
    assert response.status_code == 200
    assert "between 0 and 10" in response.content.decode().replace("từ 0 đến 10", "between 0 and 10")
    a.refresh_from_db()
    assert a.submitted_at is None
    assert not a.scores.exists()


def test_absurd_ids_are_refused_cleanly(client, city, comp, people):
    from learningcity.core.services.accounts import api_token_create

    competition, panel = comp
    client.force_login(panel[0])
    huge = "9" * 30
    assert client.get(f"/son-la/manage/judging/{huge}/").status_code == 403
    assert client.get(f"/son-la/manage/judging/entries/{huge}/").status_code == 404
    _, raw = api_token_create(actor=panel[0], user=panel[0], city=city, name="t")
    r = client.get(
        f"/api/v1/cities/son-la/judging/assignments/{huge}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert r.status_code in (403, 422)
    client.force_login(people["city_admin"])
    base = f"/son-la/manage/competitions/{competition.slug}/"
    assert client.post(base + "entries/", {"remove": "abc"}).status_code == 404
    refused = client.post(base + "meeting/", {"action": "adjust", "result": "x", "rank": "1", "note": "n"})
    assert refused.status_code == 200
    assert "Give a rank and the reason" in refused.content.decode()


def test_staff_edit_dates_and_lift_a_conflict(client, comp, people):
    from ..models import Conflict
    from ..services.assignment import conflict_set

    competition, panel = comp
    client.force_login(people["city_admin"])
    base = f"/son-la/manage/competitions/{competition.slug}/"
    page = client.get(base + "edit/")
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(
        title_vi="Cuộc thi đã sửa",
        tie_policy="shared",
        closes_at="2001-01-01 00:00",  # before it opened: refused
    )
    for name in ("announced_at", "opens_at", "judging_ends_at"):
        data[name] = data[name].strftime("%Y-%m-%d %H:%M")
    refused = client.post(base + "edit/", data)
    assert refused.status_code == 200
    assert "follow each other" in refused.content.decode()
    data["closes_at"] = competition.closes_at.strftime("%Y-%m-%d %H:%M")
    assert client.post(base + "edit/", data).status_code == 302
    competition.refresh_from_db()
    assert competition.title_vi == "Cuộc thi đã sửa"
    assert competition.tie_policy == "shared"
    [conflict] = conflict_set(
        actor=people["city_admin"], competition=competition, judge=panel[0], entry=competition.entries.first()
    )
    assert client.post(base + "conflicts/", {"lift": conflict.pk}).status_code == 302
    assert not Conflict.objects.filter(pk=conflict.pk).exists()


def test_staff_see_an_entry_with_its_versions_and_original_file_names(client, comp, people):
    from ..services.submissions import entry_update

    competition, _panel = comp
    entry = Entry.objects.filter(competition=competition, category__code="THO").first()
    entry_update(
        actor=people["resident"], entry=entry, title="Bản sửa", files=[text_file(name="ban-moi.txt")]
    )
    client.force_login(people["city_admin"])
    url = f"/son-la/manage/competitions/{competition.slug}/entries/{entry.pk}/"
    page = client.get(url).content.decode()
    assert "Lo-Thi-Mai.txt" in page
    assert "ban-moi.txt" in page
    assert "replaced in version 2" in page
    assert "Version 1" in page
    assert people["resident"].full_name in page
    assert client.post(url, {"action": "withdraw"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "withdrawn"


def test_staff_set_up_a_competition_through_the_pages(client, city, people):
    from learningcity.core.models import Role
    from learningcity.core.tests.factories import user_with_role

    from ..models import Category, Competition, Criterion, JuryMember

    judge = user_with_role(city, Role.JUDGE, username="giamkhao", full_name="Giám khảo Mới")
    client.force_login(people["city_admin"])
    response = client.post(
        "/son-la/manage/competitions/new/",
        {
            "slug": "tho-2026",
            "code": "t26",
            "title_vi": "Cuộc thi thơ 2026",
            "announced_at": "2026-01-01 00:00",
            "opens_at": "2026-01-02 00:00",
            "closes_at": "2026-03-01 00:00",
            "judging_ends_at": "2026-04-01 00:00",
            "reviews_per_entry": 2,
            "tie_policy": "shared",
            "winners_per_category": 3,
        },
    )
    competition = Competition.objects.get(city=city, slug="tho-2026")
    assert response.status_code == 302
    assert competition.code == "T26"
    base = f"/son-la/manage/competitions/{competition.slug}/"
    client.post(
        base,
        {
            "form": "category",
            "cat-code": "tho",
            "cat-name_vi": "Thơ",
            "cat-allowed_kinds": ["text", "audio"],
            "cat-max_file_bytes": 5,
            "cat-max_files": 2,
        },
    )
    category = Category.objects.get(competition=competition)
    assert category.code == "THO"
    assert category.max_file_bytes == 5 * 1024 * 1024
    client.post(
        base,
        {
            "form": "criterion",
            "crit-name_vi": "Nội dung",
            "crit-weight": "2",
            "crit-min_score": 0,
            "crit-max_score": 10,
        },
    )
    assert Criterion.objects.get(competition=competition).weight == 2
    client.post(base, {"form": "jury", "jury-category": category.pk, "jury-judge": judge.pk})
    assert JuryMember.objects.filter(category=category, judge=judge).exists()
    refused = client.post(
        base, {"form": "jury", "jury-category": category.pk, "jury-judge": people["viewer"].pk}
    )
    assert refused.status_code == 200  # only judges are offered
    assert not JuryMember.objects.filter(judge=people["viewer"]).exists()


def test_paper_entries_drafts_and_votes_through_the_pages(client, comp, people):
    from django.core.cache import cache

    from ..models import Vote

    cache.clear()
    competition, panel = comp
    competition.peoples_choice = True
    competition.save()
    poems = competition.categories.get(code="THO")
    client.force_login(people["city_admin"])
    response = client.post(
        f"/son-la/manage/competitions/{competition.slug}/entries/paper/",
        {
            "entrant_name": "Lò Văn Hùng",
            "received_at": (competition.opens_at + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
            "category": poems.pk,
            "title": "Bài thơ viết tay",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    paper = Entry.objects.get(title="Bài thơ viết tay")
    assert paper.entrant is None
    assert paper.entered_by == people["city_admin"]
    client.force_login(panel[0])
    a = Assignment.objects.filter(judge=panel[0]).first()
    content, _artistry = competition.criteria.all()
    assert (
        client.post(
            f"/son-la/manage/judging/{a.pk}/", {f"criterion_{content.pk}": "7,5", "action": "draft"}
        ).status_code
        == 302
    )
    a.refresh_from_db()
    assert a.submitted_at is None
    assert str(a.scores.get().value) == "7.50"
    client.force_login(people["viewer"])
    entry = Entry.objects.filter(competition=competition, gallery_consent=True).first()
    url = f"/son-la/competitions/{competition.slug}/gallery/{entry.pk}/vote/"
    assert client.post(url).status_code == 302
    client.post(url)
    assert Vote.objects.filter(voter=people["viewer"]).count() == 1


def test_gallery_names_no_entrant_until_the_results_are_published(client, comp, people):
    """A judge can open the public gallery too: names there would undo blind scoring, so they wait for the
    results (titles and works show, as the judges see them)."""
    competition, _ = comp
    name = Entry.objects.filter(competition=competition).first().entrant_name
    assert name
    url = f"/son-la/competitions/{competition.slug}/gallery/"
    for who in (None, "judge"):
        if who:
            client.force_login(people[who])
        page = client.get(url).content.decode()
        assert "Tác phẩm 0" in page
        assert name not in page
    competition.results_published_at = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
    competition.save(update_fields=["results_published_at"])
    assert name in client.get(url).content.decode()
