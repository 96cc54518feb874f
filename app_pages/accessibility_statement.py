"""Tillgänglighetsredogörelse: the accessibility statement (ui/statement.py), under Om."""

import streamlit as st

from ui.page import page_context
from ui.statement import statement_html

context = page_context()
st.title(context.t("statement.title"))
st.html(statement_html(context.language, level=2))
