"""The session store: Django's database sessions, with the lookup every signed-in request makes compiled once per
process (core.fixed_query; issue 17). Rows, expiry, saving, cycling and clearing are Django's own
(`SESSION_ENGINE = "learningcity.core.sessions"`)."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from .fixed_query import FixedQuery

# Kept until the next committed write (core.changes): signing out, in, or any change to a session writes this table,
# so it counts at the next request.
_SESSION = FixedQuery(lambda key: Session.objects.filter(session_key=key), str, kept=True)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        key = self.session_key
        using = router.db_for_read(Session)
        session = _SESSION.first(key, using=using) if isinstance(key, str) else None
        # The expiry is compared here rather than in the SQL (a fixed query takes text and integers only); an
        # expired row is as good as none, as in Django's own lookup (`expire_date__gt=now`).
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
