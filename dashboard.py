"""Effekt: the frame. Page config, database ready, language and sidebar context, navigation."""

import streamlit as st

from ui.page import frame, t

st.set_page_config(page_title="Effekt", page_icon=":material/insights:", layout="wide")
frame()  # also declares the page's language and Streamlit's words in it, the sign-in screen included

navigation = st.navigation({
    t("nav.follow_up"): [
        st.Page("app_pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", url_path="oversikt", default=True),
        st.Page("app_pages/metric_detail.py", title=t("nav.metric_detail"), icon=":material/show_chart:", url_path="matetal"),
        st.Page("app_pages/compare.py", title=t("nav.compare"), icon=":material/compare_arrows:", url_path="jamfor"),
        st.Page("app_pages/board.py", title=t("nav.board"), icon=":material/co_present:", url_path="styrelserapport"),
    ],
    t("nav.register"): [
        st.Page("app_pages/entry.py", title=t("nav.entry"), icon=":material/edit_note:", url_path="kvartalsdata"),
        st.Page("app_pages/import_data.py", title=t("nav.import"), icon=":material/upload_file:", url_path="importera"),
        st.Page("app_pages/history.py", title=t("nav.history"), icon=":material/history:", url_path="historik"),
        st.Page("app_pages/submissions.py", title=t("nav.reporting"), icon=":material/fact_check:", url_path="inrapportering"),
    ],
    t("nav.steer"): [
        st.Page("app_pages/targets.py", title=t("nav.targets"), icon=":material/flag:", url_path="mal"),
    ],
    t("nav.about"): [
        st.Page("app_pages/catalogue.py", title=t("nav.catalogue"), icon=":material/menu_book:", url_path="matetalen"),
        st.Page("app_pages/admin.py", title=t("nav.admin"), icon=":material/settings:", url_path="administration"),
        st.Page("app_pages/accessibility_statement.py", title=t("nav.statement"), icon=":material/accessibility:",
                url_path="tillganglighetsredogorelse"),
    ],
})
navigation.run()
