"""The city's budget lines, their phases and classification, and the figures computed from them (issue 12)."""
