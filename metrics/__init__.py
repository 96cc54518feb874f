"""The domain: metric catalogue, quarters and progress calculations. Pure: no Streamlit, no SQL."""
