"""Language data as data: one small file per list, per language, loaded and normalised here."""
