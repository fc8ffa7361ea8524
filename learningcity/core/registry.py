"""Optional hooks that domain apps offer to the core, found by module name, so the core imports no domain app.

An app may have:
- `demo.py` with `load(ctx)` and an integer `ORDER`: its part of the demo city (`ctx.small` asks for few rows
  of each kind: the tests load the demo too);
- `figures.py` with `key_figures(city) -> list[tuple[str, str]]`: its key figures on the city home;
- `nav.py` with `public_links(city)` and `staff_links(city, user)`: its entries in the menus;
- `attendance_hooks.py` with `bulk_insert(connection)`, a context manager: entered (inside the transaction, after
  the city's attendance lock) around a bulk insert of attendance rows by `programmes.services.attendance_writes`
  (`attendance_writes(city_id, bulk=True)`); only INSERTs into attendance run inside it. Analytics offers one.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

from django.apps import apps


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
