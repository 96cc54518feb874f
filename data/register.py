"""Sweden's register: the 290 municipalities and 21 regions, and SKR's municipality groups.

The reference lists live in ``data/reference/`` (SCB's code lists; see its README). Loading adds
what is missing and fills in an empty county, never more: a name, peer group or size an
administrator set stays as it is, so a second load changes nothing. Codes are text, four digits
(``0114``); an organisation typed earlier as ``114`` is the same municipality.

Gotland is both: the municipality ``0980`` (compared with municipalities) and Region Gotland
``0009`` (compared with regions), two organisations for one body with both responsibilities.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.importing.problems import ImportProblem
from data.importing.reading import read_table
from data.models import Organisation
from data.organisations import NewOrganisation, add_organisations
from data.versioning import bump_data_version
from metrics.skr_groups import GROUPS, find_group

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
REGISTER_KINDS = ("kommun", "region")
CODE_HEADERS = ("kommunkod", "kommun kod", "kommun-kod", "kod")
GROUP_HEADERS = ("kommungrupp 2023", "kommungrupp")
# How far down a sheet the header may sit below SKR's title rows.
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class RegisterEntry:
    code: str
    name: str
    kind: str
    county_code: str


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def reference_entries() -> tuple[RegisterEntry, ...]:
    """Every municipality (kommunkod) and region (Kolada's id, ``00`` + länskod), codes as text."""
    municipalities = [RegisterEntry(r["code"], r["name"], "kommun", r["county_code"]) for r in _rows("municipalities.csv")]
    regions = [RegisterEntry(r["kolada_id"], r["name"], "region", r["county_code"]) for r in _rows("regions.csv")]
    return tuple(municipalities + regions)


@functools.cache
def counties() -> dict[str, str]:
    """länskod → name (``01`` → ``Stockholms län``), in code order."""
    return {r["code"]: r["name"] for r in _rows("counties.csv")}


def register_code(code: str) -> str:
    """A municipality or region code as the register writes it: digits padded to four (``180`` → ``0180``)."""
    cleaned = code.strip()
    return cleaned.zfill(4) if cleaned.isdigit() and len(cleaned) < 4 else cleaned


@dataclass(frozen=True)
class RegisterLoad:
    added: int
    changed: int
    unchanged: int


def load_register(*, session: Session, actor: Actor, kinds: Sequence[str] = REGISTER_KINDS) -> RegisterLoad:
    """Add the register's missing municipalities and regions and fill in empty counties
    (administrators only), in the caller's transaction; audited."""
    actor.require_admin()
    present = {register_code(row.code): row for row in session.scalars(select(Organisation))}
    new: list[NewOrganisation] = []
    changed = unchanged = 0
    for entry in reference_entries():
        if entry.kind not in kinds:
            continue
        row = present.get(entry.code)
        if row is None:
            new.append(NewOrganisation(entry.code, entry.name, entry.kind, county_code=entry.county_code))
        elif row.county_code is None:
            row.county_code = entry.county_code
            record_event(session=session, actor=actor, action="organisation.edit", organisation_id=row.id,
                         detail={"before": {"county_code": None}, "after": {"county_code": entry.county_code}})
            changed += 1
        else:
            unchanged += 1
    if new:
        add_organisations(session=session, actor=actor, organisations=new)
    record_event(session=session, actor=actor, action="organisation.register_load",
                 detail={"kinds": list(kinds), "added": len(new), "changed": changed})
    bump_data_version(session)
    return RegisterLoad(len(new), changed, unchanged)


# --- SKR's municipality groups as peer groups ---------------------------------------------------

@dataclass(frozen=True)
class PeerGroupResult:
    rows: int
    changed: int
    problems: tuple[ImportProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def set_peer_groups(
    *, session: Session, actor: Actor, content: bytes, file_name: str, sheet: str | None = None
) -> PeerGroupResult:
    """Set municipalities' peer groups from SKR's spreadsheet (administrators only): all rows or,
    with any problem, none; the problems name their rows like the importer's."""
    actor.require_admin()
    header, rows, problems = read_table(content, file_name, sheet)
    wanted = _read_groups(header, rows, problems, _organisations_by_code(session))
    if problems:
        return PeerGroupResult(len(wanted), 0, tuple(problems))
    changed = 0
    for row, code in wanted.values():
        if row.peer_group != code:
            record_event(session=session, actor=actor, action="organisation.edit", organisation_id=row.id,
                         detail={"before": {"peer_group": row.peer_group}, "after": {"peer_group": code}})
            row.peer_group = code
            changed += 1
    record_event(session=session, actor=actor, action="organisation.peer_groups",
                 detail={"file": file_name, "rows": len(wanted), "changed": changed})
    bump_data_version(session)
    return PeerGroupResult(len(wanted), changed, ())


def _organisations_by_code(session: Session) -> dict[str, Organisation]:
    return {register_code(row.code): row for row in session.scalars(select(Organisation))}


def _find_columns(
    header: list[str], rows: Iterator[tuple[int, list[str]]], problems: list[ImportProblem]
) -> tuple[int, int] | None:
    """The code and group columns, from the first row (or one of the next few, below SKR's title
    rows) whose cells name both; consumes the rows up to that header."""
    candidate = header
    for _ in range(HEADER_SEARCH_ROWS + 1):
        names = [cell.strip().lstrip("\ufeff").lower() for cell in candidate]
        code = next((names.index(h) for h in CODE_HEADERS if h in names), None)
        group = next((names.index(h) for h in GROUP_HEADERS if h in names), None)
        if code is not None and group is not None:
            return code, group
        following = next(rows, None)
        if following is None:
            break
        candidate = following[1]
    problems.append(ImportProblem(1, None, "", "sweden.peer_columns"))
    return None


def _read_groups(
    header: list[str], rows: Iterator[tuple[int, list[str]]], problems: list[ImportProblem],
    organisations: dict[str, Organisation],
) -> dict[str, tuple[Organisation, str]]:
    """code → (organisation, SKR group code) for every valid row; problems for the others."""
    if problems:
        return {}
    columns = _find_columns(header, rows, problems)
    if columns is None:
        return {}
    known = {entry.code for entry in reference_entries() if entry.kind == "kommun"}
    wanted: dict[str, tuple[Organisation, str]] = {}
    seen: dict[str, int] = {}
    for number, cells in rows:
        code_text, group_text = (cells[i].strip() if i < len(cells) else "" for i in columns)
        code = register_code(code_text)
        group = find_group(group_text)
        row = organisations.get(code)
        if code in seen:
            problems.append(ImportProblem(number, "kommunkod", code_text, "sweden.peer_duplicate",
                                          {"other_row": seen[code], "row": number}))
            continue
        seen[code] = number
        if row is None:
            key = "sweden.peer_not_loaded" if code in known else "sweden.peer_unknown_code"
            problems.append(ImportProblem(number, "kommunkod", code_text, key))
        if group is None:
            problems.append(ImportProblem(number, "kommungrupp", group_text, "sweden.peer_unknown_group",
                                          {"groups": ", ".join(GROUPS)}))
        if row is not None and group is not None:
            wanted[code] = (row, group.code)
    if not seen and not problems:
        problems.append(ImportProblem(None, None, "", "import.no_rows"))
    return wanted
