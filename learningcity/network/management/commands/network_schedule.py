"""Start the network's scheduled work in the task queue: harvesting cities on other installations (every 6 hours),
recomputing the shared values the comparison reads (every night) and the weekly digest of discussions. Each task
queues its next run, so this is run once after a deployment; running it again queues nothing already waiting."""

from django.core.management.base import BaseCommand

from learningcity.network.models import Network
from learningcity.network.tasks import harvest_network, queue_once, shared_values_refresh_all, weekly_digest


class Command(BaseCommand):
    help = "Queue the harvest of other installations, the nightly shared values and the weekly digest."

    def handle(self, *args, **options):
        queued = queue_once(shared_values_refresh_all, True)
        self.stdout.write(f"shared values: {'queued' if queued else 'already queued'}")
        for network in Network.objects.order_by("slug"):
            if network.remote_cities.exists():
                queue_once(harvest_network, network.pk, True)
            queued = queue_once(weekly_digest, network.pk, True)
            self.stdout.write(f"{network.slug}: {'queued' if queued else 'already queued'}")
