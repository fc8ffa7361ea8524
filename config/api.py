"""The one API of the platform, under /api/v1/. Each domain adds its router here."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from learningcity.analytics.api import router as analytics_router
from learningcity.budget.api import router as budget_router
from learningcity.competitions.api import router as competitions_router
from learningcity.conferences.api import router as conferences_router
from learningcity.core.api import router as core_router
from learningcity.core.errors import DomainError, ImportRejected
from learningcity.fieldwork.api import router as fieldwork_router
from learningcity.library.api import router as library_router
from learningcity.network.api import router as network_router
from learningcity.places.api import router as places_router
from learningcity.programmes.api import router as programmes_router
from learningcity.reporting.api import router as reporting_router

_ERROR = {"type": "object", "properties": {"detail": {}}, "required": ["detail"]}
_COMMON_ERRORS = {
    "401": ("Authentication required.", lambda path, op: bool(op.get("security"))),
    "404": ("No such city or object.", lambda path, op: "{" in path),
    "422": ("The input is not valid.", lambda path, op: bool(op.get("parameters") or op.get("requestBody"))),
}


class PlatformAPI(NinjaAPI):
    """Documents the errors any operation may answer (401, 404, 422) in the OpenAPI schema, so clients (and the
    fuzzer, tests/test_api_fuzz.py) know every status code they can get, including on endpoints added later."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, (description, applies) in _COMMON_ERRORS.items():
                    if code not in responses and int(code) not in responses and applies(path, operation):
                        responses[code] = {
                            "description": description,
                            "content": {"application/json": {"schema": _ERROR}},
                        }
        return schema


api = PlatformAPI(
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
api.add_router("", library_router)
api.add_router("", budget_router)
api.add_router("", reporting_router)
api.add_router("", network_router)
api.add_router("", conferences_router)
api.add_router("", fieldwork_router)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    status = {"forbidden": 403, "rate_limited": 429}.get(exc.code, 400)
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=status)


@api.exception_handler(ImportRejected)
def import_rejected(request, exc: ImportRejected):
    return api.create_response(
        request,
        {"detail": _("The file was not imported."), "errors": [e.as_dict() for e in exc.errors]},
        status=400,
    )


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def not_found(request, exc):
    detail = str(exc) if isinstance(exc, Http404) and str(exc) else _("Not found.")
    return api.create_response(request, {"detail": detail}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(
        request, {"detail": _("Authentication required: send a valid token.")}, status=401
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
@api.exception_handler(IntegrityError)
def out_of_range(request, exc):
    # A number too large for the database (an id like 2**70, an offset past 2**63): the input is wrong, not the
    # server. SQLite says "datatype mismatch" for such a LIMIT/OFFSET; any other integrity error is a bug.
    if isinstance(exc, IntegrityError) and "datatype mismatch" not in str(exc):
        raise exc
    errors = [{"type": "out_of_range", "msg": _("A number is out of range.")}]
    return api.create_response(request, {"message": errors[0]["msg"], "detail": errors}, status=422)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """422 with the validator's errors per field (`detail`, as they were) and one sentence in the caller's
    language naming the fields (`message`): the validator's own texts are English."""
    fields = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("query", "from") -> "from"; ("body", "payload", "name_vi") -> "name_vi" (the body's parameter name)
        parts = loc[2:] if loc[:1] == ["body"] and len(loc) > 2 else (loc[1:] or loc)
        name = ".".join(parts)
        if name and name not in fields:
            fields.append(name)
    message = (
        _("These values are not valid: %(fields)s. Correct them and send the request again.")
        % {"fields": ", ".join(fields)}
        if fields
        else _("The request is not valid. Correct it and send it again.")
    )
    return api.create_response(request, {"message": message, "detail": exc.errors}, status=422)
