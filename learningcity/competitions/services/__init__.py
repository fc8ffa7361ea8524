"""Writes of the competitions app, in four parts: competitions (set-up, juries), submissions (entries and their
files), assignment (conflicts, balanced assignment), scoring, and results (ranking, approval, publication,
certificates, people's choice)."""
