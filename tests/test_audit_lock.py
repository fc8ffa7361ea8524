"""scripts/audit_lock.py: pins of a lock file checked against OSV advisories read from files (no network).

The advisories here are made up for the test (package names of the lock, invented ids), in each form the script
reads: OSV JSON in a folder and in a zip, OSV YAML (the PyPA advisory database's form) and a renovate .nedb."""

import json
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from packaging.version import Version

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import audit_lock

LOCK = "Django==5.2.19\nflask_cors==6.0.5  # comment\nPillow==13.0.0\nrequests==2.34.2\n"


def advisory(id_, package, events=None, versions=None, **extra):
    affected = {"package": {"ecosystem": "PyPI", "name": package}}
    if events is not None:
        affected["ranges"] = [{"type": "ECOSYSTEM", "events": events}]
    if versions is not None:
        affected["versions"] = versions
    return {"id": id_, "summary": f"Made-up flaw in {package}", "affected": [affected], **extra}


@pytest.fixture
def lock(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text(LOCK)
    return path


def test_ranges_follow_osv_semantics():
    v = Version
    events = [{"introduced": "0"}, {"fixed": "5.2.20"}]
    assert audit_lock.in_range(v("5.2.19"), events)
    assert not audit_lock.in_range(v("5.2.20"), events)
    two = [{"introduced": "4.0"}, {"fixed": "4.2.1"}, {"introduced": "5.0"}, {"fixed": "5.1"}]
    assert [audit_lock.in_range(v(x), two) for x in ("3.9", "4.1", "4.2.1", "5.0.3", "5.2")] == [
        False,
        True,
        False,
        True,
        False,
    ]
    last = [{"introduced": "1.0"}, {"last_affected": "13.0.0"}]
    assert audit_lock.in_range(v("13.0.0"), last)
    assert not audit_lock.in_range(v("13.0.1"), last)


def test_findings_in_every_database_form_and_exit_status(tmp_path, lock, capsys):
    db = tmp_path / "db"
    (db / "json").mkdir(parents=True)
    (db / "json" / "A-1.json").write_text(
        json.dumps(advisory("TEST-A-1", "django", [{"introduced": "5.2"}, {"fixed": "5.2.20"}]))
    )
    (db / "json" / "A-2.json").write_text(
        json.dumps(
            advisory("TEST-A-2", "Django", [{"introduced": "0"}, {"fixed": "5.2.19"}])
        )  # already fixed
    )
    (db / "vulns" / "pillow").mkdir(parents=True)
    (db / "vulns" / "pillow" / "B-1.yaml").write_text(
        yaml.safe_dump(advisory("TEST-B-1", "pillow", versions=["13.0.0"]))
    )
    with zipfile.ZipFile(db / "PyPI-all.zip", "w") as z:
        z.writestr(
            "C-1.json",
            json.dumps(advisory("TEST-C-1", "Flask-CORS", [{"introduced": "6.0"}, {"fixed": "6.0.6"}])),
        )
        z.writestr(
            "C-2.json",
            json.dumps(advisory("TEST-C-2", "flask-cors", [{"introduced": "0"}], withdrawn="2026-01-01")),
        )
    nedb = [
        advisory("TEST-D-1", "requests", [{"introduced": "2.0"}, {"last_affected": "2.34.2"}]),
        {"$$deleted": True},
    ]
    (db / "pypi.nedb").write_text("\n".join(json.dumps(d) for d in nedb))
    (db / "other.json").write_text(
        json.dumps({"id": "NPM-1", "affected": [{"package": {"ecosystem": "npm", "name": "django"}}]})
    )

    assert audit_lock.main(["--db", str(db), str(lock)]) == 1
    out = capsys.readouterr().out
    for found in (
        "django==5.2.19: TEST-A-1",
        "fixed in 5.2.20",
        "pillow==13.0.0: TEST-B-1",
        "flask-cors==6.0.5: TEST-C-1",
        "requests==2.34.2: TEST-D-1",
    ):
        assert found in out
    for clean in ("TEST-A-2", "TEST-C-2", "NPM-1"):
        assert clean not in out
    assert "4 pinned packages checked against 5 PyPI advisories: 4 findings in 4 packages." in out


def test_a_clean_lock_passes_and_a_missing_or_empty_database_fails(tmp_path, lock, capsys):
    db = tmp_path / "db"
    db.mkdir()
    (db / "A.json").write_text(
        json.dumps(advisory("TEST-A-9", "django", [{"introduced": "0"}, {"fixed": "4.0"}]))
    )
    assert audit_lock.main(["--db", str(db), str(lock)]) == 0
    assert "0 findings" in capsys.readouterr().out
    assert audit_lock.main(["--db", str(tmp_path / "nowhere"), str(lock)]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert audit_lock.main(["--db", str(empty), str(lock)]) == 2


def test_two_locks_that_disagree_fail(tmp_path, capsys):
    db = tmp_path / "db"
    db.mkdir()
    (db / "A.json").write_text(
        json.dumps(advisory("TEST-A-9", "django", [{"introduced": "0"}, {"fixed": "4.0"}]))
    )
    (tmp_path / "a.txt").write_text("Django==5.2.19\n")
    (tmp_path / "b.txt").write_text("django==5.2.18\npytest==9.2.0\n")
    assert audit_lock.main(["--db", str(db), str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 2
    assert "django==5.2.18" in capsys.readouterr().err


def test_the_real_lock_files_parse_with_hashes_and_agree():
    root = Path(__file__).resolve().parent.parent
    runtime = audit_lock.read_lock(root / "requirements.txt")
    dev = audit_lock.read_lock(root / "requirements-dev.txt")
    assert runtime["django"].startswith("5.2")
    assert "pytest" not in runtime
    # The development lock holds every runtime pin at the same version, and the test tools beside them.
    assert runtime.items() <= dev.items()
    assert {"pytest", "ruff", "mypy"} <= dev.keys()
    for lock in ("requirements.txt", "requirements-dev.txt"):
        text = (root / lock).read_text()
        pinned = [line for line in text.splitlines() if "==" in line and not line.lstrip().startswith("#")]
        assert all(line.endswith("\\") for line in pinned), f"{lock}: a pin without --hash lines"
