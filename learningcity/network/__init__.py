"""Networks of learning cities: members, good practice, dialogue, partnerships, comparison (issue 18)."""
