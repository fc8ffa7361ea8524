from django.conf import settings

from .permissions import is_staff_of
from .registry import app_modules


def platform(request):
    """The current city (when the URL names one) and the menus the apps offer for it."""
    city = getattr(request, "city", None)
    public_links: list = []
    staff_links: list = []
    if city is not None:
        for module in app_modules("nav"):
            if hasattr(module, "public_links"):
                public_links.extend(module.public_links(city))
            if hasattr(module, "staff_links") and is_staff_of(request.user, city):
                staff_links.extend(module.staff_links(city, request.user))
    return {
        "city": city,
        "public_links": public_links,
        "staff_links": staff_links,
        "languages": settings.LANGUAGES,
    }
