"""The menus of a city's pages, built once per process for each city, language and set of roles (issue 17).

Every page of a signed-in person shows some thirty links gathered from the apps' `nav.py` hooks; asking each hook,
resolving and escaping each link took about a quarter of a staff page's CPU. The menus are therefore kept, as the
links and their HTML, under a key of everything they may depend on:

- the city's id and slug, the active language, the script prefix and the URL configuration;
- the person's **roles in the city** (`core.permissions.roles_in`, read from the database on every request: a role
  given or taken away changes the key, so the next page shows the new menus at once) and whether she is a network
  administrator (`core.permissions.is_network_admin`, from the user row loaded for the request).

That is the hooks' promise (core.registry, `nav.py`): `public_links(city)` depends on the city's slug only, and
`staff_links(city, user)` on the city's slug and the user's roles there (the set, with the network administrator's
flag), through the helpers of `core.permissions`, never on anything else about her (her areas, her spaces, her
name) or on rows that change. `core/tests/test_menus.py` holds every installed hook to it. Nothing personal is in
the menus: the "Log out (name)" entry and its CSRF token stay in the template.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .links import city_url
from .permissions import is_network_admin, is_staff_of, roles_in
from .registry import app_modules

MAX_ENTRIES = 2048  # cities x languages x role sets in use; a full store starts afresh


@dataclass(frozen=True)
class Menus:
    home: str  # the city's home page (the brand link)
    public_links: tuple[tuple[str, str], ...]
    staff_links: tuple[tuple[str, str], ...]
    public_html: SafeString  # the <li> entries
    staff_html: SafeString  # the same, with class="staff"


_store: dict[tuple, Menus] = {}
_lock = threading.Lock()


def menus_key(city, user) -> tuple:
    """Everything the menus of `city` may depend on for `user` (see the module's docstring)."""
    return (
        city.pk,
        city.slug,
        get_language(),
        get_script_prefix(),
        str(get_urlconf() or settings.ROOT_URLCONF),
        is_network_admin(user),
        roles_in(user, city),
    )


def build_menus(city, user) -> Menus:
    """Ask every app's nav hooks (core.registry) for the menus of `city` as `user` sees them; labels as text."""
    public: list[tuple[str, str]] = []
    staff: list[tuple[str, str]] = []
    staff_member = is_staff_of(user, city)
    for module in app_modules("nav"):
        if hasattr(module, "public_links"):
            public.extend((str(label), url) for label, url in module.public_links(city))
        if staff_member and hasattr(module, "staff_links"):
            staff.extend((str(label), url) for label, url in module.staff_links(city, user))
    return Menus(
        city_url("city_home", city.slug),
        tuple(public),
        tuple(staff),
        format_html_join("", '<li><a href="{}">{}</a></li>', ((url, label) for label, url in public)),
        format_html_join(
            "", '<li class="staff"><a href="{}">{}</a></li>', ((url, label) for label, url in staff)
        ),
    )


def menus_for(city, user) -> Menus:
    """The menus of `city` for `user`, from the per-process store when a page with the same key built them."""
    key = menus_key(city, user)
    found = _store.get(key)
    if found is None:
        found = build_menus(city, user)
        with _lock:
            if len(_store) >= MAX_ENTRIES:
                _store.clear()
            _store[key] = found
    return found


def clear() -> None:
    """Forget every stored menu (tests that change a hook)."""
    with _lock:
        _store.clear()


@dataclass(frozen=True)
class Frame:
    """What the base page shows around every page that depends only on the language: its site-wide links and the
    language switch's buttons (kept per process, `page_frame`)."""

    urls: dict[str, str]  # home, set_language, login, logout, openapi
    language_buttons: SafeString


SITE_URLS = {
    "home": "home",
    "set_language": "set_language",
    "login": "login",
    "logout": "logout",
    "openapi": "api:openapi-view",
}


@lru_cache(maxsize=64)
def _frame(language: str, prefix: str, urlconf: str, languages: tuple) -> Frame:
    buttons = format_html_join(
        "",
        '\n        <button type="submit" name="language" value="{}" lang="{}"{}>{}</button>\n      ',
        (
            (code, code, mark_safe(' aria-current="true"') if code == language else "", _button_label(code))
            for code, _name in languages
        ),
    )
    return Frame({key: reverse(name) for key, name in SITE_URLS.items()}, buttons)


def _button_label(code: str) -> str:
    return "Tiếng Việt" if code == "vi" else "English"


def page_frame() -> Frame:
    """The base page's site links and language buttons for the active language."""
    return _frame(
        get_language(),
        get_script_prefix(),
        str(get_urlconf() or settings.ROOT_URLCONF),
        tuple((code, str(name)) for code, name in settings.LANGUAGES),
    )
