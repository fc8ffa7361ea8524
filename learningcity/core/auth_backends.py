"""Django's ModelBackend with the signed-in person's row, read on every signed-in request, fetched by a query
compiled once per process (core.fixed_query; issue 17). Passwords, permissions and `is_active` are Django's own.

Sessions name the backend that signed the person in; a session from before this backend (Django's own path) is
no longer valid and its person signs in again once."""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model

from .fixed_query import FixedQuery

_USER = FixedQuery(lambda pk: get_user_model()._default_manager.filter(pk=pk), int, kept=True)


def user_by_id(pk: int):
    """The person with this id, active or not, or None: the session's person here, an API token's owner in
    core.api_auth (each checks `is_active` itself)."""
    return _USER.first(pk)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        if type(user_id) is not int:
            return super().get_user(user_id)
        user = user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
