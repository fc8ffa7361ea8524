"""The demo network end to end: its page and map, city profiles, library, a practice, comparison, partnerships."""

from learningcity.network.models import Network, Practice, SharedValue


def test_demo_network_pages(demo, client, django_assert_max_num_queries):
    city, _ctx = demo
    network = Network.objects.get(slug="asean3-demo")
    assert network.memberships.count() == 4
    assert Practice.objects.filter(city=city, status="published").count() == 3
    assert SharedValue.objects.filter(city=city).exists()

    page = client.get("/networks/asean3-demo/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-points="' in html
    assert "Son La" in html
    assert "Demo data" in html

    assert client.get("/networks/").status_code == 200
    profile = client.get("/networks/asean3-demo/cities/son-la/")
    assert profile.status_code == 200
    assert "Thai script clubs" in profile.content.decode()

    with django_assert_max_num_queries(12):
        search = client.get("/networks/asean3-demo/practices/", {"q": "chu thai"})
    assert search.status_code == 200
    assert "Thai script clubs" in search.content.decode()

    detail = client.get("/networks/asean3-demo/practices/son-la/thai-script-clubs/")
    text = detail.content.decode()
    assert detail.status_code == 200
    assert "Reviewed translation" in text
    assert "Draft translation" in text
    assert "How do you find teachers" in text

    compare = client.get("/networks/asean3-demo/compare/", {"indicator": "LC.PARTICIPATION"})
    assert compare.status_code == 200
    assert "Chiang Rai (demo)" in compare.content.decode()
    csv = client.get("/networks/asean3-demo/compare.csv", {"indicator": "LC.PARTICIPATION"})
    assert csv.status_code == 200
    assert b"Chiang Rai" in csv.content

    partners = client.get("/networks/asean3-demo/partnerships/")
    assert "Lau Lau Learning (Finland)" in partners.content.decode()
    assert "<svg" in partners.content.decode()
