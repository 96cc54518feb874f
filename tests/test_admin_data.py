"""Administration in the data layer: organisations and metrics change, figures are never deleted."""

from __future__ import annotations

from dataclasses import replace

from data.actors import SYSTEM
from data.catalogue_store import add_metric, list_metrics, set_metric_active, sync_builtin_catalogue, update_metric_wording
from data.db import reading, writing
from data.figures import Figure, figures_frame, save_figures
from data.organisations import NewOrganisation, add_organisations, list_organisations, set_organisation_active
from metrics.periods import Quarter
from tests.conftest import TODAY


def test_an_administrators_wording_survives_a_catalogue_sync(ready_url):
    with writing(ready_url) as session:
        update_metric_wording(session=session, actor=SYSTEM, code="ideas_delivered", wording={"name_sv": "Idéer i drift"})
    with writing(ready_url) as session:
        result = sync_builtin_catalogue(session=session, actor=SYSTEM)
    assert "ideas_delivered" not in result.updated
    with reading(ready_url) as session:
        names = {m.code: m.name_sv for m in list_metrics(session=session)}
    assert names["ideas_delivered"] == "Idéer i drift"


def test_deactivated_metrics_stay_deactivated_and_custom_metrics_come_last(ready_url):
    with writing(ready_url) as session:
        template = list_metrics(session=session)[0]
        add_metric(session=session, actor=SYSTEM, definition=replace(template, code="own", name_sv="Eget", id=None))
        set_metric_active(session=session, actor=SYSTEM, code="ideas_delivered", active=False)
    with writing(ready_url) as session:
        sync_builtin_catalogue(session=session, actor=SYSTEM)
    with reading(ready_url) as session:
        codes = [m.code for m in list_metrics(session=session)]
        custom = next(m for m in list_metrics(session=session) if m.code == "own")
    assert "ideas_delivered" not in codes
    assert codes[-1] == "own"
    assert not custom.built_in


def test_deactivating_an_organisation_keeps_its_figures(ready_url):
    with writing(ready_url) as session:
        a, = add_organisations(session=session, actor=SYSTEM, organisations=[NewOrganisation("a", "A", "kommun")])
        save_figures(session=session, actor=SYSTEM, via="form", today=TODAY, figures=[Figure(a, 1, Quarter(2025, 1), 3)])
        set_organisation_active(session=session, actor=SYSTEM, organisation_id=a, active=False)
    with reading(ready_url) as session:
        assert list_organisations(session=session) == []
        assert len(list_organisations(session=session, include_inactive=True)) == 1
        assert len(figures_frame(session=session, organisation_ids=[a])) == 1
