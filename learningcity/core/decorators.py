"""View decorators every app uses: resolve the city from the URL, and keep staff pages to staff."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .permissions import is_staff_of
from .tenancy import city_get


def with_city(view):
    """Resolve <city_slug> to a public city (404 in the visitor's language) and put it on the request."""

    @wraps(view)
    def wrapper(request, city_slug, *args, **kwargs):
        request.city = city_get(city_slug)
        return view(request, request.city, *args, **kwargs)

    return wrapper


def staff_only(view):
    """Any role in the city; otherwise login, or 403 for people of other cities."""

    @login_required
    @wraps(view)
    def wrapper(request, city, *args, **kwargs):
        if not is_staff_of(request.user, city):
            raise PermissionDenied(_("You have no role in this city."))
        return view(request, city, *args, **kwargs)

    return wrapper
