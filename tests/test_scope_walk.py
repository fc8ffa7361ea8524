"""Every write of the city tried on objects outside each person's scope, and by people whose role is gone.

tests/test_role_walk.py asks every URL and API operation with objects inside the scoped people's reach (the Mé Ban
house of wisdom, Chiềng Cơi ward). The holes of issue 16 were all one step outside that: a session of another
ward reached through an import, a programme placed at another ward's space, a role removed while a leadership
stayed. This walk, generated from the same URL configuration and OpenAPI document, asks:

1. **Outside the scope.** The coordinator of the Mé Ban space and the coordinator of Chiềng Cơi ward, on the
   objects of Tô Hiệu ward (its area, a space, a programme there, its session, a person living there). Every
   write (page forms as the city administrator saw them, with their space, area and programme fields pointed at
   Tô Hiệu; API bodies from the schema) must change no row of the city, unless `[outside]` in docs/roles.toml
   says that person's reach is the whole city for that endpoint. Staff pages about a scoped object (an area, a
   space, a programme, a session, a person, a membership) must refuse them the same way, unless `[outside]`
   says otherwise; public pages follow the matrix.
2. **Without a role.** The same coordinator of Mé Ban after his roles were taken away (still listed on the space
   and leading its programme) must get exactly what a resident gets, on every URL and operation; a viewer who
   leads the Mé Ban programme and is listed on its space exactly what a viewer gets. Leadership is no role.
3. **Imports, row by row.** Every page with a file upload is found from the walk (a POST form with a named
   `<input type="file">`; the scanner's unnamed photo input is read in the browser and sends nothing);
   each import page must have a sheet below whose rows point outside the uploader's scope, and applying it
   must change nothing. A new import page without a sheet here fails the test by name.
"""

import json
import os
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse

from learningcity.core.models import Area, RoleAssignment
from tests.test_role_walk import (
    GET_ONLY,
    Chosen,
    _admin_model,
    _cast,
    _demo,
    _forms,
    _last_audit_id,
    _outcome,
    _probe,
    expected,
    load_matrix,
    rule_for,
)
from tests.walks import VICTIM, _api_operations, _resolve, example, fingerprint, uploads_of, url_patterns

pytestmark = [pytest.mark.walk, pytest.mark.django_db(transaction=False)]

SCOPED = ("space_coordinator", "area_coordinator")
# Form fields that place a write somewhere: pointed at the outside rows.
PLACING_FIELDS = {
    "space": "space",
    "spaces": "space",
    "area": "area",
    "parent": "area",
    "programme": "programme",
}


class Recording(Chosen):
    """Chosen rows, remembering which models the last URL was built from."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.models: set = set()

    def for_params(self, params, app_label, slug):
        self.models = set()
        return super().for_params(params, app_label, slug)

    def row(self, model, chosen: dict):
        found = super().row(model, chosen)
        if found is not None:
            self.models.add(type(found))
        return found


def _scoped_models():
    from learningcity.places.models import LearningSpace, OpeningException, SpacePhoto
    from learningcity.programmes.models import ImportBatch, Learner, Membership, Programme, Schedule, Session

    return {
        Area,
        LearningSpace,
        OpeningException,
        SpacePhoto,
        Programme,
        Schedule,
        Session,
        Learner,
        Membership,
        ImportBatch,
    }


def _outside(city, ctx, inside: Chosen):
    """The rows of Tô Hiệu ward, outside both scoped people's reach."""
    from learningcity.places.models import LearningSpace, OpeningException, SpacePhoto
    from learningcity.programmes.models import ImportBatch, Learner, Membership, Programme, Session

    to_hieu = ctx.users["coord.tohieu"].role_assignments.get(city=city).area
    under = {"area__path__startswith": to_hieu.path}
    space = LearningSpace.objects.filter(city=city, **under).exclude(coordinators=ctx.users["space.meban"])
    space = space.order_by("pk").first()
    assert space is not None, "the demo has no space in Tô Hiệu ward"
    programme = Programme.objects.filter(city=city, spaces=space).order_by("pk")
    if not programme.exists():
        programme = Programme.objects.filter(city=city, spaces__area__path__startswith=to_hieu.path)
        programme = programme.order_by("pk")
    assert programme.exists(), "the demo has no programme in Tô Hiệu ward"
    OpeningException.objects.create(city=city, space=space, date_from="2030-01-01", date_to="2030-01-02")
    SpacePhoto.objects.create(
        city=city, space=space, image="walk-out.jpg", width=1, height=1, caption="Tô Hiệu"
    )
    ImportBatch.objects.create(city=city, actor=ctx.users["coord.tohieu"], file_name="tohieu.csv")
    learner = Learner.objects.filter(city=city, **under).order_by("pk")
    preferred = dict(inside.preferred)
    preferred.update(
        {
            Area: Area.objects.filter(city=city, path__startswith=to_hieu.path).order_by("-depth", "pk"),
            LearningSpace: LearningSpace.objects.filter(pk=space.pk),
            OpeningException: OpeningException.objects.filter(space=space),
            SpacePhoto: SpacePhoto.objects.filter(space=space),
            Programme: programme,
            Session: Session.objects.filter(programme__in=programme).order_by("pk"),
            Learner: learner,
            Membership: Membership.objects.filter(programme__in=programme).order_by("pk"),
            ImportBatch: ImportBatch.objects.filter(city=city, actor=ctx.users["coord.tohieu"]),
        }
    )
    rows = {
        "space": space,
        "area": preferred[Area].first(),
        "programme": programme.first(),
        "session": preferred[Session].first(),
        "learner": learner.first(),
    }
    return Recording(city, preferred, inside.fixed), rows


