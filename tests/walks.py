"""The machinery of the walks over every URL and API operation (tests/test_tenancy.py, test_scope_walk.py,
test_role_walk.py, test_exports.py, test_browser_every_page.py): the two cities, snapshots of a city's rows, the
URL patterns and their parameters, forms harvested from pages, bodies built from the OpenAPI schema."""

import json
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from learningcity.core.demo import DemoContext, create_city
from learningcity.core.models import City, Role, RoleAssignment, User
from learningcity.core.registry import app_modules
from learningcity.core.services.accounts import api_token_create
from learningcity.core.tests.factories import CityFactory, user_with_role

VICTIM, ATTACKER = "son-la", "hue"
REFUSED = {401, 403, 404, 405}
# Patterns that hold no city data, or whose use would end the walk: checked elsewhere (test_security, test_pages).
NOT_CITY_WRITES = {"logout", "login", "set_language", "password_reset", "password_reset_confirm"}
FORMAT_VALUES = ["csv", "json", "geojson", "xlsx", "ics", "pdf"]


# ----------------------------------------------------------------------------------------------- the two cities
def _victim() -> tuple[City, User]:
    city = create_city()
    ctx = DemoContext(city=city, password="demo-password-123", log=lambda *a: None, small=True)
    for module in sorted(app_modules("demo"), key=lambda m: getattr(m, "ORDER", 100)):
        module.load(ctx)
    return city, ctx.users["network"]


def _attacker():
    city = CityFactory(slug=ATTACKER, name_vi="Huế", name_en="Hue", bounds=[20.55, 103.15, 22.05, 105.15])
    admin = user_with_role(
        city, Role.CITY_ADMIN, username="hue.admin", full_name="Attacker Admin", is_staff=True
    )
    space = user_with_role(city, Role.SPACE_COORDINATOR, username="hue.space", full_name="Attacker Space")
    _, raw = api_token_create(actor=admin, user=admin, city=city, name="integration")
    return city, admin, space, raw


def city_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "city"), None)
        if field is not None and field.is_relation and field.related_model is City:
            found.append(model)
    return found


# ------------------------------------------------------------------------------------- what the victim holds
def snapshot(city: City) -> dict:
    """Every row of the city (and its m2m links, and its staff's accounts), for a before/after comparison."""
    data: dict = {"city": list(City.objects.filter(pk=city.pk).values())}
    for model in city_models():
        label = model._meta.label
        data[label] = list(model._base_manager.filter(city=city).order_by("pk").values())
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            source = m2m.m2m_field_name()
            data[f"{label}.{m2m.name}"] = sorted(
                through._base_manager.filter(**{f"{source}__city": city}).values_list(flat=False)
            )
    staff = RoleAssignment.objects.filter(city=city).values("user_id")
    data["staff"] = list(
        User.objects.filter(pk__in=staff)
        .order_by("pk")
        .values("pk", "password", "email", "is_active", "username")
    )
    return data


def fingerprint(city: City) -> tuple:
    """Cheap per-request check, one query: row counts of the city's tables (service writes add an audit row too)."""
    from django.db import connection

    tables = [m._meta.db_table for m in city_models()]
    counts = [f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)} WHERE city_id = %s)" for t in tables]  # noqa: S608
    sql = "SELECT " + ", ".join(counts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [city.pk] * len(tables))  # table names come from the models
        return tuple(cursor.fetchone())


def diff(before: dict, after: dict) -> list[str]:
    return [key for key in before if before[key] != after.get(key)]


def cross_city_links(attacker: City, victim: City) -> list[str]:
    """Rows of the attacker's city that point at rows of the victim's city."""
    found = []
    scoped = set(city_models())
    for model in scoped:
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in scoped:
                n = model._base_manager.filter(city=attacker, **{f"{field.name}__city": victim}).count()
                if n:
                    found.append(f"{model._meta.label}.{field.name}: {n}")
    return found


def canaries(victim: City, attacker: City) -> list[str]:
    """Text that only the victim's records hold: seeing it on the attacker's own pages is a leak."""
    own: set[str] = set()
    theirs: set[str] = set()
    for model in city_models():
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if not text_fields:
            continue
        for city, bucket in ((victim, theirs), (attacker, own)):
            for row in model._base_manager.filter(city=city).order_by("-pk").values_list(*text_fields)[:12]:
                bucket.update(v.strip() for v in row if isinstance(v, str) and len(v.strip()) >= 10)
    public = " ".join([victim.name_vi, victim.name_en, victim.description_vi, victim.description_en])
    source = _source_text()
    return sorted(
        t
        for t in theirs - own
        if " " in t.strip()
        and t not in public
        and t not in source
        and "<" not in t
        and not t.startswith("http")
    )


