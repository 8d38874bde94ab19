"""The place gazetteer: places_ar_en.tsv (GeoNames, OpenSyria, Wikidata; see README.md)
and curated_places.tsv, loaded by `nlp.places.load_gazetteer`."""
