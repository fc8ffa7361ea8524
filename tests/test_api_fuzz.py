"""API fuzzing: schemathesis drives every operation of /api/v1/openapi.json with generated input, all checks on.

No server error and no response that breaks the schema (status codes, content types, bodies, headers), for an
anonymous caller and for a city administrator's token, on the demo city's data. The operations are read from
the schema the app serves, so an endpoint added later is fuzzed without a change here. Bounded: a few examples
per operation, derandomised (the same inputs on every run), no shrinking.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

EXAMPLES = 4
ANONYMOUS_EXAMPLES = 2

# "Schema-valid request rejected" (ST202) is left out: the platform answers a domain error (400 with a message,
# e.g. a latitude of 600) to input the schema allows, by design; a tighter schema is welcome but not required.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]

# Findings in apps still being built, reported to their owners: (operation, failure code) -> what is wrong.
# Anything else fails the test; remove a line when its app is fixed.
# Known, accepted deviations: ("METHOD path", check code) -> why. Empty: both earlier entries were fixed
# (places documents application/geo+json; competitions documents its 403 and 404).
KNOWN: dict[tuple[str, str], str] = {}

HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@pytest.fixture
def schema(db):
    # As Django's test client does: keep the test's connection (and its transaction) across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def demo(db):
    """The demo city with every app's data, and a token of its administrator."""
    from learningcity.core.models import City, User
    from learningcity.core.services.accounts import api_token_create

    call_command("demo_load", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    city = City.objects.get(slug="son-la")
    admin = User.objects.get(username="admin")
    _token, raw = api_token_create(actor=admin, user=admin, city=city, name="fuzz")
    return {"city": city, "token": raw}


def _fuzz(operation, headers, examples, failures):
    strategy = operation.as_strategy()

    @given(case=strategy, real_city=st.booleans(), small_id=st.integers(min_value=1, max_value=3))
    @settings(HYPOTHESIS, max_examples=examples)
    def run(case, real_city, small_id):
        # Half the cases on the real city and on ids that exist, so validation and the happy path are reached.
        if real_city and case.path_parameters is not None:
            for name in list(case.path_parameters):
                if name == "slug":
                    case.path_parameters[name] = "son-la"
                elif name.endswith("_id"):
                    case.path_parameters[name] = small_id
        # Each case in a savepoint rolled back after it, as each request has its own transaction in production:
        # a database error that the API answers as 422 (an offset past 2**63 on PostgreSQL) must not leave the
        # test's shared transaction aborted for every case after it.
        savepoint = transaction.savepoint()
        try:
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # every failure (an exception group) is collected
            found = getattr(exc, "exceptions", [exc])
            codes = {getattr(e, "code", type(e).__name__) for e in found}
            if all((operation.label, code) in KNOWN for code in codes):
                return
            key = (operation.label, "Authorization" in (headers or {}))
            if key not in failures:
                who = "admin token" if key[1] else "anonymous"
                failures[key] = f"{operation.label} ({who}) {sorted(codes)}: {exc}"[:3000]
        finally:
            transaction.savepoint_rollback(savepoint)

    run()


def test_every_api_operation_survives_fuzzing(schema, demo):
    failures: dict = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    # Schemathesis calls the WSGI app in process and reads the body as sent: ask for it uncompressed (an HTTP
    # client undoes the gzip that anonymous responses get; core.middleware compresses them).
    plain = {"Accept-Encoding": "identity"}
    admin = {"Authorization": f"Bearer {demo['token']}", **plain}
    for operation in operations:
        _fuzz(operation, admin, EXAMPLES, failures)
        if operation.method.upper() == "GET":
            _fuzz(operation, plain, ANONYMOUS_EXAMPLES, failures)
    assert not failures, f"{len(failures)} operation(s) failed:\n\n" + "\n\n".join(failures.values())