def _source_text() -> str:
    """Every string the code ships (templates, catalogues, seed data): text found there is not a city's data."""
    root = Path(settings.BASE_DIR) / "learningcity"
    parts = []
    for pattern in ("*.py", "*.html", "*.po", "*.json", "*.csv", "*.txt"):
        for path in root.rglob(pattern):
            if "static" not in path.parts and path.stat().st_size < 3_000_000:
                parts.append(path.read_text(errors="ignore"))
    return "\n".join(parts)


# ------------------------------------------------------------------------------------------ choosing values
def _singular(word: str) -> str:
    word = word.replace("-", "").replace("_", "").lower()
    for suffix, repl in (("ies", "y"), ("ses", "s"), ("s", "")):
        if word.endswith(suffix) and len(word) > 3:
            return word[: -len(suffix)] + repl
    return word


# Id parameters whose name is a role, not a model: a hold's pickup is a bookcase (a learning space).
PARAM_ALIASES = {"pickup": "learningspace"}


def guess_models(param: str, before: list[str], app_label: str | None) -> list[type[models.Model]]:
    """The model an id parameter names: `space_id` -> LearningSpace, `pk` after `spaces/` -> LearningSpace."""
    base = re.sub(r"(_id|_pk|id|pk)$", "", param.lower())
    base = PARAM_ALIASES.get(base, base)
    words = [_singular(base)] if base else []
    words += [_singular(s) for s in reversed(before) if s and not s.startswith(("<", "{")) and s != "manage"][
        :1
    ]
    scoped = city_models()
    for word in words:
        if not word:
            continue
        matches = [m for m in scoped if m._meta.model_name == word or m._meta.model_name.endswith(word)]
        if app_label:
            matches.sort(key=lambda m: m._meta.app_label != app_label)
        if matches:
            return matches
    return [m for m in scoped if m._meta.app_label == app_label] or scoped


class Values:
    """Values for URL parameters: the victim's rows, consistent with each other (a photo of that space)."""

    def __init__(self, victim: City):
        self.victim = victim
        self.cache: dict = {}

    def row(self, model, chosen: dict):
        qs = model._base_manager.filter(city=self.victim).order_by("pk")
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in chosen:
                narrowed = qs.filter(**{field.attname: chosen[field.related_model].pk})
                if narrowed.exists():
                    return narrowed.first()
        return qs.first()

    def for_params(self, params: list[tuple[str, str, list[str]]], app_label: str | None, slug: str):
        """params: (name, kind, route segments before it). Returns a dict or None when nothing fits."""
        values: dict = {}
        chosen: dict = {}
        # The city is `city_slug` in page routes and `slug` in API routes; where both appear (a competition's
        # pages), `slug` is the competition's and is filled with a real one of the victim city.
        city_param = "city_slug" if any(p[0] == "city_slug" for p in params) else "slug"
        for name, kind, before in params:
            if name == city_param:
                values[name] = slug
                continue
            if name in ("fmt", "format", "ext"):
                values[name] = FORMAT_VALUES[0]
                continue
            if name == "app_label":
                values[name] = "core"
                continue
            if name in ("uidb64", "token"):
                values[name] = "MQ" if name == "uidb64" else "set-password"
                continue
            row = None
            for model in guess_models(name, before, app_label):
                row = self.row(model, chosen)
                if row is not None:
                    chosen[type(row)] = row
                    break
            if row is None:
                values[name] = 999999 if kind == "int" else "999999"
                continue
            if kind == "uuid":
                uuid_field = next(
                    (f for f in row._meta.concrete_fields if isinstance(f, models.UUIDField)), None
                )
                values[name] = getattr(row, uuid_field.attname) if uuid_field else row.pk
            elif kind in ("slug", "str") and hasattr(row, name):
                values[name] = getattr(row, name)
            else:
                values[name] = row.pk
        return values


# --------------------------------------------------------------------------------------------- URL patterns
def url_patterns():
    """(full name, [(param, kind, segments before)], app label, route) for every pattern (name None: unnamed)."""
    found = []

    def walk(resolver, prefix, namespaces, params, full_route=""):
        for entry in resolver.url_patterns:
            route = str(entry.pattern)
            whole = full_route + route
            segs = prefix + [s for s in re.split(r"[/.]", route) if s]
            new_params = list(params)
            converters = getattr(entry.pattern, "converters", {})
            for name in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
                name = next(n for n in name if n)
                kind = (
                    type(converters[name]).__name__.replace("Converter", "").lower()
                    if name in converters
                    else "str"
                )
                before = (
                    segs[: segs.index(next(s for s in segs if name in s))]
                    if any(name in s for s in segs)
                    else segs
                )
                new_params.append((name, kind, before))
            if isinstance(entry, URLResolver):
                ns = namespaces + ([entry.namespace] if entry.namespace else [])
                walk(entry, segs, ns, new_params, whole)
            elif isinstance(entry, URLPattern):
                module = getattr(entry.callback, "__module__", "") or ""
                app_label = module.split(".")[1] if module.startswith("learningcity.") else None
                name = ":".join([*namespaces, entry.name]) if entry.name else None
                found.append((name, new_params, app_label, whole))

    walk(get_resolver(), [], [], [])
    return found


