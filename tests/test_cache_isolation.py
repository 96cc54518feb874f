"""Cached reads never serve one person's permitted view to someone who lacks the permission."""

from __future__ import annotations

from data.actors import SYSTEM, Actor
from data.db import writing
from data.organisations import NewOrganisation, add_organisations
from ui import reads


def test_comparison_names_are_cached_per_visibility_not_per_url_and_version_only(ready_url):
    with writing(ready_url) as session:
        a, b = add_organisations(session=session, actor=SYSTEM, organisations=[
            NewOrganisation("a", "Anonyma kommun", "kommun"), NewOrganisation("b", "Öppna kommun", "kommun",
                                                                                named_comparison=True),
        ])
    version = reads.data_version(ready_url)
    admin = reads.comparison_names(ready_url, version, Actor("ada", "admin"))
    assert admin == {a: "Anonyma kommun", b: "Öppna kommun"}
    # Same url and data version, straight after the administrator's read filled the cache:
    editor_b = reads.comparison_names(ready_url, version, Actor("edb", "editor", frozenset({b})))
    assert editor_b == {a: None, b: "Öppna kommun"}
    editor_a = reads.comparison_names(ready_url, version, Actor("eda", "editor", frozenset({a})))
    assert editor_a == {a: "Anonyma kommun", b: "Öppna kommun"}
    viewer = reads.comparison_names(ready_url, version, Actor("vic", "viewer"))
    assert viewer == {a: None, b: "Öppna kommun"}
    # Two people with the same permissions share the cached entry.
    assert reads.comparison_names(ready_url, version, Actor("other", "viewer")) == viewer
