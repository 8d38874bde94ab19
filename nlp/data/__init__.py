"""Bundled data files of Tabayyun (not code)."""
