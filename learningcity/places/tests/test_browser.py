"""Stories a person could read: a resident finds a space, a coordinator keeps her hours up to date, an
administrator imports the city's list from Excel on Vietnamese Windows."""

import pytest
from playwright.sync_api import expect

from learningcity.places.selectors import city_now
from learningcity.places.tests.factories import SpaceFactory
from learningcity.places.tests.test_import import to_cp1258

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_searches_without_accents_filters_open_now_and_sees_the_space_on_the_map(
    page, transactional_db, city, areas, people
):
    today = city_now(city).weekday()
    other_day = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"][(today + 3) % 7]
    open_space = SpaceFactory(
        city=city,
        area=areas["me_ban"],
        name_vi="Ngôi nhà trí tuệ bản Mé Ban, phường Chiềng Cơi",
        hours="Mo-Su 00:00-24:00",
    )
    SpaceFactory(
        city=city,
        area=areas["chieng_coi"],
        name_vi="Ngôi nhà trí tuệ bản Hài, phường Chiềng Cơi",
        hours=f"{other_day} 08:00-09:00",
    )
    SpaceFactory(city=city, area=areas["to_1"], name_vi="Thư viện nhân ái tổ dân phố 1")

    page.goto(page.base_url + "/son-la/spaces/")
    page.fill("#id_q", "nha tri tue chieng coi")
    page.click("form.place-filters button[type=submit]")
    page.wait_for_url(lambda url: "q=nha+tri+tue" in url)
    expect(page.locator(".space-item h2")).to_have_count(2)
    page.check("#id_open_now")
    page.click("form.place-filters button[type=submit]")
    page.wait_for_url(lambda url: "open_now=on" in url)
    expect(page.locator(".space-item h2")).to_have_text(["Ngôi nhà trí tuệ bản Mé Ban, phường Chiềng Cơi"])

    with page.expect_navigation():
        page.click("text=Ngôi nhà trí tuệ bản Mé Ban, phường Chiềng Cơi")
    assert page.url.endswith(f"/son-la/spaces/{open_space.pk}/")
    page.wait_for_selector('.lc-map[data-ready="1"]')
    expect(page.locator(".lc-map path.space-marker")).to_have_count(1)
    assert page.locator(".lc-map path.area-centre").count() >= 1  # no tiles configured: centres still drawn

    page.goto(page.base_url + "/son-la/spaces/map/")
    page.wait_for_selector('.lc-map[data-ready="1"]')
    assert (
        page.locator(".lc-map").get_attribute("data-markers") == "3"
    )  # clustered or not, all are on the map


