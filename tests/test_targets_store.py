"""Targets in the database: audited, permission-checked, versioned, and never changed silently."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from data.actors import SYSTEM, Actor, PermissionDenied
from data.audit import audit_frame
from data.db import reading, writing
from data.demo import remove_demo
from data.models import Target, TargetRevision
from data.targets import TargetConflict, TargetInput, remove_target, save_target, target_history, targets_frame
from data.versioning import read_data_version
from metrics.periods import Quarter
from metrics.targets import TargetError

Q = Quarter.parse


def satisfaction(organisation_id, metric_id, target_value=90.0, **extra):
    return TargetInput(organisation_id, metric_id, "planned", Q("2024-Q1"), 70.0, Q("2026-Q4"), target_value, **extra)


def save(url, target, actor=SYSTEM):
    with writing(url) as session:
        return save_target(session=session, actor=actor, target=target)


def test_create_change_and_unchanged_each_leave_the_right_trace(org):
    url, (a, _), m = org
    sat = m["customer_satisfaction"]
    with reading(url) as session:
        version = read_data_version(session)
    assert save(url, satisfaction(a, sat, owner="Kundtjänstchef")) .action == "create"
    changed = save(url, satisfaction(a, sat, 95.0, owner="Kundtjänstchef", note="Höjt efter beslut"))
    assert (changed.action, changed.version) == ("change", 2)
    assert save(url, satisfaction(a, sat, 95.0, owner="Kundtjänstchef", note="Höjt efter beslut")).action == "unchanged"
    with reading(url) as session:
        current = targets_frame(session=session, organisation_ids=[a])
        history = target_history(session=session, organisation_id=a)
        audit = audit_frame(session=session)
        assert read_data_version(session) == version + 2
    row = current.iloc[0]
    assert (row["baseline_period"], row["baseline_value"], row["target_period"], row["target_value"]) == (
        Q("2024-Q1").index, 70.0, Q("2026-Q4").index, 95.0)
    assert (row["owner"], row["note"], row["version"]) == ("Kundtjänstchef", "Höjt efter beslut", 2)
    assert history["action"].tolist() == ["change", "create"]
    assert history["target_value"].tolist() == [95.0, 90.0]
    events = audit[audit["action"].str.startswith("target.")]
    assert events["action"].tolist() == ["target.change", "target.create"]
    assert json.loads(events["detail"].iloc[0])["target_value"] == 95.0


def test_a_10x_and_a_planned_target_live_side_by_side(org):
    url, (a, _), m = org
    sat = m["customer_satisfaction"]
    save(url, satisfaction(a, sat))
    save(url, TargetInput(a, sat, "10x", Q("2024-Q1"), 70.0, Q("2026-Q4"), 97.0))
    with reading(url) as session:
        frame = targets_frame(session=session)
    assert sorted(zip(frame["kind"], frame["target_value"], strict=True)) == [("10x", 97.0), ("planned", 90.0)]


def test_only_editors_of_the_organisation_may_change_its_targets(org):
    url, (a, b), m = org
    sat = m["customer_satisfaction"]
    for actor in (Actor("vera", "viewer", frozenset({a})), Actor("erik", "editor", frozenset({b}))):
        with pytest.raises(PermissionDenied):
            save(url, satisfaction(a, sat), actor=actor)
    assert save(url, satisfaction(a, sat), actor=Actor("edda", "editor", frozenset({a}))).action == "create"
    with writing(url) as session, pytest.raises(PermissionDenied):
        remove_target(session=session, actor=Actor("erik", "editor", frozenset({b})), organisation_id=a,
                      metric_id=sat, kind="planned")


@pytest.mark.parametrize(("change", "key"), [
    ({"target_value": 60.0}, "targets.error.wrong_direction"),  # satisfaction: higher is better
    ({"target_value": 120.0}, "invalid.target.target_above_max"),
    ({"target_value": 70.0}, "targets.error.no_distance"),
    ({"target_quarter": Q("2023-Q4")}, "targets.error.quarter_order"),
    ({"kind": "20x"}, "targets.error.kind"),
    ({"owner": "x" * 201}, "targets.error.owner_too_long"),
])
def test_targets_that_cannot_be_followed_are_refused_and_nothing_is_written(org, change, key):
    url, (a, _), m = org
    fields = {**satisfaction(a, m["customer_satisfaction"]).__dict__, **change}
    with pytest.raises(TargetError) as error:
        save(url, TargetInput(**fields))
    assert error.value.key == key
    with reading(url) as session:
        assert session.scalar(select(func.count(TargetRevision.id))) == 0


def test_a_stale_edit_is_a_conflict_and_removal_keeps_the_history(org):
    url, (a, _), m = org
    sat = m["customer_satisfaction"]
    save(url, satisfaction(a, sat, expected_version=0))
    save(url, satisfaction(a, sat, 92.0, expected_version=1))
    with pytest.raises(TargetConflict):
        save(url, satisfaction(a, sat, 93.0, expected_version=1))
    with writing(url) as session:
        assert remove_target(session=session, actor=SYSTEM, organisation_id=a, metric_id=sat, kind="planned")
    with reading(url) as session:
        assert targets_frame(session=session).empty
        history = target_history(session=session, organisation_id=a, metric_id=sat)
    assert history["action"].tolist() == ["remove", "change", "create"]
    assert history["version"].tolist() == [3, 2, 1]


def test_demo_organisations_have_targets_that_go_with_them(demo_url):
    with reading(demo_url) as session:
        targets = targets_frame(session=session)
    assert targets["organisation_id"].nunique() == 12
    assert set(targets["kind"]) == {"planned", "10x"}
    with writing(demo_url) as session:
        remove_demo(session=session, actor=SYSTEM)
    with reading(demo_url) as session:
        assert session.scalar(select(func.count(Target.id))) == 0
        assert session.scalar(select(func.count(TargetRevision.id))) == 0


def test_targets_as_of_a_moment_are_the_ones_the_board_had_then(org):
    import datetime as dt

    from sqlalchemy import update

    from data.models import utcnow
    from data.targets import targets_as_of

    url, (a, b), metrics = org
    save(url, satisfaction(a, metrics["customer_satisfaction"], owner="Anna"))
    with writing(url) as session:
        session.execute(update(TargetRevision).values(changed_at=dt.datetime(2026, 1, 1)))
    save(url, satisfaction(a, metrics["customer_satisfaction"], target_value=95.0, owner="Bo"))
    save(url, satisfaction(b, metrics["customer_satisfaction"]))
    with writing(url) as session:
        remove_target(session=session, actor=SYSTEM, organisation_id=b, metric_id=metrics["customer_satisfaction"],
                      kind="planned")
    with reading(url) as session:
        then = targets_as_of(session=session, moment=dt.datetime(2026, 2, 1), organisation_ids=[a, b])
        now = targets_as_of(session=session, moment=utcnow() + dt.timedelta(seconds=1))
        current = targets_frame(session=session)
    assert then[["organisation_id", "target_value", "owner", "version"]].values.tolist() == [[a, 90.0, "Anna", 1]]
    assert now[["organisation_id", "target_value", "owner", "version"]].values.tolist() == [[a, 95.0, "Bo", 2]]
    assert list(now.columns) == list(current.columns)
    assert now.drop(columns=["updated_at"]).values.tolist() == current.drop(columns=["updated_at"]).values.tolist()
