"""Importera: upload a spreadsheet in the long format, see what would change, then confirm."""

import streamlit as st

from ui.importing import commit_upload, plan_upload, problems_table
from ui.page import page_context

context = page_context()
st.title(context.t("import.title"))
st.markdown(context.t("import.intro"))
upload = st.file_uploader(context.t("import.file"), type=["csv", "xlsx", "txt"], key="import_file")
if upload is None:
    st.stop()

plan = plan_upload(context, upload.getvalue(), upload.name)
if not plan.ok:
    st.error(context.t("import.has_problems", count=len(plan.problems)))
    st.dataframe(problems_table(plan.problems, context), hide_index=True, key="import_problems")
    st.stop()

left, middle, right = st.columns(3)
left.metric(context.t("import.new"), plan.count("new"))
middle.metric(context.t("import.changed"), plan.count("changed"))
right.metric(context.t("import.unchanged"), plan.count("unchanged"))
if st.button(context.t("import.confirm"), type="primary", key="import_confirm",
             disabled=plan.count("unchanged") == len(plan.changes)):
    result = commit_upload(context, plan)
    st.success(context.t("import.done", count=result.written))
