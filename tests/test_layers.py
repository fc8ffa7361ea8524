"""The layers of the house (docs/architecture.md, "The layers"), read from every module's imports.

- The core imports no other app of the platform.
- No app but analytics imports any analytics module: neither the domain apps (places, programmes, competitions,
  library, budget, fieldwork) nor the apps above it (reporting, network, ops...). Those above reach its indicators,
  their values and the city's targets through the `indicator_results` hook that analytics offers (core.registry,
  found by name; typed by `core.indicators`). Analytics' selectors, services, measures, labels, models and the like
  are its own.

Every import counts, wherever it stands (at the top, inside a function, under TYPE_CHECKING); relative imports are
resolved. Tests (`tests/` packages) and migrations are left out: a test may open any layer to check a figure, and
a migration names its dependencies, not imports. A breach fails with its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "learningcity"

DOMAIN_APPS = {"places", "programmes", "competitions", "library", "budget", "fieldwork"}
ANALYTICS = "learningcity.analytics"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _exists(dotted: str) -> bool:
    """Whether a dotted name under learningcity is a module or package of the source tree."""
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def imported_modules(source: str, module: str, *, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) for every import of a learningcity module in the file, relative ones resolved.

    `from learningcity.analytics import selectors` names the module learningcity.analytics.selectors;
    `from learningcity.analytics.selectors import indicator_list` names learningcity.analytics.selectors."""
    tree = ast.parse(source, filename=module)
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base_parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.append((node.lineno, candidate if _exists(candidate) else base))
    ours = [
        (line, name) for line, name in found if name == "learningcity" or name.startswith("learningcity.")
    ]
    return list(dict.fromkeys(ours))  # once per line and module


def _app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def breach(app: str, imported: str) -> str:
    """Why an import from `app` breaks the layers, or ""."""
    target = _app_of(imported)
    if app == "core" and target not in ("core", ""):
        return f"the core imports the app {target!r}"
    if imported == "learningcity" and app == "core":
        return "the core imports the whole platform"
    if app == "analytics" or not _within(imported, ANALYTICS):
        return ""  # `import learningcity` alone reaches nothing
    if app in DOMAIN_APPS:
        return f"the domain app {app!r} imports analytics ({imported})"
    return (
        f"{app!r} imports analytics ({imported}); reach it through its indicator_results hook "
        "(core.indicators.indicator_results)"
    )


def source_files() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if "tests" not in p.relative_to(PACKAGE).parts and "migrations" not in p.relative_to(PACKAGE).parts
    )


def file_breaches(name: str, source: str, module: str, *, is_package: bool = False) -> list[str]:
    app = _app_of(module)
    out = []
    for line, imported in imported_modules(source, module, is_package=is_package):
        why = breach(app, imported)
        if why:
            out.append(f"{name}:{line}: {why}")
    return out


def breaches(files: list[Path]) -> list[str]:
    out = []
    for path in files:
        out += file_breaches(
            str(path.relative_to(ROOT)),
            path.read_text(encoding="utf-8"),
            _module_name(path),
            is_package=_is_package(path),
        )
    return out


def test_the_layers_hold():
    found = breaches(source_files())
    assert not found, "imports across the layers:\n" + "\n".join(found)


def test_every_app_is_walked():
    apps = {_app_of(_module_name(p)) for p in source_files()}
    assert apps >= DOMAIN_APPS | {"core", "analytics", "reporting", "network"}


@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("library", "from learningcity.analytics.suppression import suppress\n", "domain app 'library'"),
        ("budget", "from learningcity.analytics import selectors\n", "domain app 'budget'"),
        ("places", "def f():\n    import learningcity.analytics.models\n", "domain app 'places'"),
        (
            "reporting",
            "from learningcity.analytics.measures import MeasureQuery\n",
            "'reporting' imports analytics",
        ),
        ("network", "from learningcity.analytics import charts\n", "'network' imports analytics"),
        ("network", "from learningcity.analytics.services import targets\n", "'network' imports analytics"),
        ("network", "from learningcity import analytics\n", "'network' imports analytics"),
        (
            "network",
            "from learningcity.analytics.selectors.targets import target_rows\n",
            "imports analytics",
        ),
        ("reporting", "from learningcity.analytics import selectors\n", "'reporting' imports analytics"),
        ("reporting", "from learningcity.analytics.services import city_target_set\n", "imports analytics"),
        ("network", "from learningcity.analytics.selectors import indicator_result\n", "imports analytics"),
        ("ops", "import learningcity.analytics.indicator_results\n", "'ops' imports analytics"),
        (
            "network",
            "if TYPE_CHECKING:\n    from learningcity.analytics.models import Indicator\n",
            "imports analytics",
        ),
        ("core", "from learningcity.programmes.models import Learner\n", "core imports the app 'programmes'"),
        ("analytics", "from learningcity.analytics.measures import MeasureQuery\n", ""),
        ("library", "from learningcity.core.suppression import suppress\n", ""),
        ("network", "from learningcity.core.indicators import indicator_results\n", ""),
        ("reporting", "import learningcity\n", ""),
    ],
)
def test_a_breach_is_named_with_its_line(app, source, expected):
    """The check itself: a module of an app with the given source is (or is not) a breach, named by line."""
    found = file_breaches(f"learningcity/{app}/probe.py", source, f"learningcity.{app}.probe")
    if expected:
        assert len(found) == 1
        assert expected in found[0]
        assert found[0].startswith(f"learningcity/{app}/probe.py:")
    else:
        assert found == []


def test_relative_imports_are_resolved():
    found = file_breaches(
        "learningcity/library/probe.py", "from ..analytics import measures\n", "learningcity.library.probe"
    )
    assert found == [
        "learningcity/library/probe.py:1: the domain app 'library' imports analytics "
        "(learningcity.analytics.measures)"
    ]
