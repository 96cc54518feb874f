"""Importera: upload a spreadsheet, see what would change, then confirm; templates and exports."""

import streamlit as st

from data.figures import FigureConflict
from metrics.errors import EffektError
from ui.downloads import guarded
from ui.importing import (
    changes_table,
    commit_upload,
    export_bytes,
    forbidden_organisations,
    plan_upload,
    problems_csv,
    problems_table,
    template_bytes,
    upload_limit_bytes,
)
from ui.page import page_context
from ui.safe_text import markdown_literal

context = page_context()
st.title(context.t("import.title"))
st.markdown(context.t("import.intro"))

if context.organisation is not None:
    with st.expander(context.t("import.downloads"), icon=":material/download:"):
        st.markdown(context.t("import.template_explained", organisation=markdown_literal(context.organisation.name)))
        left, right = st.columns(2)
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        # Made on the click, after guarded() has checked that this sign-in is still valid.
        left.download_button(context.t("import.template_xlsx"), key="import_template_xlsx", mime=xlsx,
                             data=guarded(context, lambda: template_bytes(context, "xlsx")),
                             file_name=f"effekt-mall-{context.organisation.code}.xlsx")
        right.download_button(context.t("import.template_csv"), key="import_template_csv", mime="text/csv",
                              data=guarded(context, lambda: template_bytes(context, "csv")),
                              file_name=f"effekt-mall-{context.organisation.code}.csv")
        left.download_button(context.t("import.export_organisation"), key="import_export_organisation",
                             data=guarded(context, lambda: export_bytes(context, "csv", True)),
                             file_name=f"effekt-{context.organisation.code}.csv", mime="text/csv")
        right.download_button(context.t("import.export_all"), key="import_export_all", mime=xlsx,
                              data=guarded(context, lambda: export_bytes(context, "xlsx", False)),
                              file_name="effekt.xlsx")

upload = st.file_uploader(context.t("import.file"), type=["csv", "xlsx", "txt"], key="import_file")
sheet = st.text_input(context.t("import.sheet"), key="import_sheet", help=context.t("import.sheet_help")).strip()
if upload is None:
    st.stop()
if upload.size > upload_limit_bytes():  # refused before a byte of it is parsed
    st.error(context.t("import.too_large", size=round(upload.size / 1_000_000, 1),
                       limit=round(upload_limit_bytes() / 1_000_000, 1)))
    st.stop()

plan = plan_upload(context, upload.getvalue(), upload.name, sheet or None)
if not plan.ok:
    st.error(context.t("import.has_problems", count=plan.problem_count))
    st.dataframe(problems_table(plan.problems, context), hide_index=True, key="import_problems")
    st.download_button(context.t("import.problems_download"), data=problems_csv(plan.problems, context),
                       file_name=f"fel-{upload.name}.csv", mime="text/csv", key="import_problems_download")
    st.stop()

if plan.notices:
    st.warning(context.t("import.check_readings", count=len(plan.notices)))
    st.dataframe(problems_table(plan.notices, context), hide_index=True, key="import_notices")

forbidden = forbidden_organisations(plan, context)
if forbidden:
    st.error(context.t("import.not_allowed", organisations=markdown_literal(", ".join(forbidden))))
    st.stop()

new, changed, unchanged = plan.count("new"), plan.count("changed"), plan.count("unchanged")
left, middle, right = st.columns(3)
left.metric(context.t("import.new"), new)
middle.metric(context.t("import.changed"), changed)
right.metric(context.t("import.unchanged"), unchanged)
if changed:
    st.subheader(context.t("import.changed_list"))
    st.dataframe(changes_table(plan, context, "changed"), hide_index=True, key="import_changed")
if new:
    with st.expander(context.t("import.new_list")):
        st.dataframe(changes_table(plan, context, "new"), hide_index=True, key="import_new")
if not new and not changed:
    st.info(context.t("import.nothing_changes", count=unchanged))
    st.stop()
if st.button(context.t("import.confirm"), type="primary", key="import_confirm"):
    try:
        result = commit_upload(context, plan)
    except FigureConflict as conflict:
        st.error(context.t("import.conflict", count=len(conflict.conflicts)))
    except EffektError as error:
        st.error(context.t(error.key, **error.params))
    else:
        st.success(context.t("import.done", count=result.written, new=result.created, changed=result.changed))
