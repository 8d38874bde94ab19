"""app package of Tabayyun."""
