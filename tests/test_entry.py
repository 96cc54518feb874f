"""Kvartalsdata: the form saves what changed in one go, retracts emptied figures, and resolves
conflicts between two people instead of overwriting silently."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select

from data.actors import SYSTEM
from data.catalogue_store import list_metrics
from data.db import reading, writing
from data.figures import Figure, FigureConflict, figures_frame, revisions_frame, save_figures
from data.models import MeasurementRevision
from data.organisations import list_organisations
from metrics.periods import Quarter
from presentation.formatting import input_text
from tests.apptest_support import open_app, shown_text


def ids(url):
    with reading(url) as session:
        organisation = list_organisations(session=session)[0]
        metrics = {m.code: m.id for m in list_metrics(session=session)}
    return organisation.id, metrics


def stored(url, organisation_id, metric_id, quarter):
    with reading(url) as session:
        frame = figures_frame(session=session, organisation_ids=[organisation_id], metric_ids=[metric_id],
                              first=quarter, last=quarter)
    return None if frame.empty else (float(frame["value"].iloc[0]), frame["status"].iloc[0], frame["comment"].iloc[0])


def revision_count(url):
    with reading(url) as session:
        return session.scalar(select(func.count(MeasurementRevision.id)))


def test_the_form_shows_the_previous_quarter_beside_each_input(app_db, monkeypatch):
    organisation_id, m = ids(app_db)
    quarter = Quarter.last_completed()
    with writing(app_db) as session:
        save_figures(session=session, actor=SYSTEM, via="form", figures=[
            Figure(organisation_id, m["customer_satisfaction"], quarter.previous, 64.25),
        ])
    at = open_app(app_db, monkeypatch, page="entry")
    assert "Föregående kvartal: 64,2\u00a0%" in shown_text(at)  # 64.25 to one decimal, half to even
    assert at.text_input(key="entry_value_customer_satisfaction").help.startswith("Andel")
    assert not at.exception


def test_saving_several_changes_lists_each_and_writes_one_revision_each(app_db, monkeypatch):
    organisation_id, m = ids(app_db)
    quarter = Quarter.last_completed()
    before = revision_count(app_db)
    at = open_app(app_db, monkeypatch, page="entry")
    at.text_input(key="entry_value_ideas_delivered").set_value("41")
    at.text_input(key="entry_value_customer_satisfaction").set_value("88,5")
    at.selectbox(key="entry_status_customer_satisfaction").set_value("preliminary")
    at.text_input(key="entry_comment_customer_satisfaction").set_value("Enkäten är inte klar")
    at.button(key="FormSubmitter:entry_form-Spara").click().run()
    text = shown_text(at)
    assert "Sparat: 2 värden ändrades." in text
    assert "Levererade idéer:" in text
    assert "→ 41 (uppmätt)" in text
    assert "Kundnöjdhet:" in text
    assert "→ 88,5\u00a0% (preliminär)" in text
    assert revision_count(app_db) == before + 2
    assert stored(app_db, organisation_id, m["customer_satisfaction"], quarter) == (88.5, "preliminary", "Enkäten är inte klar")
    again = at.button(key="FormSubmitter:entry_form-Spara").click().run()
    assert "Inget att spara" in shown_text(again)
    assert revision_count(app_db) == before + 2
    assert not at.exception


def test_an_emptied_input_retracts_the_figure_as_a_revision(app_db, monkeypatch):
    organisation_id, m = ids(app_db)
    quarter = Quarter.last_completed()
    with writing(app_db) as session:
        save_figures(session=session, actor=SYSTEM, via="form", figures=[
            Figure(organisation_id, m["media_stories"], quarter, 3.0),
        ])
    at = open_app(app_db, monkeypatch, page="entry")
    assert at.text_input(key="entry_value_media_stories").value == "3"
    at.text_input(key="entry_value_media_stories").set_value("")
    at.button(key="FormSubmitter:entry_form-Spara").click().run()
    assert "(borttaget)" in shown_text(at)
    assert stored(app_db, organisation_id, m["media_stories"], quarter) is None
    with reading(app_db) as session:
        history = revisions_frame(session=session, organisation_id=organisation_id, metric_id=m["media_stories"],
                                  quarter=quarter)
    assert pd.isna(history["new_value"].iloc[0])
    assert history["old_value"].iloc[0] == 3.0


def test_an_empty_input_never_becomes_zero(app_db, monkeypatch):
    organisation_id, m = ids(app_db)
    quarter = Quarter.last_completed()
    with writing(app_db) as session:
        save_figures(session=session, actor=SYSTEM, via="form", figures=[
            Figure(organisation_id, m["lessons_shared"], quarter, None),
        ])
    at = open_app(app_db, monkeypatch, page="entry")
    assert at.text_input(key="entry_value_lessons_shared").value == ""
    at.text_input(key="entry_value_media_stories").set_value("2")
    at.button(key="FormSubmitter:entry_form-Spara").click().run()
    assert stored(app_db, organisation_id, m["lessons_shared"], quarter) is None


def test_what_is_missing_for_the_last_completed_quarter_is_at_the_top(app_db, monkeypatch):
    organisation_id, m = ids(app_db)
    quarter = Quarter.last_completed()
    with writing(app_db) as session:
        save_figures(session=session, actor=SYSTEM, via="form", figures=[
            Figure(organisation_id, m["media_stories"], quarter, None),
            Figure(organisation_id, m["ideas_delivered"], quarter, 5.0, "estimated"),
        ])
    at = open_app(app_db, monkeypatch, page="entry")
    # Björkhamn's vision was already missing; four figures were preliminary before ideas became estimated.
    assert at.expander[0].label == "Inrapportering 2025 K3: 2 av 18 mätetal saknas, 5 uppskattade eller preliminära"
    text = shown_text(at)
    assert "Förankrad vision: uppgift saknas" in text
    assert "Berättelser om oss: uppgift saknas" in text
    assert "Levererade idéer: uppskattad" in text


def conflicting_save(url, monkeypatch):
    """Anna and Bo open the form; Anna saves ideas = 10; Bo, who still sees the old figure, saves
    ideas = 12 and stories = 7. Returns Bo's app, showing the conflict."""
    anna = open_app(url, monkeypatch, page="entry")
    bo = open_app(url, monkeypatch, page="entry")
    anna.text_input(key="entry_value_ideas_delivered").set_value("10")
    anna.button(key="FormSubmitter:entry_form-Spara").click().run()
    assert "Sparat: 1 värden ändrades." in shown_text(anna)
    bo.text_input(key="entry_value_ideas_delivered").set_value("12")
    bo.text_input(key="entry_value_media_stories").set_value("7")
    bo.button(key="FormSubmitter:entry_form-Spara").click().run()
    return bo


