"""Extraction of dates, numbers and places as `Mention`s."""
