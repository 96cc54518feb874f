"""Styrelserapport: the quarter as slides for the board, in the workshop's agenda order, and the
decisions and experiments register that the next pack follows up."""


import streamlit as st

from metrics import clock
from metrics.errors import EffektError
from metrics.periods import Quarter, QuarterError
from ui import board
from ui.page import page_context
from ui.views import no_organisation

context = page_context()
if board.presenting() and context.organisation is not None:  # the slide alone, for the projector
    board.render_presenter(context, board.context_pack(context, board.presenter_as_of()))
    st.stop()
st.title(context.t("nav.board"))
if context.organisation is None:
    no_organisation(context)
st.markdown(board.PROJECTOR_CSS, unsafe_allow_html=True)

modes = {"slides": context.t("board.mode.slides"), "all": context.t("board.mode.all"),
         "decisions": context.t("board.mode.decisions")}
left, right = st.columns([3, 1])
mode = left.segmented_control(context.t("board.mode"), options=list(modes), format_func=modes.get,
                              key="board_mode", default="slides", required=True)
as_of = right.date_input(context.t("board.as_of_choice"), value=None, key="board_as_of", max_value=clock.today(),
                         help=context.t("board.as_of_help"), format="YYYY-MM-DD")
pack = board.context_pack(context, as_of)

if mode == "slides":
    index = board.current_slide(len(pack.slides))
    board.slide_navigation(context, index, len(pack.slides))
    board.render_slide(pack.slides[index], pack, context, key=f"board_slide_{index}")
    st.button(context.t("pack.presenter.start"), key="board_present", icon=":material/slideshow:",
              on_click=board.start_presenting, help=context.t("pack.presenter.help"))
elif mode == "all":
    for number, slide in enumerate(pack.slides):
        board.render_slide(slide, pack, context, key=f"board_all_{number}")
else:
    st.header(context.t("board.decisions.title"), anchor=False)
    st.caption(context.t("board.decisions.caption", quarter=context.quarter.label(context.language)))
    with st.form("board_decision_form", clear_on_submit=True):
        st.text_area(context.t("board.follow_up.what"), key="board_decision_what", max_chars=300)
        st.text_input(context.t("board.follow_up.owner"), key="board_decision_owner")
        st.selectbox(context.t("board.follow_up.due"), options=board.due_options(context.quarter),
                     key="board_decision_due", format_func=lambda q: Quarter.parse(q).label(context.language))
        add = st.form_submit_button(context.t("board.decisions.add"), type="primary")
    if add:
        try:
            board.add_context_decision(context, st.session_state["board_decision_what"],
                                       st.session_state["board_decision_owner"], st.session_state["board_decision_due"])
        except EffektError as error:
            st.error(context.t(error.key, **error.params))
        else:
            st.success(context.t("board.decisions.added"))
    decisions = board.decisions_frame(context)
    if decisions.empty:
        st.info(context.t("board.decisions.none"))
    else:
        st.data_editor(decisions, key="board_decisions_grid", hide_index=True, disabled=["id", "decided"],
                       column_config={"id": None, **board.decision_column_labels(context)})
        if st.button(context.t("board.decisions.save"), key="board_decisions_save"):
            try:
                changed = board.save_decision_edits(context, decisions, st.session_state["board_decisions_grid"])
            except EffektError as error:
                st.error(context.t(error.key, **error.params))
            except QuarterError as error:
                st.error(context.t("board.decisions.bad_quarter", text=error.text))
            else:
                st.success(context.t("board.decisions.saved", count=changed))

if mode == "decisions":
    board.render_voice_editor(context)

# In the open under the slides, not folded away: the pack is what a board member comes for
# (downloaded with the keyboard alone in tests/e2e/test_keyboard_journeys.py).
st.subheader(context.t("board.downloads"), anchor=False)
for column, (kind, file) in zip(st.columns(4), board.downloads(context, as_of).items(), strict=True):
    column.download_button(file.label, data=file.make, file_name=file.file_name, mime=file.mime,
                           key=f"board_download_{kind}", on_click="ignore", use_container_width=True,
                           icon=":material/download:")
