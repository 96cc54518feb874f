"""Saving figures: a revision for every change, nothing for no change, all or nothing, conflicts."""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select

from data.actors import SYSTEM, Actor, PermissionDenied
from data.db import reading, writing
from data.figures import Figure, FigureConflict, FigureRejected, figures_frame, revisions_frame, save_figures
from data.models import Measurement, MeasurementRevision
from metrics.periods import Quarter

TODAY = dt.date(2025, 11, 15)
Q = Quarter(2025, 2)


def save(url, figures, actor=SYSTEM, via="form"):
    with writing(url) as session:
        return save_figures(session=session, actor=actor, figures=figures, via=via, today=TODAY)


def counts(url):
    with reading(url) as session:
        return (session.scalar(select(func.count(Measurement.id))),
                session.scalar(select(func.count(MeasurementRevision.id))))


def test_new_changed_unchanged_and_retracted_figures_each_write_one_revision(org):
    url, (a, _), m = org
    sat = m["customer_satisfaction"]
    first = save(url, [Figure(a, sat, Q, 71.5), Figure(a, m["ideas_delivered"], Q, 4)])
    assert (first.created, first.changed, first.unchanged) == (2, 0, 0)
    assert counts(url) == (2, 2)
    again = save(url, [Figure(a, sat, Q, 71.5)])
    assert (again.created, again.changed, again.unchanged) == (0, 0, 1)
    assert counts(url) == (2, 2)
    changed = save(url, [Figure(a, sat, Q, 73.0, "preliminary", "Enkät pågår")])
    assert changed.changed == 1
    assert counts(url) == (2, 3)
    retracted = save(url, [Figure(a, sat, Q, None)])
    assert retracted.retracted == 1
    assert counts(url) == (1, 4)
    with reading(url) as session:
        history = revisions_frame(session=session, organisation_id=a, metric_id=sat)
    assert pd.isna(history["new_value"].iloc[0])  # the newest revision is the retraction
    assert history["old_value"].tolist()[:2] == [73.0, 71.5]
    assert history["via"].tolist() == ["form", "form", "form"]
    assert history["changed_by"].unique().tolist() == ["system"]


def test_a_bad_figure_anywhere_writes_nothing(org):
    url, (a, _), m = org
    with pytest.raises(FigureRejected) as error:
        save(url, [Figure(a, m["customer_satisfaction"], Q, 70.0), Figure(a, m["customer_satisfaction"], Q - 1, 120.0)])
    assert error.value.key == "value.above_max"
    with pytest.raises(FigureRejected) as error:
        save(url, [Figure(a, m["ideas_delivered"], Q, 2.5)])
    assert error.value.key == "value.not_whole"
    with pytest.raises(FigureRejected) as error:
        save(url, [Figure(a, m["ideas_delivered"], Quarter(2026, 1), 2)])
    assert error.value.key == "period.future"
    assert counts(url) == (0, 0)


def test_an_editor_may_change_only_their_own_organisation(org):
    url, (a, b), m = org
    editor = Actor("eva", "editor", frozenset({a}))
    assert save(url, [Figure(a, m["ideas_delivered"], Q, 3)], actor=editor).created == 1
    with pytest.raises(PermissionDenied):
        save(url, [Figure(a, m["ideas_delivered"], Q, 5), Figure(b, m["ideas_delivered"], Q, 5)], actor=editor)
    with pytest.raises(PermissionDenied):
        save(url, [Figure(a, m["ideas_delivered"], Q, 5)], actor=Actor("vera", "viewer", frozenset({a})))
    with reading(url) as session:
        frame = figures_frame(session=session)
    assert frame["value"].tolist() == [3.0]


def test_a_stale_version_is_a_conflict_not_an_overwrite(org):
    url, (a, _), m = org
    ideas = m["ideas_delivered"]
    save(url, [Figure(a, ideas, Q, 3)])
    save(url, [Figure(a, ideas, Q, 4, expected_version=1)])  # the first person saves on version 1
    with pytest.raises(FigureConflict) as conflict:
        save(url, [Figure(a, ideas, Q, 9, expected_version=1)])  # the second still saw version 1
    current = conflict.value.conflicts[0].current
    assert (current.value, current.version, current.updated_by) == (4.0, 2, "system")
    with reading(url) as session:
        assert figures_frame(session=session)["value"].tolist() == [4.0]


def test_figures_frame_slices_by_organisation_metric_and_quarter(org):
    url, (a, b), m = org
    sat = m["customer_satisfaction"]
    save(url, [Figure(a, sat, Q - 1, 60.0), Figure(a, sat, Q, 61.0), Figure(b, sat, Q, 80.0)])
    with reading(url) as session:
        only_q = figures_frame(session=session, metric_ids=[sat], first=Q, last=Q)
        only_a = figures_frame(session=session, organisation_ids=[a])
    assert sorted(only_q["value"].tolist()) == [61.0, 80.0]
    assert sorted(only_a["period"].tolist()) == [(Q - 1).index, Q.index]
