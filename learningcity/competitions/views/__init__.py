"""Pages of the competitions app: public (entries, results, gallery), judging (blind), and staff."""
