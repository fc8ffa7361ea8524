"""Optional hooks that domain apps offer to the core, found by module name, so the core imports no domain app.

An app may have:
- `demo.py` with `load(ctx)` and an integer `ORDER`: its part of the demo city (`ctx.small` asks for few rows
  of each kind: the tests load the demo too);
- `figures.py` with `key_figures(city) -> list[tuple[str, str]]`: its key figures on the city home;
- `nav.py` with `public_links(city)` and `staff_links(city, user)`: its entries in the menus. The promise: the
  links depend on the city's slug, the active language and, for `staff_links`, the user's roles in the city and
  her network administrator's flag (ask through `core.permissions`: `has_role`, `roles_in`, `is_city_admin`),
  nothing else about her and no row that changes: `core.menus` keeps them per city, language and set of roles
  (`core/tests/test_menus.py` holds every hook to it);
- `attendance_hooks.py` with `bulk_insert(connection)`, a context manager: entered (inside the transaction, after
  the city's attendance lock) around a bulk insert of attendance rows by `programmes.services.attendance_writes`
  (`attendance_writes(city_id, bulk=True)`); only INSERTs into attendance run inside it. Analytics offers one.
  It may also have `bulk_memberships(connection)`, entered the same way around a bulk insert of memberships
  (`attendance_writes(city_id, bulk="memberships")`; only INSERTs into memberships inside). Analytics offers one.
- `restore_hooks.py` with `DERIVED` (labels of tables kept by triggers, never counted as "not empty") and
  `restore_load(connection)`, a context manager: entered inside `ops.archive.restore`'s
  transaction around the loading of every table; an app whose triggers keep tables from other tables suspends them
  there, so those tables come back as archived instead of being counted again. Analytics offers one.
- `person_hooks.py` with `person_export(*, learner) -> dict`, `person_erase(*, learner, actor)` and
  `person_merge(*, keep, duplicate, actor)`: an app's part of a person's export, erasure and merge, called by
  programmes.services.learners inside its transaction. The library offers one.
- `indicator_values.py` with `indicator_value(city, code, year)` -> an object with `value` (Decimal) and `source`
  (text), or None: an indicator an app computes from its own records; analytics uses it before typed values
  (budget offers LC.BUDGET.EDU and SDG11.4.1 from its lines; the library its reading indicators LC.LIBRARY.*);
- `funding.py` with `funding_for(city, kind, ids) -> dict[int, Funding]`, kind one of "programme", "space",
  "partnership", "practice"; Funding is a frozen dataclass (approved, executed: Decimal VND; lines: int).
  Budget offers it; partnerships and practices are linked by (kind, id);
- `city_profile.py` with `profile_facts(city) -> list[tuple[str, str]]`: (label, value) of the public facts of the
  city's GNLC profile (population, area in km², GDP per capita, years of schooling, year joined, ...). Reporting
  offers it.
- `field_actions.py` with `field_bundle(*, city, user) -> dict | None` (the JSON a person's phone may keep
  offline: only what her role may see, never ethnicity or disability she may not see) and `FIELD_ACTIONS`, a dict
  kind -> `handler(*, city, user, payload, memo) -> dict` that applies one action from a phone and raises
  `DomainError(reason, code=...)` for a conflict (codes and contract in docs/fieldwork.md); fieldwork makes each
  action apply once by its key. Programmes offers one.
- `indicator_results.py`: the indicators, their values and the city's targets for the apps above analytics
  (reporting, network), which import nothing from analytics. Exactly one app offers it (analytics); callers reach
  it through `core.indicators.indicator_results()`, typed by the protocol `core.indicators.IndicatorResults`:
  `indicator_list(city=)` (the active indicators, the city's and the national targets prefetched),
  `indicator_get(code=)` (an active one, else `IndicatorNotFound`), `indicators_by_code(codes=)` (inactive ones
  too), `indicators_active()`, `indicators_with_targets(indicators)` (those of `indicator_list` with a target),
  `indicator_reader(city=, period=, exact=)` (many indicators of one period sharing one measure query; its
  `result(code, by)` gives plain data, labels resolved, counts under 5 suppressed unless exact),
  `indicator_total(city=, indicator=, year=, exact=)` (a year's total row or None), `dimension_label(dim)`,
  `target_rows(city=, indicators=, exact=, years=)` (actual against target) and the one write,
  `city_target_set(actor=, city=, indicator=, year=, value=, note=)` (the city's target; the city administrator
  only).

`one_app_module(name)` gives the one app's module for a hook that exactly one app must offer, and fails naming the
hook when none or several do.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


@cache
def app_modules(name: str) -> tuple[ModuleType, ...]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("learningcity."):
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
    return tuple(found)


def one_app_module(name: str) -> ModuleType:
    found = app_modules(name)
    if len(found) != 1:
        offered = ", ".join(m.__name__ for m in found) or "no installed app"
        raise ImproperlyConfigured(
            f"Exactly one app must offer the {name!r} hook (core.registry); found: {offered}."
        )
    return found[0]
