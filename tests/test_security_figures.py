"""Issue 11 finding 4, as the attack: a planned change whose figure names the editor's organisation
but whose stored row id is another organisation's is refused, audited, and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from data.accounts import actor_for
from data.actors import SYSTEM, PermissionDenied
from data.db import reading, writing
from data.figures import CurrentFigure, Figure, FigureChange, save_planned
from data.models import AuditEvent, Measurement, MeasurementRevision, Organisation
from metrics.periods import Quarter
from tests.conftest import TODAY


def _organisation(url: str, code: str) -> int:
    with reading(url) as session:
        return session.scalar(select(Organisation.id).where(Organisation.code == code))


def _stored(url: str, organisation_id: int) -> list[tuple]:
    with reading(url) as session:
        return [tuple(r) for r in session.execute(select(
            Measurement.id, Measurement.metric_id, Measurement.period, Measurement.value, Measurement.version,
            Measurement.updated_by).where(Measurement.organisation_id == organisation_id).order_by(Measurement.id))]


def _revisions(url: str) -> int:
    with reading(url) as session:
        return session.scalar(select(func.count(MeasurementRevision.id))) or 0


def _forged(url: str, kind: str, *, own_cell: bool = True) -> tuple[FigureChange, int]:
    """Ekbacka's cell (or, with ``own_cell=False``, another of Sjövik's cells) over Sjövik's row id."""
    ekbacka, sjovik = _organisation(url, "demo-ekbacka"), _organisation(url, "demo-sjovik")
    with reading(url) as session:
        row = session.scalars(select(Measurement).where(Measurement.organisation_id == sjovik)
                              .order_by(Measurement.id).limit(1)).one()
        current = CurrentFigure(id=row.id, value=row.value, status=row.status, comment=row.comment,
                                version=row.version, updated_by=row.updated_by, updated_at=row.updated_at)
        period, metric_id = row.period if own_cell else row.period - 1, row.metric_id
    value = None if kind == "retracted" else current.value + 1
    figure = Figure(ekbacka if own_cell else sjovik, metric_id, Quarter.from_index(period), value)
    return FigureChange(figure, kind, current), sjovik


@pytest.mark.parametrize("kind", ["changed", "retracted"])
def test_an_editor_cannot_write_another_organisations_row_through_a_forged_id(demo_url, kind):
    change, sjovik = _forged(demo_url, kind)
    before, revisions = _stored(demo_url, sjovik), _revisions(demo_url)
    with writing(demo_url) as session:
        editor = actor_for(session=session, username="demo-editor", origin="api")
    with pytest.raises(PermissionDenied) as error, writing(demo_url) as session:
        save_planned(session=session, actor=editor, changes=[change], via="api", today=TODAY, locked=True)
    assert error.value.key == "permission.edit_organisation"
    assert _stored(demo_url, sjovik) == before
    assert _revisions(demo_url) == revisions
    with reading(demo_url) as session:
        last = session.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.organisation_id)
                               .order_by(AuditEvent.id.desc()).limit(1)).one()
    assert tuple(last) == ("permission.denied", "demo-editor", sjovik)


def test_a_row_id_that_is_not_the_figures_own_cell_is_refused_even_for_an_administrator(demo_url):
    change, sjovik = _forged(demo_url, "changed", own_cell=False)
    before = _stored(demo_url, sjovik)
    with pytest.raises(PermissionDenied) as error, writing(demo_url) as session:
        save_planned(session=session, actor=SYSTEM, changes=[change], via="api", today=TODAY, locked=True)
    assert error.value.key == "security.figure_row_mismatch"
    assert _stored(demo_url, sjovik) == before
