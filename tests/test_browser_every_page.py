"""Every page of the role walk, opened in Chromium at 360 px and checked with axe-core (issue 15, item 7).

The pages are generated like the role walk's (tests/test_role_walk.py): every named URL of the site outside the
Django admin and the API, with the small Son La demo's rows in its parameters, opened by a visitor (the pages
everyone may read) and by the city administrator (every page she may open). A page that answers with HTML must
have no serious or critical WCAG 2.1 A/AA violation. The strict HTML parse of the same pages runs in the role
walk itself (`html_errors`), for every person.
"""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.test_browser import axe_violations
from tests.test_role_walk import _cast, _demo, expected, load_matrix
from tests.walks import VICTIM, url_patterns

pytestmark = [pytest.mark.browser, pytest.mark.walk, pytest.mark.django_db(transaction=True)]

# Walked with GET only in the role walk; not pages to read (they redirect or change the session).
SKIP = {"logout", "set_language", "healthz"}


def _pages(values, matrix, who: str) -> list[tuple[str, str]]:
    pages = []
    for name, params, app_label, _route in url_patterns():
        if name is None or name.startswith(("api:", "admin:")) or name.split(":")[-1] in SKIP:
            continue
        allowed = expected(matrix, "pages", name, "GET") or set()
        if who not in allowed:
            continue
        try:
            pages.append((name, reverse(name, kwargs=values.for_params(params, app_label, VICTIM))))
        except NoReverseMatch:
            continue
    return pages


def test_every_page_has_no_serious_accessibility_violation(page, live_server):
    matrix = load_matrix()
    city, ctx = _demo()
    people, _raw, values = _cast(city, ctx)
    problems: list[str] = []
    checked = 0
    for who in ("anonymous", "city_admin"):
        page.context.clear_cookies()
        if people[who] is not None:
            client = Client()
            client.force_login(people[who])
            cookie = client.cookies["sessionid"]
            page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        for name, path in _pages(values, matrix, who):
            # Asked first without rendering: downloads (exports, calendars) and refusals are no pages to check.
            head = page.context.request.get(page.base_url + path, max_redirects=0)
            if head.status != 200 or "html" not in (head.headers.get("content-type") or ""):
                continue
            page.goto(page.base_url + path)
            checked += 1
            problems += [f"{path} ({name}) as {who}: {v}" for v in axe_violations(page)]
    assert checked >= 40, f"only {checked} pages were opened: the walk lost its pages"
    assert not problems, f"{len(problems)} serious accessibility violations:\n" + "\n".join(problems)
