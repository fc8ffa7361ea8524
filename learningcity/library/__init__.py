"""Compassionate Libraries: one catalogue per city, copies in bookcases, loans (issue 19)."""
