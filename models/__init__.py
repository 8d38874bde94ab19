"""models package of Tabayyun."""
