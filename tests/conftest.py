"""Cross-app tests: a fast password hasher (hundreds of accounts are made; Argon2 is asserted where it matters)."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, request):
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    config.addinivalue_line("markers", "argon2: keep the production password hasher (Argon2) in this test")


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues(django_db_blocker):
    """`make test` compiles the catalogues; a bare `pytest tests/` after `make messages` needs them too."""
    from django.core.management import call_command
    from django.utils.translation import trans_real

    with django_db_blocker.unblock():
        call_command("i18n_compile", verbosity=0)
    trans_real._translations = {}
    trans_real._default = None