def test_two_people_editing_the_same_figure_get_a_conflict_and_can_overwrite(app_db, monkeypatch):
    organisation_id, m = ids(app_db)
    quarter = Quarter.last_completed()
    bo = conflicting_save(app_db, monkeypatch)
    warning = shown_text(bo)
    assert "Inget sparades: någon annan har ändrat 1 av värdena" in warning
    assert "Levererade idéer: nu 10, ändrat av test-admin" in warning
    assert "ditt värde 12" in warning
    assert stored(app_db, organisation_id, m["ideas_delivered"], quarter)[0] == 10.0
    bo.button(key="entry_overwrite").click().run()
    assert "Sparat: 2 värden ändrades." in shown_text(bo)
    assert stored(app_db, organisation_id, m["ideas_delivered"], quarter)[0] == 12.0
    assert stored(app_db, organisation_id, m["media_stories"], quarter)[0] == 7.0
    assert not bo.exception


def test_keeping_the_other_persons_figure_saves_only_the_rest(app_db, monkeypatch):
    organisation_id, m = ids(app_db)
    quarter = Quarter.last_completed()
    bo = conflicting_save(app_db, monkeypatch)
    bo.button(key="entry_keep").click().run()
    assert "Sparat: 1 värden ändrades." in shown_text(bo)
    assert stored(app_db, organisation_id, m["ideas_delivered"], quarter)[0] == 10.0
    assert stored(app_db, organisation_id, m["media_stories"], quarter)[0] == 7.0
    assert bo.text_input(key="entry_value_ideas_delivered").value == "10"


def test_two_database_sessions_a_stale_version_is_refused_then_overwritten_on_purpose(ready_url):
    from data.organisations import NewOrganisation, add_organisations

    with writing(ready_url) as session:
        (a,) = add_organisations(session=session, actor=SYSTEM, organisations=[NewOrganisation("a", "A", "kommun")])
        metric = {x.code: x.id for x in list_metrics(session=session)}["ideas_delivered"]
        save_figures(session=session, actor=SYSTEM, via="form", figures=[Figure(a, metric, Quarter(2025, 2), 3.0)])
    # Both people load version 1 in their own sessions.
    with reading(ready_url) as first, reading(ready_url) as second:
        seen_first = figures_frame(session=first)["version"].iloc[0]
        seen_second = figures_frame(session=second)["version"].iloc[0]
    assert seen_first == seen_second == 1
    with writing(ready_url) as first:
        save_figures(session=first, actor=SYSTEM, via="form",
                     figures=[Figure(a, metric, Quarter(2025, 2), 4.0, expected_version=int(seen_first))])
    with pytest.raises(FigureConflict) as conflict, writing(ready_url) as second:
        save_figures(session=second, actor=SYSTEM, via="form",
                     figures=[Figure(a, metric, Quarter(2025, 2), 9.0, expected_version=int(seen_second))])
    current = conflict.value.conflicts[0].current
    assert (current.value, current.version, current.updated_by) == (4.0, 2, "system")
    with writing(ready_url) as second:
        save_figures(session=second, actor=SYSTEM, via="form",
                     figures=[Figure(a, metric, Quarter(2025, 2), 9.0, expected_version=current.version)])
    with reading(ready_url) as session:
        assert figures_frame(session=session)["value"].tolist() == [9.0]


def test_coming_back_to_the_form_shows_the_stored_figures_again(app_db, monkeypatch):
    organisation_id, m = ids(app_db)
    quarter = Quarter.last_completed()
    stored_value = stored(app_db, organisation_id, m["api_opening_time"], quarter)
    at = open_app(app_db, monkeypatch, page="entry")
    at.switch_page("app_pages/overview.py").run()
    at.switch_page("app_pages/entry.py").run()
    shown = at.text_input(key="entry_value_api_opening_time").value
    assert shown == (input_text(stored_value[0], "sv") if stored_value else "")
    at.segmented_control(key="entry_mode").set_value("grid").run()
    at.segmented_control(key="entry_mode").set_value("form").run()
    assert at.text_input(key="entry_value_api_opening_time").value == shown
    at.button(key="FormSubmitter:entry_form-Spara").click().run()
    assert "Inget att spara" in shown_text(at)
