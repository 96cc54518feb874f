"""SKR's kommungruppsindelning (2023 revision): nine municipality groups in three main groups.

An organisation's peer group holds the group's code (``A1`` … ``C9``) when it follows SKR's
classification, so the stored value is the same in both languages and the main group is its
letter. Names as SKR publishes them; English names are ours (SKR publishes none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    code: str
    name_sv: str
    name_en: str

    def name(self, language: str) -> str:
        return self.name_sv if language == "sv" else self.name_en

    def label(self, language: str) -> str:
        """``A1 Storstäder``: the code and the name, as SKR writes them in its lists."""
        return f"{self.code} {self.name(language)}"


MAIN_GROUPS = {
    "A": Group("A", "Storstäder och storstadsnära kommuner", "Metropolitan municipalities and those near them"),
    "B": Group("B", "Större städer och kommuner nära större stad", "Large towns and municipalities near a large town"),
    "C": Group("C", "Mindre städer/tätorter och landsbygdskommuner", "Small towns and rural municipalities"),
}

GROUPS = {
    group.code: group
    for group in (
        Group("A1", "Storstäder", "Metropolitan municipalities"),
        Group("A2", "Pendlingskommun nära storstad", "Commuter municipality near a metropolis"),
        Group("B3", "Större stad", "Large town"),
        Group("B4", "Pendlingskommun nära större stad", "Commuter municipality near a large town"),
        Group("B5", "Lågpendlingskommun nära större stad", "Low-commuting municipality near a large town"),
        Group("C6", "Mindre stad/tätort", "Small town"),
        Group("C7", "Pendlingskommun nära mindre stad/tätort", "Commuter municipality near a small town"),
        Group("C8", "Landsbygdskommun", "Rural municipality"),
        Group("C9", "Landsbygdskommun med besöksnäring", "Rural municipality with a visitor industry"),
    )
}

_LEADING_CODE = re.compile(r"^\s*([abc][1-9])(?:[\s.:\-–]|$)", re.IGNORECASE)
_BY_NAME = {name.lower(): group.code for group in GROUPS.values() for name in (group.name_sv, group.name_en)}


def find_group(text: str) -> Group | None:
    """The group a spreadsheet cell names: by code (``A1``, ``a1``, ``A1. Storstäder``) or by its
    Swedish or English name, case-insensitively; None when it names none of the nine."""
    cleaned = " ".join(text.split())
    match = _LEADING_CODE.match(cleaned)
    if match:
        return GROUPS.get(match.group(1).upper())
    code = _BY_NAME.get(cleaned.lower())
    return GROUPS[code] if code else None


def main_group(peer_group: str | None) -> str | None:
    """The main group's letter of an SKR peer group (``B4`` → ``B``); None for any other peer group."""
    return peer_group[0] if peer_group in GROUPS else None


def peer_group_label(peer_group: str | None, language: str) -> str | None:
    """How a stored peer group reads: an SKR code with its name, anything else as typed."""
    if peer_group in GROUPS:
        return GROUPS[peer_group].label(language)
    return peer_group
