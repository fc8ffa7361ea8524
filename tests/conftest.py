"""Cross-app tests: a fast password hasher (hundreds of accounts are made; Argon2 is asserted where it matters)."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, request):
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    config.addinivalue_line("markers", "argon2: keep the production password hasher (Argon2) in this test")
