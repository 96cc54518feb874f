"""Sweden's register and SKR's municipality groups: on SQLite and PostgreSQL, through the CLI and the data layer."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

import cli
from data.actors import SYSTEM, Actor, PermissionDenied
from data.db import reading, writing
from data.models import AuditEvent
from data.organisations import NewOrganisation, OrganisationInfo, add_organisations, list_organisations, update_organisation
from data.register import load_register, set_peer_groups
from metrics.skr_groups import find_group, main_group, peer_group_label


def run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--database", url, "--language", "en", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def organisations(url: str) -> dict[str, OrganisationInfo]:
    with reading(url) as session:
        return {o.code: o for o in list_organisations(session=session, include_inactive=True)}


def test_register_load_gives_290_municipalities_and_21_regions_and_a_second_run_changes_nothing(db_url, capsys):
    code, out, _ = run(capsys, db_url, "register", "load")
    assert code == 0
    assert out.strip() == "Register: 311 organisations added, 0 changed, 0 already as they should be."
    rows = organisations(db_url)
    assert sum(r.kind == "kommun" for r in rows.values()) == 290
    assert sum(r.kind == "region" for r in rows.values()) == 21
    assert all(len(c) == 4 and c.isdigit() for c in rows)
    assert (rows["0114"].name, rows["0114"].county_code) == ("Upplands Väsby", "01")
    assert (rows["0980"].name, rows["0980"].kind, rows["0980"].county_code) == ("Gotland", "kommun", "09")
    assert (rows["0009"].name, rows["0009"].kind) == ("Region Gotland", "region")
    assert (rows["0014"].name, rows["0014"].county_code) == ("Västra Götalandsregionen", "14")
    code, out, _ = run(capsys, db_url, "register", "load")
    assert out.strip() == "Register: 0 organisations added, 0 changed, 311 already as they should be."
    with reading(db_url) as session:
        loads = session.scalar(select(func.count()).where(AuditEvent.action == "organisation.register_load"))
    assert loads == 2


def test_only_regions_then_municipalities(db_url, capsys):
    assert run(capsys, db_url, "register", "load", "--kind", "region")[1].startswith("Register: 21 organisations added")
    assert run(capsys, db_url, "register", "load", "--kind", "kommun")[1].startswith("Register: 290 organisations added")


def test_an_administrators_edits_survive_and_existing_codes_are_matched(ready_url):
    with writing(ready_url) as session:
        [stockholm, _] = add_organisations(session=session, actor=SYSTEM, organisations=[
            NewOrganisation("0180", "Stockholms stad", "kommun", peer_group="Storstäder", employees=48000),
            NewOrganisation("114", "Upplands Väsby kommun", "kommun"),  # typed without the leading zero
        ])
    with writing(ready_url) as session:
        result = load_register(session=session, actor=SYSTEM)
    assert (result.added, result.changed, result.unchanged) == (309, 2, 0)
    rows = organisations(ready_url)
    assert len(rows) == 311
    assert "0114" not in rows
    assert (rows["0180"].name, rows["0180"].peer_group, rows["0180"].employees, rows["0180"].county_code) == (
        "Stockholms stad", "Storstäder", 48000, "01")
    assert (rows["114"].name, rows["114"].county_code) == ("Upplands Väsby kommun", "01")
    with writing(ready_url) as session:
        update_organisation(session=session, actor=SYSTEM, organisation_id=stockholm, name="Stockholm stad")
    with writing(ready_url) as session:
        again = load_register(session=session, actor=SYSTEM)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 311)
    assert organisations(ready_url)["0180"].name == "Stockholm stad"


def test_a_viewer_may_not_load_the_register(ready_url):
    with pytest.raises(PermissionDenied), writing(ready_url) as session:
        load_register(session=session, actor=Actor("vic", "viewer"))
    assert organisations(ready_url) == {}


SKR_CSV = (
    "Kommungruppsindelning 2023;;;\n"
    "Kommunkod;Kommun;Kommungrupp 2023;Huvudgrupp\n"
    "0180;Stockholm;A1;A\n"
    "114;Upplands Väsby;A2. Pendlingskommun nära storstad;A\n"
    "2584;Kiruna;Landsbygdskommun;C\n"
    "0980;Gotland;c9;C\n"
)


def test_peer_groups_from_skrs_csv_set_the_groups_and_say_how_many_changed(db_url, capsys, tmp_path):
    run(capsys, db_url, "register", "load")
    path = tmp_path / "kommungrupper.csv"
    path.write_text(SKR_CSV, encoding="utf-8")
    code, out, err = run(capsys, db_url, "register", "peer-groups", str(path))
    assert (code, err) == (0, "")
    assert out.strip() == "SKR's municipality groups: 4 rows read, 4 peer groups changed."
    rows = organisations(db_url)
    assert [rows[c].peer_group for c in ("0180", "0114", "2584", "0980", "0181")] == ["A1", "A2", "C8", "C9", None]
    assert run(capsys, db_url, "register", "peer-groups", str(path))[1].strip() == (
        "SKR's municipality groups: 4 rows read, 0 peer groups changed.")


def test_peer_groups_from_an_xlsx_with_other_headings(db_url, capsys, tmp_path):
    run(capsys, db_url, "register", "load", "--kind", "kommun")
    book = Workbook()
    sheet = book.active
    sheet.append(["KOD", "Namn", "kommungrupp"])
    sheet.append([1480, "Göteborg", "A1 Storstäder"])
    sheet.append(["0114", "Upplands Väsby", "Commuter municipality near a metropolis"])
    path = tmp_path / "skr.xlsx"
    book.save(path)
    code, out, _ = run(capsys, db_url, "register", "peer-groups", str(path))
    assert code == 0
    assert "2 peer groups changed" in out
    rows = organisations(db_url)
    assert (rows["1480"].peer_group, rows["0114"].peer_group) == ("A1", "A2")


def test_one_unknown_code_changes_nothing_and_names_the_row(db_url, capsys, tmp_path):
    run(capsys, db_url, "register", "load")
    path = tmp_path / "bad.csv"
    path.write_text(SKR_CSV + "9999;Atlantis;B3;B\n0180;Stockholm;A1;A\n1280;Malmö;Z9;A\n", encoding="utf-8")
    code, out, err = run(capsys, db_url, "register", "peer-groups", str(path))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "Row 7, column kommunkod, «9999»: No municipality has that code.",
        "Row 8, column kommunkod, «0180»: Rows 3 and 8 are for the same municipality. Keep one of them.",
        "Row 9, column kommungrupp, «Z9»: Not one of SKR's municipality groups (A1, A2, B3, B4, B5, C6, C7, C8, C9).",
    ]
    assert all(row.peer_group is None for row in organisations(db_url).values())


def test_a_file_without_the_columns_or_before_the_register_is_refused(ready_url):
    with writing(ready_url) as session:
        missing = set_peer_groups(session=session, actor=SYSTEM, content=b"code,group\n0180,A1\n", file_name="x.csv")
        not_loaded = set_peer_groups(session=session, actor=SYSTEM, content=b"Kommunkod,Kommungrupp\n0180,A1\n",
                                     file_name="x.csv")
        empty = set_peer_groups(session=session, actor=SYSTEM, content=b"", file_name="x.csv")
    assert [p.key for p in missing.problems] == ["sweden.peer_columns"]
    assert [(p.row, p.key) for p in not_loaded.problems] == [(2, "sweden.peer_not_loaded")]
    assert [p.key for p in empty.problems] == ["import.empty_file"]


def test_an_editor_may_not_set_peer_groups(ready_url):
    with writing(ready_url) as session:
        load_register(session=session, actor=SYSTEM)
    with pytest.raises(PermissionDenied), writing(ready_url) as session:
        set_peer_groups(session=session, actor=Actor("eda", "editor", frozenset({1})),
                        content=b"Kommunkod,Kommungrupp\n0180,A1\n", file_name="x.csv")
    with reading(ready_url) as session:
        assert all(o.peer_group is None for o in list_organisations(session=session))


def test_skr_groups_by_code_or_name_and_their_main_group():
    assert find_group("b4").code == "B4"
    assert find_group("B5 - Lågpendlingskommun nära större stad").code == "B5"
    assert find_group("  mindre   stad/tätort ").code == "C6"
    assert find_group("Storstad") is None
    assert find_group("D1") is None
    assert find_group("") is None
    assert (main_group("C7"), main_group("Egen grupp"), main_group(None)) == ("C", None, None)
    assert peer_group_label("A2", "sv") == "A2 Pendlingskommun nära storstad"
    assert peer_group_label("A2", "en") == "A2 Commuter municipality near a metropolis"
    assert peer_group_label("Egen grupp", "en") == "Egen grupp"
