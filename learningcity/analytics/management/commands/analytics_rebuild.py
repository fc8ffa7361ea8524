"""Rebuild the analytics summary, every rollup and the learner tally from attendance, learners, memberships,
programmes and sessions, in one transaction.

A repair tool (after restoring a table by hand, say); figures never need it to be fresh: triggers keep them.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from learningcity.analytics import dashboard_rollups, members, rollup, tally, triggers


class Command(BaseCommand):
    help = "Rebuild the participation summary and the rollups from attendance (repair; never needed for freshness)."

    def handle(self, *args, **options):
        with transaction.atomic():
            members.uninstall(connection)
            dashboard_rollups.uninstall(
                connection
            )  # rebuilt last, from the programme learners and the sessions
            rollup.uninstall(connection)  # the summary is rebuilt first; the rollups are then rebuilt from it
            summary = triggers.backfill(connection)
            triggers.install(connection)
            learner_years, people_cells = rollup.backfill(connection)  # reinstalls its triggers
            cities = tally.backfill(connection)  # from the learners; reinstalls its triggers
            joins, came = members.backfill(
                connection
            )  # from memberships and the summary; reinstalls triggers
            group_years, session_years = dashboard_rollups.backfill(connection)  # reinstalls its triggers
        self.stdout.write(
            f"summary rows: {summary}, learner-years: {learner_years}, people cells: {people_cells}, "
            f"learner tallies: {cities}, member years: {joins}, member buckets: {came}, "
            f"kind and topic years: {group_years}, unit years: {session_years}"
        )
