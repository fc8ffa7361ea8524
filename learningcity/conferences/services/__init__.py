"""Writes of the conferences app: events and the schedule, the call, registrations, check-in."""
