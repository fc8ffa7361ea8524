#!/usr/bin/env python3
"""Check every pin of the lock files against an offline copy of the PyPI security advisories (OSV format).

    python scripts/audit_lock.py [--db PATH ...] [LOCK ...]   (default: requirements.txt requirements-dev.txt)

No network: the advisories are read from files, in any of the forms they are published in:
- a folder or a .zip of OSV JSON records, e.g. OSV's own export of the PyPI ecosystem (`PyPI/all.zip` of the
  osv-vulnerabilities bucket) unpacked or not;
- a clone of the PyPA advisory database (`vulns/<package>/*.yaml`, OSV in YAML);
- the `pypi.nedb` file that the npm package @renovatebot/osv-offline writes (one OSV JSON record per line).
Default PATH: var/cache/osv (see `make audit-db` and docs/operations.md for filling it).

A pin is affected when an advisory names the package (PyPI ecosystem, names normalised as in PEP 503) and the
pinned version is listed in `versions` or falls in an ECOSYSTEM range (introduced <= v < fixed, or
<= last_affected), compared with packaging.version. Withdrawn advisories are ignored.

Exit status: 0 no finding; 1 findings (each printed with its id, summary and the fixed versions); 2 no advisory
database found or it holds no PyPI advisory (an audit that read nothing must not pass), or two lock files pin one
package at different versions (the development lock is compiled against the runtime one, so they never should).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "cache" / "osv"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Finding:
    package: str
    version: str
    advisory: str
    aliases: list[str] = field(default_factory=list)
    summary: str = ""
    fixed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        alias = f" ({', '.join(self.aliases[:3])})" if self.aliases else ""
        fix = f"; fixed in {', '.join(self.fixed)}" if self.fixed else "; no fixed version published"
        return f"{self.package}=={self.version}: {self.advisory}{alias} {self.summary}{fix}"


# ------------------------------------------------------------------------------------------------ the lock file
def read_lock(path: Path) -> dict[str, str]:
    """{normalised name: version} of every `name==version` line (hashes, markers and comments ignored)."""
    pins: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip().rstrip("\\").strip()
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*===?\s*([^\s]+)$", line)
        if match:
            pins[normalise(match.group(1))] = match.group(3)
    return pins


# ------------------------------------------------------------------------------------------ reading advisories
def _records_from_text(name: str, text: str) -> Iterator[dict]:
    if name.endswith(".nedb"):
        for line in text.splitlines():
            if line.strip():
                doc = json.loads(line)
                if "$$deleted" not in doc and "$$indexCreated" not in doc:
                    yield doc
    elif name.endswith((".yaml", ".yml")):
        import yaml  # PyYAML: in the lock (a dependency of the dev tools)

        doc = yaml.safe_load(text)
        if isinstance(doc, dict):
            yield doc
    elif name.endswith(".json"):
        doc = json.loads(text)
        if isinstance(doc, list):
            yield from (d for d in doc if isinstance(d, dict))
        elif isinstance(doc, dict):
            yield doc


def read_advisories(paths: Iterable[Path]) -> Iterator[dict]:
    suffixes = (".json", ".yaml", ".yml", ".nedb")
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file() and file.suffix == ".zip":
                    yield from read_advisories([file])
                elif file.is_file() and file.suffix == ".nedb" and "pypi" not in file.name.lower():
                    continue  # renovate keeps one file per ecosystem: only PyPI's matters here
                elif file.is_file() and file.name.endswith(suffixes):
                    yield from _records_from_text(file.name, file.read_text(errors="replace"))
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if info.filename.endswith(suffixes):
                        text = io.TextIOWrapper(archive.open(info), encoding="utf-8").read()
                        yield from _records_from_text(info.filename, text)
        elif path.is_file():
            yield from _records_from_text(path.name, path.read_text(errors="replace"))


# --------------------------------------------------------------------------------------------- version ranges
def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def in_range(version: Version, events: list[dict]) -> bool:
    """OSV ECOSYSTEM range semantics: events sorted by version; introduced opens, fixed / last_affected close."""
    points = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected", "limit"):
            if kind in event:
                value = str(event[kind])
                at = Version("0") if value == "0" else _version(value)
                if at is not None:
                    points.append((at, kind))
    order = {"introduced": 0, "fixed": 1, "last_affected": 1, "limit": 1}
    points.sort(key=lambda p: (p[0], order[p[1]]))
    affected = False
    for at, kind in points:
        passed = version > at if kind == "last_affected" else version >= at
        if passed:
            affected = kind == "introduced"
    return affected


def affects(record: dict, package: str, version_text: str) -> tuple[bool, list[str]]:
    """Does this advisory affect package==version? Also the fixed versions it names for that package."""
    version = _version(version_text)
    hit, fixed = False, []
    for affected in record.get("affected") or []:
        pkg = affected.get("package") or {}
        if pkg.get("ecosystem") != "PyPI" or normalise(pkg.get("name", "")) != package:
            continue
        if version_text in [str(v) for v in affected.get("versions") or []]:
            hit = True
        for rng in affected.get("ranges") or []:
            fixed += [str(e["fixed"]) for e in rng.get("events", []) if "fixed" in e]
            if (
                rng.get("type") == "ECOSYSTEM"
                and version is not None
                and in_range(version, rng.get("events", []))
            ):
                hit = True
    return hit, sorted(set(fixed), key=lambda v: _version(v) or Version("0"))


def audit(pins: dict[str, str], records: Iterable[dict]) -> tuple[list[Finding], int]:
    findings: list[Finding] = []
    seen_pypi = 0
    for record in records:
        if record.get("withdrawn"):
            continue
        names = {
            normalise((a.get("package") or {}).get("name", ""))
            for a in record.get("affected") or []
            if (a.get("package") or {}).get("ecosystem") == "PyPI"
        }
        if not names:
            continue
        seen_pypi += 1
        for name in names & pins.keys():
            hit, fixed = affects(record, name, pins[name])
            if hit:
                summary = (record.get("summary") or record.get("details") or "").strip().splitlines()
                findings.append(
                    Finding(
                        package=name,
                        version=pins[name],
                        advisory=record.get("id", "?"),
                        aliases=list(record.get("aliases") or []),
                        summary=summary[0][:120] if summary else "",
                        fixed=fixed,
                    )
                )
    # One line per advisory and pin (the same advisory may come from several copies of the database).
    unique = {(f.package, f.advisory): f for f in findings}
    return sorted(unique.values(), key=lambda f: (f.package, f.advisory)), seen_pypi


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "locks", nargs="*", default=[ROOT / "requirements.txt", ROOT / "requirements-dev.txt"], type=Path
    )
    parser.add_argument(
        "--db", action="append", type=Path, help="advisory folder, .zip or .nedb (repeatable)"
    )
    args = parser.parse_args(argv)
    dbs = args.db or [DEFAULT_DB]
    missing = [str(p) for p in dbs if not p.exists()]
    if missing:
        print(
            f"No advisory database at {', '.join(missing)}: run `make audit-db` where the internet is reachable, "
            "or copy OSV's PyPI/all.zip (or a clone of the PyPA advisory database) there. See docs/operations.md.",
            file=sys.stderr,
        )
        return 2
    pins: dict[str, str] = {}
    for lock in args.locks:
        for name, version in read_lock(lock).items():
            if pins.setdefault(name, version) != version:
                print(f"{lock} pins {name}=={version}, another lock {pins[name]}.", file=sys.stderr)
                return 2
    findings, seen = audit(pins, read_advisories(dbs))
    if seen == 0:
        print(f"The advisory database at {', '.join(map(str, dbs))} holds no PyPI advisory.", file=sys.stderr)
        return 2
    for finding in findings:
        print(finding)
    packages = len({f.package for f in findings})
    print(
        f"{len(pins)} pinned packages checked against {seen} PyPI advisories: "
        f"{len(findings)} findings in {packages} packages."
    )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
