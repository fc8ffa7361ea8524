"""The installable offline app for coordinators in the field and its sync (issue 14)."""
