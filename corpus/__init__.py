"""corpus package of Tabayyun."""
