"""Attendance's copied keys (city, programme, space, area) carry no database constraint; Django keeps them true.

The database still checks the two real references, session and learner. Deleting what a copy points to goes
through Django, which cascades (programme) or clears (space) the copies, so no attendance row points nowhere and
the figures stay equal to a rebuild.
"""

import pytest
from django.db import IntegrityError, connection, transaction

from learningcity.analytics.tests.summary import rebuilt, summary
from learningcity.places.services import space_delete
from learningcity.programmes.models import Attendance
from learningcity.programmes.services.attendance import attendance_mark

pytestmark = pytest.mark.django_db


def test_deleting_a_space_clears_it_from_attendance_and_keeps_the_rows(people, session, members):
    for person in members:
        attendance_mark(actor=people["city_admin"], session=session, learner=person)
    assert Attendance.objects.filter(space=session.space).count() == 3
    space_delete(actor=people["city_admin"], space=session.space)
    assert Attendance.objects.filter(session=session).count() == 3
    assert not Attendance.objects.filter(space_id__isnull=False).exists()
    assert summary() == rebuilt()


def test_deleting_a_programme_removes_its_attendance_and_figures(people, club, session, members):
    attendance_mark(actor=people["city_admin"], session=session, learner=members[0])
    assert len(summary()) == 1
    club.delete()
    assert not Attendance.objects.exists()
    assert summary() == rebuilt() == []


def test_the_database_still_checks_session_and_learner(session, members):
    row = Attendance(
        city=session.city,
        session_id=session.pk + 10_000,  # no such session
        learner=members[0],
        programme=session.programme,
        date=session.date,
    )

    def save_and_check():
        with transaction.atomic():
            row.save()
            connection.check_constraints()  # PostgreSQL defers foreign keys to COMMIT; check them now

    with pytest.raises(IntegrityError):
        save_and_check()