def test_resident_pans_the_map_and_the_spaces_of_the_new_view_load(page, transactional_db, city, areas):
    """The map asks only for the spaces in its view (bbox, tile by tile); panning to another place loads its
    spaces, and a tile already loaded is not asked for again. At 360 px, as on a phone."""
    page.set_viewport_size({"width": 360, "height": 640})
    SpaceFactory(
        city=city, area=areas["me_ban"], name_vi="Ngôi nhà trí tuệ bản Mé Ban", lat=21.3001, lon=103.8925
    )
    asked = []
    page.on("request", lambda r: asked.append(r.url) if ".geojson" in r.url else None)

    page.goto(page.base_url + "/son-la/spaces/map/")
    page.wait_for_selector('.lc-map[data-ready="1"]')
    assert page.locator(".lc-map").get_attribute("data-markers") == "1"
    assert asked
    assert all("bbox=" in url for url in asked)
    first = list(asked)

    # A space 0.3 degrees east, out of the view and of the tiles the map has asked for.
    far = SpaceFactory(
        city=city, area=areas["to_1"], name_vi="Thư viện nhân ái bản Phiêng", lat=21.31, lon=104.19
    )
    page.evaluate("document.querySelector('.lc-map').lcMap.panTo([21.31, 104.19], {animate: false})")
    page.wait_for_selector('.lc-map[data-markers="2"]:not([data-loading])')
    assert len(asked) > len(first)
    assert not set(asked[len(first) :]) & set(first)  # each tile once
    page.locator(".lc-map").scroll_into_view_if_needed()
    box = page.locator(".lc-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the marker at the centre
    expect(page.locator(f'.leaflet-popup a[href="/son-la/spaces/{far.pk}/"]')).to_have_count(1)

    # Back to the first place: its tiles are loaded already, nothing is asked again.
    before = len(asked)
    page.evaluate("document.querySelector('.lc-map').lcMap.panTo([21.3001, 103.8925], {animate: false})")
    page.wait_for_timeout(800)  # past the debounce
    page.wait_for_selector(".lc-map:not([data-loading])")
    assert len(asked) == before
    assert page.locator(".lc-map").get_attribute("data-markers") == "2"


def test_coordinator_changes_her_hours_and_cannot_edit_another_space(
    page, transactional_db, login, city, areas, people
):
    mine = SpaceFactory(city=city, area=areas["me_ban"], name_vi="Ngôi nhà trí tuệ bản Mé Ban")
    mine.coordinators.add(people["space_coordinator"])
    other = SpaceFactory(city=city, area=areas["to_1"], name_vi="Thư viện nhân ái tổ dân phố 1")

    login("spacecoord")
    page.goto(page.base_url + "/son-la/manage/spaces/")
    page.click("text=Ngôi nhà trí tuệ bản Mé Ban")
    page.fill("#id_hours_sa", "07:00-11:00")
    page.fill("#id_hours_su", "")
    page.click("form.space-form button[type=submit]")
    expect(page.locator(".messages li")).to_have_count(1)
    page.goto(page.base_url + f"/son-la/spaces/{mine.pk}/")
    hours = page.locator("table.hours").inner_text()
    assert "07:00–11:00" in hours
    mine.refresh_from_db()
    assert mine.hours == "Mo-Fr 08:00-20:00; Sa 07:00-11:00"

    response = page.goto(page.base_url + f"/son-la/manage/spaces/{other.pk}/")
    assert response.status == 403
    page.goto(page.base_url + f"/son-la/spaces/{other.pk}/")
    assert page.locator("text=Edit this space").count() == 0
    assert page.locator(f'a[href="/son-la/manage/spaces/{other.pk}/"]').count() == 0


def test_administrator_imports_a_windows_1258_file_after_fixing_a_bad_row(
    page, transactional_db, login, city, areas, people
):
    from learningcity.places.models import LearningSpace
    from learningcity.places.tests.factories import SpaceTypeFactory

    SpaceTypeFactory(city=city)
    header = "code,name_vi,type,area,lat,lon,hours\n"
    good_row = (
        "SL-NTT-001,Ngôi nhà trí tuệ bản Mé Ban,house-of-wisdom,03670-MB,21.3001,103.8925,Mo-Su 08:00-20:00\n"
    )
    bad_row = (
        "SL-NTT-002,Ngôi nhà trí tuệ bản Hua La,house-of-wisdom,03670-HL,21.288,103.901,Mo-Su 08:00-20:00\n"
    )

    login("admin")
    page.goto(page.base_url + "/son-la/manage/spaces/import/")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "nha-tri-tue.csv",
                "mimeType": "text/csv",
                "buffer": to_cp1258(header + good_row + bad_row),
            }
        ],
    )
    with page.expect_navigation():  # the checked page, not the form still on screen
        page.click("form.stack button[type=submit]")
    error_rows = page.locator("table.row-errors tbody tr")
    expect(error_rows).to_have_count(1)
    cells = error_rows.first.locator("td").all_inner_texts()
    assert cells[0] == "3"
    assert cells[1] == "area"
    assert "03670-HL" in cells[2]
    assert not LearningSpace.objects.exists()

    fixed = bad_row.replace("03670-HL", "03670-MB")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "nha-tri-tue.csv",
                "mimeType": "text/csv",
                "buffer": to_cp1258(header + good_row + fixed),
            }
        ],
    )
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    with page.expect_navigation():
        page.click("button[name=apply]")
    expect(page.locator(".messages li")).not_to_have_count(0)
    assert page.url.endswith("/son-la/manage/spaces/")
    assert "Ngôi nhà trí tuệ bản Hua La" in page.locator("main table").inner_text()
    assert LearningSpace.objects.filter(city=city).count() == 2