def admin_params(name: str, params):
    """Admin URLs name their model: admin:places_learningspace_change -> that model's victim row."""
    match = re.match(r"admin:(\w+?)_(\w+)_(change|delete|history)$", name)
    if not match:
        return params, None
    try:
        model = apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return params, None
    return params, model


# ----------------------------------------------------------------------------------------- HTTP and forms
class FormHarvester(HTMLParser):
    """The POST forms of a page with the values they carry, as a browser would submit them.

    `uploads` names the file fields those forms would send. A file input with no `name` (the shared scanner's
    photo of a badge, core/templates/core/_scan.html, read in the browser) or outside a POST form sends nothing:
    it is no upload."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.uploads: list[str] = []
        self.current: dict | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.current = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self.current)
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            self._input(name, (a.get("type") or "text").lower(), a)
        elif tag == "select" and name:
            self.select = name
            self.current["fields"].append((name, None))
        elif tag == "option" and self.select:
            fields = self.current["fields"]
            last = fields[-1]
            if last[1] is None or "selected" in a:
                fields[-1] = (last[0], a.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.current["fields"].append((name, "Tenancy probe"))

    def _input(self, name: str, kind: str, a: dict) -> None:
        assert self.current is not None
        if kind in ("checkbox", "radio") and "checked" not in a:
            return
        if kind == "file":
            self.uploads.append(name)
        if kind in ("submit", "button", "file", "image", "reset"):
            return
        value = a.get("value") or ""
        if kind in ("text", "search", "") and value and name != "csrfmiddlewaretoken":
            value += " X"  # a change that would show if it got through
        if kind in ("text", "") and not value and "required" in a:
            value = "Tenancy probe"
        self.current["fields"].append((name, value))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def harvest(html: str, path: str) -> dict:
    parser = FormHarvester()
    parser.feed(html)
    for form in parser.forms:
        if form["action"] in ("", path) or form["action"].startswith(path + "?"):
            data: dict = defaultdict(list)
            for name, value in form["fields"]:
                data[name].append(value or "")
            return {k: v if len(v) > 1 else v[0] for k, v in data.items()}
    return {}


def uploads_of(html: str) -> list[str]:
    """The file fields a page's POST forms send (empty for a page with no upload form)."""
    parser = FormHarvester()
    parser.feed(html)
    return parser.uploads


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


def refused(response) -> bool:
    if response.status_code in REFUSED:
        return True
    location = response.get("Location", "")
    return response.status_code in (301, 302) and (
        "/accounts/login/" in location or "/admin/login/" in location
    )


def normalized(response, names: list[str]):
    body = body_of(response)
    kind = response.get("Content-Type", "")
    if "json" in kind:
        try:
            return (response.status_code, json.loads(body))
        except ValueError:
            return (response.status_code, body)
    if "html" in kind:
        text = body.decode(errors="replace")
        main = re.search(r"<main.*?</main>", text, re.S)
        text = main.group(0) if main else text
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
        for name in names:
            text = text.replace(name, "<person>")
        return (response.status_code, text)
    if kind.startswith("text/"):
        lines = [
            ln for ln in body.decode(errors="replace").splitlines() if not ln.startswith(("DTSTAMP", "X-"))
        ]
        return (response.status_code, lines)
    return (response.status_code, kind, round(len(body), -3))


# ------------------------------------------------------------------------------------------------ the walk
def _api_operations(client: Client):
    spec = client.get("/api/v1/openapi.json").json()
    components = spec.get("components", {}).get("schemas", {})
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if method.upper() not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                continue
            yield path, method.upper(), op, components


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].split("/")[-1]]
    if "allOf" in schema:
        return _resolve(schema["allOf"][0], components)
    if "anyOf" in schema:
        return _resolve(
            next((s for s in schema["anyOf"] if s.get("type") != "null"), schema["anyOf"][0]), components
        )
    return schema


def example(schema: dict, components: dict, name: str, ids: Values, app_label, depth: int = 0):
    """A plausible value for a schema: the victim's ids for *_id fields, points inside the province."""
    schema = _resolve(schema, components)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        return {
            key: example(sub, components, key, ids, app_label, depth + 1)
            for key, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return (
            [example(schema.get("items", {}), components, name, ids, app_label, depth + 1)]
            if depth < 3
            else []
        )
    if kind == "integer":
        if name.endswith("_id") or name.endswith("_ids"):
            return ids.for_params([(name.removesuffix("s"), "int", [])], app_label, VICTIM)[
                name.removesuffix("s")
            ]
        return 1
    if kind == "number":
        return {"lat": 21.33, "lon": 103.9}.get(name, 1.0)
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    if fmt == "date":
        return "2025-09-01"
    if fmt == "date-time":
        return "2025-09-01T08:00:00+07:00"
    if fmt == "uuid":
        return "00000000-0000-0000-0000-000000000000"
    return "Tenancy probe"


def _encode(form: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(form, doseq=True)
