"""Writes of the analytics app: the catalogue, population counts, reported values."""
