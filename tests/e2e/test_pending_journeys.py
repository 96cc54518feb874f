"""The journeys of issue 8 that need features still on other branches: skipped, never faked.

Each names the issue it waits for and sketches its steps, so it can be filled in as soon as that
branch is on main. Remove the skip and write the steps against the real page; keep the locators
role- and label-based (tests/e2e/support.py) and write to a metric or organisation no other
journey touches (they share one server and database).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_a_signed_in_editor_enters_the_quarter_and_sees_it_on_oversikt():
    pytest.skip("needs issue 5 (sign-in and roles)")
    # live_app creates an editor of the first organisation; sign in on the sign-in page
    # (get_by_label username/password, button), open Kvartalsdata, fill one spinbutton, Spara,
    # then Översikt: row_of(metric) shows the value, plotted_values("overview_trend")[0][-1] == value.
    # Today's test_a_figure_entered_in_kvartalsdata_... does the same as the local operator.


def test_b_an_import_with_one_bad_row_saves_nothing_then_the_fixed_file_is_previewed_and_saved():
    pytest.skip("needs issue 3 (import preview)")
    # Importera: set_input_files on the uploader with a CSV whose row 3 has period "2025-Q5":
    # the row-level problem (row 3, column period) is shown and stored_values() is unchanged.
    # Upload the corrected file: the preview lists the new/changed figures; Bekräfta och spara;
    # the success message's count matches and stored_values() has every figure.


def test_c_a_10x_target_shows_its_status_and_trajectory_on_the_metric_detail():
    pytest.skip("needs issue 4 (targets and metric detail)")
    # Mål: accept the 10x proposal for one metric; the metric detail shows the target, its status
    # in words (not colour alone) and a trajectory trace in the chart (plotted_values) with its
    # table alternative.


def test_d_compare_normalisation_changes_the_ranking_and_a_viewer_sees_anonymous_peers():
    pytest.skip("needs issue 4 (normalisation) and issue 5 (viewer role)")
    # Jämför: switch normalisation (per employee / per inhabitant); the ranking table's order
    # changes as computed from the database. Then, signed in as a viewer of another organisation,
    # peers other than the own organisation appear without names.


def test_e_board_slides_step_through_and_the_pdf_has_the_right_page_count():
    pytest.skip("needs issue 6 (board slides and PDF)")
    # Styrelserapport: step with Nästa/Föregående (and the keyboard) through every slide;
    # page.expect_download() on the PDF button; the file starts with b"%PDF" and has one page per
    # slide (count "/Type /Page" objects or use pypdf if it is a dependency by then).


def test_g_a_viewer_finds_no_way_to_change_anything_and_a_visitor_sees_only_sign_in():
    pytest.skip("needs issue 5 (sign-in and roles)")
    # As a viewer: no Kvartalsdata/Importera/Administration links, no enabled inputs or save
    # buttons on any page. Signed out: every page URL shows only the sign-in form.
