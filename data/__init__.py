"""Persistence: models, engine, reads and writes, import/export, demo data. Never imports Streamlit."""
