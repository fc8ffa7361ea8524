"""Reports to UNESCO and the national programme: the GNLC profile and the biennial report (issue 12)."""
