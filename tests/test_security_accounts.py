"""Issue 11 findings 1 and 3, issue 13 item 4, written as the attacks: the takeover after demo
removal, the padded-name lock-out bypass, and account input the data layer must refuse."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select

import cli
from data.accounts import actor_for, add_account, create_first_admin, list_accounts
from data.actors import SYSTEM, AccountError, Actor
from data.catalogue_store import list_metrics
from data.db import reading, writing
from data.demo import remove_demo
from data.demo_accounts import DEMO_PASSWORD
from data.figures import Figure, save_figures
from data.models import Account, AccountOrganisation, FailedSignIn, Organisation, SignIn
from data.organisations import NewOrganisation, add_organisations
from data.sign_ins import attempt_sign_in
from metrics.periods import Quarter
from presentation.i18n import translate
from tests.apptest_support import open_app, shown_text
from tests.conftest import TODAY

PASSWORD = "a-long-enough-password"
CLI_MESSAGE = ("Det finns inget konto. Skapa en administratör med `python cli.py user add NAMN --role admin` "
               "på servern och logga sedan in här.")


def _add_real_data_as_demo_admin(url: str) -> Actor:
    """As demo-admin: a real organisation (not demo) with one real figure."""
    with writing(url) as session:
        admin = actor_for(session=session, username="demo-admin", origin="test")
        (real,) = add_organisations(session=session, actor=admin, organisations=[
            NewOrganisation(code="0180", name="Stockholms stad", kind="kommun")])
        metric = list_metrics(session=session)[0]
        save_figures(session=session, actor=admin, via="form", today=TODAY,
                     figures=[Figure(real, metric.id or 0, Quarter(2025, 2), 50.0)])
    return admin


def _account_names(url: str) -> list[str]:
    with reading(url) as session:
        return sorted(session.scalars(select(Account.username)))


# --- finding 1: the takeover after demo removal ------------------------------------------------------

def test_demo_removal_refuses_to_leave_real_data_without_an_administrator(demo_url):
    admin = _add_real_data_as_demo_admin(demo_url)
    before = _account_names(demo_url)
    with pytest.raises(AccountError) as error, writing(demo_url) as session:
        remove_demo(session=session, actor=admin)
    assert error.value.key == "security.demo_removal_needs_admin"
    assert _account_names(demo_url) == before == ["demo-admin", "demo-editor", "demo-viewer"]
    with reading(demo_url) as session:  # nothing of the demo went either
        assert session.scalar(select(func.count(Organisation.id))) == 13
    # A signed-out visitor cannot claim the deployment.
    with pytest.raises(AccountError) as claim, writing(demo_url) as session:
        create_first_admin(session=session, username="intruder", password=PASSWORD, origin="app")
    assert claim.value.key == "account.first_exists"
    assert "intruder" not in _account_names(demo_url)


def test_with_a_real_administrator_the_demo_goes_and_the_administrator_stays(demo_url):
    admin = _add_real_data_as_demo_admin(demo_url)
    with writing(demo_url) as session:
        add_account(session=session, actor=admin, username="Karin", role="admin", password=PASSWORD)
    with writing(demo_url) as session:
        remove_demo(session=session, actor=admin)
    with reading(demo_url) as session:
        assert [a.username for a in list_accounts(session=session, actor=SYSTEM)] == ["karin"]


def test_the_first_administrator_is_refused_on_a_database_with_data_but_no_account(demo_url):
    _add_real_data_as_demo_admin(demo_url)
    with writing(demo_url) as session:  # however the accounts went (an old release, a hand-made delete)
        session.execute(delete(SignIn))
        session.execute(delete(AccountOrganisation))
        session.execute(delete(Account))
    with pytest.raises(AccountError) as error, writing(demo_url) as session:
        create_first_admin(session=session, username="intruder", password=PASSWORD, origin="app")
    assert error.value.key == "security.first_admin_has_data"
    assert translate(error.value.key, "en") == (
        "The database already holds data. Create an administrator with "
        "`python cli.py user add NAME --role admin`.")
    assert _account_names(demo_url) == []


def test_cli_demo_remove_refuses_and_says_how_to_make_an_administrator(demo_url, capsys):
    _add_real_data_as_demo_admin(demo_url)
    assert cli.main(["--database", demo_url, "demo", "--remove"]) == 1
    assert "Skapa först en riktig administratör, till exempel med `python cli.py user add NAMN --role admin`." \
        in capsys.readouterr().err
    assert _account_names(demo_url) == ["demo-admin", "demo-editor", "demo-viewer"]


def test_administration_remove_demo_shows_the_refusal(demo_url, monkeypatch):
    _add_real_data_as_demo_admin(demo_url)
    at = open_app(demo_url, monkeypatch, page="admin", actor=Actor("demo-admin", "admin"))
    at.button(key="admin_remove_demo").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Exempeldata togs inte bort: demo-admin är den enda administratören")
    assert "demo-admin" in _account_names(demo_url)


def test_the_signed_out_page_on_a_database_with_data_shows_the_command_not_the_form(demo_url, monkeypatch):
    monkeypatch.setenv("EFFEKT_DEMO_ON_EMPTY", "0")
    _add_real_data_as_demo_admin(demo_url)
    with writing(demo_url) as session:
        session.execute(delete(SignIn))
        session.execute(delete(AccountOrganisation))
        session.execute(delete(Account))
    at = open_app(demo_url, monkeypatch, signed_in=False)
    assert at.title[0].value == "Logga in"
    assert CLI_MESSAGE in shown_text(at)
    assert "Skapa den första administratören" not in shown_text(at)
    assert not at.text_input
    assert not at.form_submit_button
    at.session_state["language"] = "en"
    at.run()
    assert ("There is no account. Create an administrator with `python cli.py user add NAME --role admin` "
            "on the server, then sign in here.") in shown_text(at)


# --- finding 3: one user-name normalisation before every use ------------------------------------

NOW = dt.datetime(2025, 11, 15, 12, 0)


def _try(url: str, name: str, password: str) -> str:
    with writing(url) as session:
        return attempt_sign_in(session=session, username=name, password=password, origin="test", now=NOW).status


@pytest.mark.parametrize("typed", [
    "demo-admin" + " " * 90,
    "\tdemo-admin\t",
    "\u00a0DEMO-ADMIN\u00a0",
    "\u3000demo-admin\u3000",
    "\u2003Demo-Admin" + "\u2003" * 120,
])
def test_padded_names_are_counted_under_the_one_name_and_lock_it(demo_url, typed):
    for _ in range(12):
        assert _try(demo_url, typed, "wrong-password") in ("failed", "locked")
    assert _try(demo_url, "demo-admin", DEMO_PASSWORD) == "locked"
    assert _try(demo_url, typed, DEMO_PASSWORD) == "locked"
    with reading(demo_url) as session:
        stored = list(session.scalars(select(FailedSignIn.username)))
    assert stored == ["demo-admin"] * 14


def test_a_name_cut_to_the_maximum_never_reaches_the_account(demo_url):
    typed = "demo-admin" + " " * 90 + "x"
    for _ in range(12):
        assert _try(demo_url, typed, "wrong-password") == "failed"
    assert _try(demo_url, typed, DEMO_PASSWORD) == "failed"  # before: signed in as demo-admin
    with reading(demo_url) as session:
        assert session.scalar(select(func.count(SignIn.id))) == 0
        assert session.scalar(select(func.count(FailedSignIn.id))) == 0  # no account can have that name


# --- issue 13 item 4: account input validated in the data layer ---------------------------------

BAD_ACCOUNTS = [
    ({"username": "a"}, "Användarnamn: minst 2 tecken.", "User name: at least 2 characters."),
    ({"username": "x" * 101}, "Användarnamn: högst 100 tecken.", "User name: at most 100 characters."),
    ({"username": "anna svensson"},
     "Användarnamn: tecknet U+0020 är inte tillåtet. Använd bokstäver, siffror och . _ - @.",
     "User name: the character U+0020 is not allowed. Use letters, digits and . _ - @."),
    ({"username": "demo-\u0430dmin"},  # a Cyrillic U+0430 that looks like a Latin a
     "Användarnamn: tecknet \u0430 är inte tillåtet. Använd bokstäver, siffror och . _ - @.",
     "User name: the character \u0430 is not allowed. Use letters, digits and . _ - @."),
    ({"username": "anna\u200bberg"},
     "Användarnamn: tecknet U+200B är inte tillåtet. Använd bokstäver, siffror och . _ - @.",
     "User name: the character U+200B is not allowed. Use letters, digits and . _ - @."),
    ({"role": "superuser"}, "Roll: superuser finns inte. Välj en av admin, editor, viewer.",
     "Role: superuser does not exist. Choose one of admin, editor, viewer."),
    ({"organisation_ids": [987654]}, "Organisationer: organisation 987654 finns inte.",
     "Organisations: organisation 987654 does not exist."),
    ({"role": "editor", "organisation_ids": []}, "En redaktör måste ha minst en organisation.",
     "An editor needs at least one organisation."),
]


def _table_counts(url: str) -> tuple[int, int]:
    with reading(url) as session:
        return (session.scalar(select(func.count(Account.id))) or 0,
                session.scalar(select(func.count()).select_from(AccountOrganisation)) or 0)


@pytest.mark.parametrize(("change", "swedish", "english"), BAD_ACCOUNTS)
def test_bad_account_input_is_refused_with_the_field_named_and_nothing_written(demo_url, change, swedish, english):
    wanted = {"username": "greta", "role": "viewer", "organisation_ids": [], "password": PASSWORD, **change}
    before = _table_counts(demo_url)
    with pytest.raises(AccountError) as error, writing(demo_url) as session:
        add_account(session=session, actor=SYSTEM, **wanted)
    assert translate(error.value.key, "sv", **error.value.params) == swedish
    assert translate(error.value.key, "en", **error.value.params) == english
    assert _table_counts(demo_url) == before


def test_good_names_are_stored_in_their_one_form(ready_url):
    with writing(ready_url) as session:
        for typed in ("\u00a0Åsa.Öberg@Kommun.se\t", "\uff22\uff2f_2"):
            add_account(session=session, actor=SYSTEM, username=typed, role="viewer", password=PASSWORD)
    assert _account_names(ready_url) == ["bo_2", "åsa.öberg@kommun.se"]
    assert _try(ready_url, "ÅSA.ÖBERG@KOMMUN.SE\u3000", PASSWORD) == "ok"