def _probes(values: Recording):
    """(kind, key, method, path, data, content type, models the path names), as the role walk builds them."""
    probes = []
    for name, params, app_label, _route in url_patterns():
        if (
            name is None
            or name.startswith("api:")
            or _admin_model(name) is not None
            or name.startswith("admin:")
        ):
            continue
        kwargs = values.for_params(params, app_label, VICTIM)
        models = set(values.models)
        try:
            path = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        probes.append(("pages", name, "GET", path, "", "text/html", models))
        if name.split(":")[-1] not in GET_ONLY:
            probes.append(("pages", name, "POST", path, "", "application/x-www-form-urlencoded", models))
    for template, method, op, components in _api_operations(Client()):
        params = []
        segs = [s for s in template.split("/") if s]
        for param in op.get("parameters", []):
            if param.get("in") == "path":
                idx = segs.index("{" + param["name"] + "}")
                schema = _resolve(param.get("schema", {}), components)
                params.append(
                    (param["name"], "int" if schema.get("type") == "integer" else "str", segs[:idx])
                )
        tags = op.get("tags") or []
        kwargs = values.for_params(params, tags[0] if tags else None, VICTIM)
        models = set(values.models)
        path = template.format(**kwargs)
        key = f"{method} {template.removeprefix('/api/v1')}"
        data, ctype = "", "application/json"
        body = op.get("requestBody", {}).get("content", {})
        if "application/json" in body:
            data = json.dumps(example(body["application/json"]["schema"], components, "", values, None))
        elif "multipart/form-data" in body:
            ctype = "multipart/form-data; boundary=BoUnDaRy"
        probes.append(("api", key, method, path, data, ctype, models))
    return probes


def _outside_rule(matrix: dict, kind: str, key: str, method: str) -> set[str] | None:
    """Who of the scoped people reaches this endpoint's objects in the whole city ([outside]); None: no line."""
    section = matrix.get("outside", {}).get(kind, {})
    rule = section.get(key)
    if rule is None:
        return None
    if isinstance(rule, dict):
        rule = rule.get(method.lower(), rule.get("all"))
        if rule is None:
            return None
    return {p for p in ([rule] if isinstance(rule, str) else rule) if p != "nobody"}


def _placed(data: dict, rows: dict) -> dict:
    """A form with its placing fields pointed at the outside rows."""
    out = dict(data)
    # the harvester's filler is no valid code: a write must be able to land
    if out.get("code") == "Tenancy probe":
        out["code"] = "walk-probe-1"
    for field, what in PLACING_FIELDS.items():
        if field in out and rows.get(what) is not None:
            out[field] = str(rows[what].pk)
    return out


