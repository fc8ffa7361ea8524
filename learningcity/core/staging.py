"""Holding an uploaded file between its preview and its apply, so a person uploads once.

The file is kept under MEDIA_ROOT/staging with a random name; the session remembers which tokens belong to
whom, so nobody can apply another person's upload.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import IO

from django.conf import settings

SESSION_KEY = "lc_staged_uploads"
MAX_AGE_SECONDS = 6 * 3600


def _dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage(request, upload) -> str:
    token = secrets.token_hex(16)
    with open(_dir() / token, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    staged = request.session.get(SESSION_KEY, {})
    staged[token] = {"name": getattr(upload, "name", "")[:200], "at": time.time()}
    request.session[SESSION_KEY] = staged
    _sweep()
    return token


def _staged_path(request, token: str) -> Path | None:
    """The file of this session's staged upload `token`, if it is still there."""
    staged = request.session.get(SESSION_KEY, {})
    if not token or token not in staged or not all(c in "0123456789abcdef" for c in token):
        return None
    path = _dir() / token
    return path if path.exists() else None


def is_staged(request, token: str) -> bool:
    return _staged_path(request, token) is not None


def open_staged(request, token: str) -> IO[bytes] | None:
    path = _staged_path(request, token)
    return None if path is None else open(path, "rb")  # the caller closes it


def staged_name(request, token: str) -> str:
    return request.session.get(SESSION_KEY, {}).get(token, {}).get("name", "")


def release(request, token: str) -> None:
    """Forget this session's upload `token` but keep its file: whoever took the file over removes it."""
    staged = request.session.get(SESSION_KEY, {})
    staged.pop(token, None)
    request.session[SESSION_KEY] = staged


def discard(request, token: str) -> None:
    staged = request.session.get(SESSION_KEY, {})
    staged.pop(token, None)
    request.session[SESSION_KEY] = staged
    (_dir() / token).unlink(missing_ok=True)


def _sweep() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _dir().iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
