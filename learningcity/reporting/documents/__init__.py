"""Writing a report snapshot (drafting.draft) or the GNLC profile as DOCX, PDF or JSON."""
