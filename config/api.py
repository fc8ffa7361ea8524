"""The one API of the platform, under /api/v1/. Each domain adds its router here."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from learningcity.analytics.api import router as analytics_router
from learningcity.competitions.api import router as competitions_router
from learningcity.core.api import router as core_router
from learningcity.core.errors import DomainError, ImportRejected
from learningcity.places.api import router as places_router
from learningcity.programmes.api import router as programmes_router

api = NinjaAPI(
    title="Learning City API",
    version="1",
    description="Open data and integrations for UNESCO learning cities.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

api.add_router("", core_router)
api.add_router("", places_router)
api.add_router("", programmes_router)
api.add_router("", analytics_router)
api.add_router("", competitions_router)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    status = 403 if exc.code == "forbidden" else 400
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=status)


@api.exception_handler(ImportRejected)
def import_rejected(request, exc: ImportRejected):
    return api.create_response(
        request,
        {"detail": _("The file was not imported."), "errors": [e.as_dict() for e in exc.errors]},
        status=400,
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(
        request, {"detail": _("Authentication required: send a valid token.")}, status=401
    )


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": exc.errors}, status=422)