def _walk(people: dict, probes, expect, forms_from: Client, rows: dict | None, problems, files):  # noqa: C901 - the walk itself: each branch is a case it reports
    """Ask each probe as each person; `expect(kind, key, method, who, models)` -> "allowed" | "refused" | None.

    The forms the writes send are those the city administrator sees on the same URLs (read first, so any row
    her reads add is in the baseline every probe is compared with)."""
    forms: dict[str, dict] = {}
    for kind, key, method, path, *_rest in probes:
        if kind == "pages" and method == "GET":
            response = forms_from.get(path)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                html = response.content.decode(errors="replace")
                for action, fields in _forms(html, path).items():
                    forms.setdefault(action, fields)
                if uploads_of(html):
                    files.add(key)
    clients = {}
    for who, user in people.items():
        clients[who] = Client(raise_request_exception=False)
        clients[who].force_login(user)
    baseline = (_CITY[0], fingerprint(_CITY[0]), _last_audit_id())
    for kind, key, method, path, data, ctype, models in probes:
        write = method != "GET"
        if write and kind == "pages" and path in forms:
            fields = _placed(forms[path], rows) if rows else forms[path]
            data = urlencode(fields, doseq=True)
        for who in people:
            verdict = expect(kind, key, method, who, models)
            if verdict is None:
                continue
            check = "refused?" if write and verdict == "refused" else ""
            response, wrote = _probe(clients[who], method, path, data, ctype, baseline, check)
            got = _outcome(response)
            if got == "error":
                problems.append(f"{method} {path} as {who}: server error {response.status_code}")
            elif got == "wrong method":
                continue
            elif write and verdict == "refused" and wrote:
                problems.append(f"{method} {path} [{key}] as {who}: changed the city's rows")
            elif not write and verdict == "refused" and got == "allowed":
                problems.append(
                    f"GET {path} [{key}] as {who}: allowed ({response.status_code}), expected refused"
                )
            elif verdict == "allowed" and got != "allowed":
                problems.append(
                    f"{method} {path} [{key}] as {who}: {got} ({response.status_code}), expected allowed"
                )


_CITY: list = []


def _sheets(rows: dict, city) -> dict:
    """Per import page: sheets whose rows point outside the scoped people's reach (bytes, extra form fields)."""
    from learningcity.library.tests.marcfiles import record as marc_record
    from learningcity.places.models import SpaceType

    learner, programme, session, area = rows["learner"], rows["programme"], rows["session"], rows["area"]
    ward = Area.objects.get(pk=int(area.path.strip("/").split("/")[1])) if area.depth > 1 else area
    space_type = SpaceType.objects.filter(city=city).order_by("pk").first() or SpaceType.objects.first()
    lat, lon = (float(area.lat or 21.33), float(area.lon or 103.92))
    return {
        "programme_import": [
            (
                f"code,programme,date\n{learner.code},{programme.code},{session.date.isoformat()}\n",
                {"programme": ""},
            ),
            # a space coordinator records anyone's consent (she corrects anyone, docs/roles.md)
            (f"code,consent\n{learner.code},yes\n", {"programme": ""}, {"space_coordinator"}),
        ],
        "places:manage_import": [
            (
                "code,name_vi,type,area,lat,lon,hours,facilities\n"
                f"WALK-OUT-1,Nhà văn hoá ngoài phạm vi,{space_type.code},{area.code},{lat},{lon},,\n",
                {},
            )
        ],
        "area_import": [(f"code,name,level,parent_code\nWALK-OUT-H,Bản ngoài,hamlet,{ward.code}\n", {})],
        "analytics_population_import": [(f"area_code,year,count\n{ward.code},2025,1234\n", {})],
        # the city's catalogue: only its librarians and administrators import (a MARC 21 record as the file)
        "library:marc_import": [(marc_record("Sách ngoài phạm vi").as_marc().decode(), {})],
        # the city's budget: no coordinator imports it at all
        "budget:line_import": [
            ("year,phase,code,amount,source,unit\n2026,proposed,070-071,1000,state,X\n", {"year": "2026"})
        ],
    }


def _upload(client: Client, path: str, sheet: str, extra: dict, baseline) -> tuple[bool, int]:
    """Upload a sheet, and apply it where a preview offers to: did any row of the city change?"""
    from django.db import transaction

    city, rows, _audit = baseline
    with transaction.atomic():
        data = {"file": SimpleUploadedFile("walk.csv", sheet.encode()), **extra}
        response = client.post(path, data)
        body = response.content.decode(errors="replace")
        status = response.status_code
        token = None
        marker = 'name="token" value="'
        if marker in body:
            token = body.split(marker, 1)[1].split('"', 1)[0]
        if token:
            fields = {"token": token, "apply": "1", **{k: v for k, v in extra.items() if v}}
            response = client.post(path, fields)
            status = response.status_code
        wrote = fingerprint(city) != rows
        transaction.set_rollback(True)
    return wrote, status


