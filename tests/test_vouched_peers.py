"""Peer statistics on vouched figures: with EFFEKT_PEER_SIGNED_OFF_ONLY only signed-off quarters count."""

from __future__ import annotations

import pandas as pd
import pytest

from data.actors import SYSTEM
from data.db import reading, writing
from data.organisations import list_organisations
from data.signoff import sign_off, vouched_rule
from metrics.disclosure import Rule, counted, peer_statistics
from metrics.periods import Quarter
from reports.gather import board_inputs
from reports.model import _peer_median
from tests.conftest import TODAY

QUARTER = Quarter.last_completed(TODAY)


def test_only_signed_off_cells_count_when_the_rule_carries_them():
    figures = pd.DataFrame({"organisation_id": [1, 2, 3], "period": [QUARTER.index] * 3,
                            "value": [10.0, 20.0, 60.0], "status": ["measured"] * 3})
    vouched = Rule(minimum=2, signed_off=frozenset({(1, QUARTER.index), (2, QUARTER.index)}))

    assert list(counted(figures, vouched)["value"]) == [10.0, 20.0]
    assert peer_statistics(figures, vouched).median == 15.0
    assert peer_statistics(figures, Rule(minimum=2)).median == 20.0
    assert not peer_statistics(figures, Rule(minimum=3, signed_off=vouched.signed_off)).disclosed


def test_the_pack_s_peer_median_waits_for_enough_signed_off_peers(demo_url, monkeypatch):
    monkeypatch.setenv("EFFEKT_PEER_SIGNED_OFF_ONLY", "1")
    monkeypatch.setenv("EFFEKT_PEER_MINIMUM", "2")
    with reading(demo_url) as session:
        organisations = list_organisations(session=session)
        ekbacka = next(o for o in organisations if o.code == "demo-ekbacka")
        peers = [o for o in organisations if o.peer_group == ekbacka.peer_group]
        before = board_inputs(session=session, organisation=ekbacka, quarter=QUARTER, language="sv", today=TODAY)
    assert before.rule.signed_off == frozenset()
    assert len(peers) >= 2
    reported = [m for m in before.metrics if _peer_median(before, m) is None]
    assert len(reported) == len(before.metrics)  # nobody signed off: no peer median anywhere

    with writing(demo_url) as session:
        for peer in peers[:2]:
            sign_off(session=session, actor=SYSTEM, organisation_id=peer.id, quarter=QUARTER,
                     note="Allt utom det som saknas", today=TODAY)
    with reading(demo_url) as session:
        after = board_inputs(session=session, organisation=ekbacka, quarter=QUARTER, language="sv", today=TODAY)
        rule = vouched_rule(session=session, rule=Rule(), signed_off_only=True)

    assert after.rule.signed_off == {(peers[0].id, QUARTER.index), (peers[1].id, QUARTER.index)} == rule.signed_off
    assert after.rule.minimum == 2
    cells = after.peer_figures[(after.peer_figures["period"] == QUARTER.index)
                               & after.peer_figures["organisation_id"].isin([p.id for p in peers[:2]])
                               & (after.peer_figures["status"] != "estimated")]
    both = cells.groupby("metric_id")["value"].agg(["count", "median"])
    both = both[both["count"] == 2]
    assert len(both) >= 10  # most metrics have a counted figure from both signed-off peers
    for metric in after.metrics:
        expected = float(both.loc[metric.id, "median"]) if metric.id in both.index else None
        assert _peer_median(after, metric) == expected


@pytest.mark.parametrize("signed_off_only", [False])
def test_without_the_setting_the_rule_is_the_settings_rule(demo_url, signed_off_only):
    with reading(demo_url) as session:
        assert vouched_rule(session=session, rule=Rule(), signed_off_only=signed_off_only) == Rule()
