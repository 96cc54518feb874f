"""How things are presented — words, numbers, colours — without Streamlit.

Translation and its TOML catalogues (``presentation/locales``), locale formatting (Babel), the status
words and icons and the change wording, the chart palette and base layout. It sits below both ``ui/``
(the Streamlit pages' helpers) and ``reports/`` (the board pack, the mails) so that the app, the board
pack, the command line and the HTTP app say and draw the same thing, and so that ``reports/`` and the
CLI never load Streamlit. It imports nothing of the project except ``metrics`` (the contract in
pyproject.toml, ``lint-imports``).
"""
