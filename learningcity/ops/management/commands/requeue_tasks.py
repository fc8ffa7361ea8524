"""`manage.py requeue_tasks`: put tasks orphaned by a dead worker back in the queue.

django-tasks-db marks a task RUNNING when a worker claims it and only the same worker marks it finished. A
worker killed mid-task (SIGKILL, out of memory, power cut) leaves it RUNNING for ever. The task's own writes
were one transaction and were rolled back with the worker's connection, so running it again is safe: this
command sets such tasks back to READY. The worker's unit calls it before it starts (ExecStartPre), for the
tasks last claimed by that worker id; an operator may run it with --older-than for a worker on another node.
"""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Set tasks left RUNNING by a worker that died back to READY (they are retried)."

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", default="", help="Only tasks last claimed by this worker id.")
        parser.add_argument(
            "--older-than", type=int, default=0, help="Only tasks started more than this many minutes ago."
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, worker_id, older_than, dry_run, **options):
        with transaction.atomic():
            stale = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
            if older_than:
                stale = stale.filter(started_at__lt=timezone.now() - dt.timedelta(minutes=older_than))
            found = [t for t in stale if not worker_id or (t.worker_ids and t.worker_ids[-1] == worker_id)]
            if not dry_run:
                for task in found:
                    task.status = TaskResultStatus.READY
                    task.started_at = None
                    task.save(update_fields=["status", "started_at"])
        verb = "Would requeue" if dry_run else "Requeued"
        self.stdout.write(f"{verb} {len(found)} task(s) left running by a stopped worker.")
        for task in found:
            self.stdout.write(f"  {task.id} {task.task_path} (workers: {', '.join(task.worker_ids)})")
