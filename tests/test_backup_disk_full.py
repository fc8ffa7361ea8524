"""Disk full during an upload: a clear answer (507, in the person's language), nothing half-saved, no 500.

MEDIA_ROOT is put on a 64 KB tmpfs that is already full (as root, as in CI), so the kernel itself answers
ENOSPC to whatever writes the upload; without the rights to mount, the staging writer is pointed at /dev/full,
which answers ENOSPC the same way.
"""

import errno
import subprocess
from pathlib import Path

import pytest

from learningcity.ops.middleware import disk_full


@pytest.fixture
def full_media(settings, tmp_path, monkeypatch):
    target = tmp_path / "full"
    target.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(target)], capture_output=True
        ).returncode
        == 0
    )
    if mounted:
        with pytest.raises(OSError) as full:  # noqa: PT011 - the errno is checked below
            (target / "filler").write_bytes(b"x" * 10**6)
        assert full.value.errno == errno.ENOSPC
        settings.MEDIA_ROOT = target
    else:
        import learningcity.core.staging as staging

        real_open = open
        monkeypatch.setattr(staging, "open", lambda *a, **k: real_open("/dev/full", "wb"), raising=False)
    yield target
    if mounted:
        subprocess.run(["umount", "-l", str(target)], check=False)


def test_disk_full_during_an_upload_is_a_clear_error(client, city, people, full_media):
    client.force_login(people["city_admin"])
    rows = "code,name_vi,parent_code,level\n" + "".join(
        f"X{i:05d},Bản thử {i},03670,hamlet\n" for i in range(5000)
    )
    upload = Path(full_media.parent) / "hamlets.csv"
    upload.write_text(rows, encoding="utf-8")
    with upload.open("rb") as f:
        response = client.post(f"/{city.slug}/manage/areas/import/", {"file": f}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 507
    text = response.content.decode()
    assert "đầy" in text  # "full", in Vietnamese: the page says what happened
    from learningcity.core.models import Area

    assert not Area.objects.filter(code__startswith="X0").exists()


def test_api_answers_json_when_the_disk_is_full(rf):
    from learningcity.ops.middleware import DiskFullMiddleware

    request = rf.post("/api/v1/cities/son-la/spaces")
    response = DiskFullMiddleware(lambda r: None).process_exception(request, OSError(errno.ENOSPC, "full"))
    assert response.status_code == 507
    assert b"detail" in response.content
    assert DiskFullMiddleware(lambda r: None).process_exception(request, ValueError("x")) is None
    assert disk_full(RuntimeError("wrapped").with_traceback(None)) is False