def test_no_write_reaches_outside_the_scope_and_no_right_outlives_its_role():  # noqa: C901 - one story over every write target
    matrix = load_matrix()
    city, ctx = _demo()
    people, _raw, inside = _cast(city, ctx)
    admin = Client(raise_request_exception=False)
    admin.force_login(people["city_admin"])
    inside_values = Recording(city, inside.preferred, inside.fixed)
    outside_values, rows = _outside(city, ctx, inside)
    scoped_models = _scoped_models()
    problems: list[str] = []
    files: set[str] = set()

    # 1. Outside the scope.
    def outside_expect(kind, key, method, who, models):
        reach = _outside_rule(matrix, kind, key, method)
        allowed = expected(matrix, kind, key, method) or set()
        if who not in allowed:
            return None  # refused everywhere: the role walk asserts it
        if reach is not None:
            return "allowed" if who in reach else "refused"
        if method == "GET":
            public = "anonymous" in allowed
            return None if public or not (models & scoped_models) else "refused"
        return "refused"

    _CITY[:] = [city]
    scoped = {who: people[who] for who in SCOPED}
    _walk(scoped, _probes(outside_values), outside_expect, admin, rows, problems, files)

    # 2. Without a role: the former coordinator gets what a resident gets, a leading viewer what a viewer gets.
    from learningcity.programmes.models import Programme

    former = people["space_coordinator"]
    RoleAssignment.objects.filter(user=former, city=city).delete()
    viewer = people["viewer"]
    programme = Programme.objects.filter(leaders=former, city=city).order_by("pk").first()
    programme.leaders.add(viewer)
    for space in programme.spaces.all():
        space.coordinators.add(viewer)
    stand_in = {"former_coordinator": "resident", "leading_viewer": "viewer"}

    def roleless_expect(kind, key, method, who, models):
        if kind == "pages" and (rule_for(matrix["pages"], key) is None or key.startswith("admin:")):
            return None
        allowed = expected(matrix, kind, key, method)
        if allowed is None or allowed == {"resident"}:
            return None  # no line, or a page only its owner opens (the walk's resident owns the entry)
        return "allowed" if stand_in[who] in allowed else "refused"

    roleless = {"former_coordinator": former, "leading_viewer": viewer}
    _walk(roleless, _probes(inside_values), roleless_expect, admin, None, problems, set())

    # 3. Imports, row by row: every upload page found above has its sheets, and none writes outside the scope.
    RoleAssignment.objects.create(user=former, city=city, role="space_coordinator")
    sheets = _sheets(rows, city)
    not_imports = set(matrix.get("outside", {}).get("uploads", []))
    uploads = files - not_imports
    if stale := sorted(not_imports - files):
        problems.append(f"[outside] uploads in docs/roles.toml names pages with no upload form: {stale}")
    missing = sorted(uploads - set(sheets))
    if missing:
        problems.append(f"import pages with no sheet in tests/test_scope_walk.py (_sheets): {missing}")
    baseline = (city, fingerprint(city), _last_audit_id())
    for key, items in sheets.items():
        path = reverse(key, kwargs={"city_slug": city.slug})
        for who in SCOPED:
            client = Client(raise_request_exception=False)
            client.force_login(people[who])
            for sheet, extra, *reach in items:
                wrote, status = _upload(client, path, sheet, extra, baseline)
                if status >= 500:
                    problems.append(f"import {key} as {who}: server error {status}")
                if wrote and who not in (reach[0] if reach else ()):
                    problems.append(
                        f"import {key} as {who}: a sheet outside the scope changed the city's rows"
                    )
        # the city administrator's import of the same sheet is accepted (the sheets are valid, not just refused)
        wrote, status = _upload(admin, path, items[0][0], items[0][1], baseline)
        if not wrote:
            problems.append(f"import {key} as city_admin: the outside sheet was not applied ({status})")

    if os.environ.get("ROLE_WALK_PRINT") == "1":
        print("\n".join(problems))
    assert not problems, f"{len(problems)} reaches outside the scope:\n" + "\n".join(problems[:80])
