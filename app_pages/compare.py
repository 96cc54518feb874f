"""Jämför: one metric across organisations (ranking with the peer median), trends, an indexed
view, a heatmap of organisations × metrics and digital maturity against outcomes; other
organisations are named only when they opted in."""

import streamlit as st

from metrics.periods import Quarter
from ui import follow_up_reads, reads
from ui.cards import period_mode
from ui.charts import COMPACT_HEATMAP, COMPACT_RANKING, show_figure
from ui.compare import (
    MATURITY,
    VIEWS,
    change_heatmap,
    heatmap_chart,
    heatmap_table,
    in_scope,
    own_rank,
    period_figures,
    ranking,
    ranking_chart,
    ranking_table,
    scatter,
    status_heatmap,
    status_legend,
)
from ui.compare_trends import show_side_by_side, show_trends
from ui.page import page_context
from ui.register import compare_within, group_label, population_caption
from ui.safe_text import markdown_literal

context = page_context()
st.title(context.t("compare.title"))
by_code = {m.code: m for m in context.metrics}
top_left, top_right = st.columns([3, 1])
view = top_left.segmented_control(context.t("compare.view"), options=list(VIEWS), key="compare_view", default="ranking",
                                  required=True, format_func=lambda v: context.t(f"compare.view.{v}")) or "ranking"
with top_right:
    mode = period_mode(context, "compare_mode")
one, two, three = st.columns(3)
code = one.selectbox(context.t("compare.metric"), options=list(by_code), key="compare_metric",
                     format_func=lambda c: by_code[c].name(context.language))
kinds_present = sorted({o.kind for o in context.organisations})
kinds = two.multiselect(context.t("compare.kinds"), options=kinds_present, default=kinds_present, key="compare_kinds",
                        format_func=lambda k: context.t(f"kind.{k}"))
groups = sorted({o.peer_group for o in context.organisations if o.peer_group})
group = three.selectbox(context.t("compare.group"), options=[None, *groups], key="compare_group",
                        format_func=lambda g: context.t("compare.all_groups") if g is None else group_label(g, context))
within = compare_within(context)
metric = by_code[code]
scope = in_scope(context, kinds, group, within)
quarter = context.quarter
first = min(quarter - 11, Quarter(quarter.year - 3, 1))
figures = reads.metric_figures(context.url, context.version, metric.id, first.index, quarter.index)
period = quarter.label(context.language) if mode == "quarter" else str(quarter.year)

if view == "ranking":
    shown = period_figures(figures, metric, quarter, mode) if len(figures) else figures
    basis = "none"
    if metric.unit_kind == "count":
        basis = st.selectbox(context.t("compare.basis"), options=["none", "employees", "inhabitants"], key="compare_basis",
                             format_func=lambda b: context.t(f"compare.basis.{b}"))
    result = ranking(context, metric, shown, scope, basis)
    st.caption(context.t("compare.caption", metric=metric.name(context.language), quarter=period, count=result.reported))
    if result.table.empty:
        st.info(context.t("compare.no_figures"))
        st.stop()
    if len(result.table) > COMPACT_RANKING:
        st.caption(context.t("compare.compact_ranking", count=len(result.table)))
    show_figure(ranking_chart(context, metric, result, basis), key="compare_ranking",
                alt=context.t("compare.ranking_alt", metric=metric.name(context.language)))
    rank = own_rank(context, result)
    if rank:
        st.markdown(f"**{rank}**")
    if not result.statistics.disclosed:
        st.caption(context.t("compare.too_few", minimum=context.rule.minimum, count=result.statistics.count))
    if basis == "inhabitants":
        st.caption(population_caption(scope, context))
    if result.missing:
        st.warning(context.t(f"compare.missing.{basis}", names=markdown_literal(", ".join(result.missing))))
    st.dataframe(ranking_table(context, result), hide_index=True, key="compare_table")

elif view == "trends":
    show_trends(context, metric, figures, scope, mode)
    show_side_by_side(context, by_code, first, mode)

elif view == "heatmap":
    by = st.segmented_control(context.t("compare.heat_by"), options=["status", "change"], key="compare_heat_by",
                              default="status", required=True,
                              format_func=lambda b: context.t(f"compare.heat_by.{b}")) or "status"
    everything = follow_up_reads.all_figures(context.url, context.version, first.index, quarter.index)
    if by == "status":
        heatmap = status_heatmap(context, scope, follow_up_reads.targets(context.url, context.version), everything)
        st.caption(context.t("compare.heat_status_caption", quarter=quarter.label(context.language),
                             legend=status_legend(context)))
    else:
        heatmap = change_heatmap(context, scope, everything, mode)
        st.caption(context.t("compare.heat_change_caption", period=period))
    if len(heatmap.rows) > COMPACT_HEATMAP:
        st.caption(context.t("compare.compact_heatmap", count=len(heatmap.rows)))
    show_figure(heatmap_chart(context, heatmap, by), key="compare_heatmap", alt=context.t("compare.heatmap_alt"))
    st.dataframe(heatmap_table(context, heatmap), hide_index=True, key="compare_heat_table")

else:
    maturity = by_code.get(MATURITY)
    if maturity is None:
        st.info(context.t("compare.no_maturity"))
        st.stop()
    everything = follow_up_reads.all_figures(context.url, context.version, first.index, quarter.index)
    figure, table = scatter(context, metric, maturity, everything, scope, mode)
    st.caption(context.t("compare.scatter_caption", metric=metric.name(context.language), period=period,
                         count=len(table)))
    show_figure(figure, key="compare_scatter", alt=context.t("compare.scatter_alt", metric=metric.name(context.language)))
    st.dataframe(table, hide_index=True, key="compare_scatter_table")
