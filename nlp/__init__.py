"""Pipeline stages of Tabayyun: pure functions over the records in `nlp.records`.

`nlp` imports neither streamlit nor SQLAlchemy nor sentence_transformers: encoders come in
as an argument (anything with `encode(texts) -> float32 [n, dim]`).
"""
