"""Background work of the network: harvesting cities on other installations on a schedule, the nightly recomputing
of the shared values the comparison reads, the weekly digest.

Each scheduled task queues its next run when it ends (the schedule lives in the task queue, so the embedded
default needs no cron); `manage.py network_schedule` starts the chains once after a deployment and may be run again:
`queue_once` does not queue a run that is already waiting.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

HARVEST_EVERY = dt.timedelta(hours=6)
REFRESH_EVERY = dt.timedelta(days=1)
DIGEST_EVERY = dt.timedelta(days=7)


def queue_once(scheduled, *args, run_after: dt.datetime | None = None) -> bool:
    """Queue `scheduled(*args)` unless the same call already waits in the database queue; True when queued."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(task_path=scheduled.module_path, status="READY").values_list(
            "args_kwargs", flat=True
        )
        if any(list((call or {}).get("args", [])) == list(args) for call in waiting):
            return False
    (scheduled.using(run_after=run_after) if run_after else scheduled).enqueue(*args)
    return True


@task()
def harvest_network(network_id: int, reschedule: bool = True) -> int:
    """Harvest every remote member of a network, then queue the next run."""
    from .models import RemoteCity
    from .services.harvest import remote_city_harvest

    kept = sum(remote_city_harvest(remote=r) for r in RemoteCity.objects.filter(network_id=network_id))
    if reschedule:
        queue_once(harvest_network, network_id, True, run_after=timezone.now() + HARVEST_EVERY)
    return kept


@task()
def harvest_remote_city(remote_id: int) -> bool:
    """The first harvest of a city just added; then makes sure its network's 6-hourly harvest is queued."""
    from .models import RemoteCity
    from .services.harvest import remote_city_harvest

    remote = RemoteCity.objects.filter(pk=remote_id).first()
    if remote is None:
        return False
    kept = remote_city_harvest(remote=remote)
    queue_once(harvest_network, remote.network_id, True, run_after=timezone.now() + HARVEST_EVERY)
    return kept


@task()
def shared_values_refresh_all(reschedule: bool = True) -> int:
    """Recompute the shared values of every city that shares an indicator (each city in its own transaction),
    then queue tomorrow's run. Returns the values written."""
    from learningcity.core.models import City

    from .models import SharedIndicator
    from .services.sharing import shared_values_refresh

    city_ids = SharedIndicator.objects.values_list("city_id", flat=True).distinct()
    written = sum(shared_values_refresh(city=city) for city in City.objects.filter(pk__in=city_ids))
    if reschedule:
        queue_once(shared_values_refresh_all, True, run_after=timezone.now() + REFRESH_EVERY)
    return written


@task()
def weekly_digest(network_id: int, reschedule: bool = True) -> int:
    """E-mail the week's discussions to their followers, then queue next week's digest."""
    from .models import Network
    from .services.dialogue import weekly_digest as digest

    network = Network.objects.filter(pk=network_id).first()
    if network is None:
        return 0
    sent = digest(network=network)
    if reschedule:
        queue_once(weekly_digest, network_id, True, run_after=timezone.now() + DIGEST_EVERY)
    return sent
