"""What the pages share, with Streamlit: page setup, charts, cached reads, cards and forms.

Words, numbers and colours that need no Streamlit live one layer down in ``presentation``, so the
board pack (``reports``) and the command line use them without loading Streamlit.
"""
