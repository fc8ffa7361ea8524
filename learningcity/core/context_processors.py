from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .menus import menus_for, page_frame


def platform(request):
    """The current city (when the URL names one) and the menus the apps offer for it (core.menus: built once per
    city, language and set of roles, looked up when a template first shows them)."""
    city = getattr(request, "city", None)
    if city is None:
        return {
            "city": None,
            "menus": None,
            "public_links": (),
            "staff_links": (),
            "languages": settings.LANGUAGES,
            "frame": page_frame(),
        }
    menus = SimpleLazyObject(lambda: menus_for(city, request.user))
    return {
        "city": city,
        "menus": menus,
        # callables: a template calls them when it reads them (the back office's home lists the staff links)
        "public_links": lambda: menus.public_links,
        "staff_links": lambda: menus.staff_links,
        "languages": settings.LANGUAGES,
        "frame": page_frame(),
    }
