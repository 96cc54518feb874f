"""Developer tools: a live Streamlit server for browser tests, screenshots and load tests."""
