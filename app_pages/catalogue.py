"""Mätetalen: what each metric means, how to measure it, and the workshop passage it comes from."""

import streamlit as st

from presentation.formatting import format_number
from ui.page import page_context

context = page_context()
language = context.language
st.title(context.t("catalogue.title"))
st.markdown(context.t("catalogue.intro"))
for metric in context.metrics:
    with st.expander(f"{metric.name(language)} · `{metric.code}`"):
        st.markdown(metric.definition(language))
        bounds = context.t(
            "catalogue.range_bounded" if metric.max_value is not None else "catalogue.range_open",
            min=format_number(metric.min_value, language, None),
            max=format_number(metric.max_value, language, None),
        )
        st.markdown(
            f"- **{context.t('catalogue.unit')}:** {metric.description(language)}\n"
            f"- **{context.t('catalogue.direction')}:** {context.t(f'direction.{metric.direction}')}\n"
            f"- **{context.t('catalogue.range')}:** {bounds}"
            + (f" {context.t('catalogue.whole')}" if metric.whole_number else "") + "\n"
            f"- **{context.t('catalogue.aggregation')}:** {context.t(f'aggregation.{metric.aggregation}')}\n"
            f"- **{context.t('catalogue.source')}:** {metric.source} – {metric.passage_by}"
        )
        if metric.passage:
            st.caption(context.t("catalogue.passage"))
            st.markdown("\n".join(f"> {line}" for line in metric.passage.splitlines()))
