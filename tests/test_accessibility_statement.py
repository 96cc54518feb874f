"""Tillgänglighetsredogörelse: DIGG's sections, the administrator's contact, DIGG's form and the date
of the last assessment, in Swedish and English, on the page under Om and on /tillganglighet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

from data.bootstrap import prepare_database
from data.db import dispose_engine
from data.settings import get_settings
from tests.apptest_support import open_app
from tools.live_server import running_server
from ui.statement import LAST_ASSESSMENT, statement_html

SWEDISH_HEADINGS = ["Hur tillgänglig är tjänsten?", "Vad kan du göra om du inte kan använda delar av tjänsten?",
                    "Rapportera brister i tjänstens tillgänglighet", "Tillsyn",
                    "Teknisk information om tjänstens tillgänglighet", "Innehåll som inte är tillgängligt",
                    "Hur vi testat tjänsten"]


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('statement') / 'app.db'}"
    prepare_database(url, demo_if_empty=True)
    return url


def test_the_page_under_om_follows_digg_with_the_contact_digg_and_the_date(app_db, monkeypatch):
    monkeypatch.setenv("EFFEKT_ACCESSIBILITY_CONTACT_EMAIL", "tillganglighet@ekbacka.se")
    monkeypatch.setenv("EFFEKT_ACCESSIBILITY_CONTACT_PHONE", "0123-45 67 89")
    at = open_app(app_db, monkeypatch, page="accessibility_statement")
    assert at.title[0].value == "Tillgänglighetsredogörelse"
    body = next(h.value for h in at.get("html") if "<h2>" in h.value)
    assert [h.split("</h2>")[0] for h in body.split("<h2>")[1:]] == SWEDISH_HEADINGS
    assert 'E-post: <a href="mailto:tillganglighet@ekbacka.se">tillganglighet@ekbacka.se</a>' in body
    assert "Telefon: 0123-45 67 89" in body
    assert 'Anmäl via DIGG:s webbformulär: <a href="https://www.digg.se/tdosanmalan">' in body
    assert "Myndigheten för digital förvaltning (DIGG)" in body
    assert 'DIGG:s e-post: <a href="mailto:info@digg.se">info@digg.se</a>, telefon: 0771-11 44 00' in body
    assert "delvis förenlig" in body
    assert "Senaste bedömningen gjordes den 2026-12-01." in body
    assert body.count("Skälet:") == 3  # every known shortcoming says why
    at.segmented_control(key="language").set_value("en").run()
    assert at.title[0].value == "Accessibility statement"
    english = next(h.value for h in at.get("html") if "<h2>" in h.value)
    assert "<h2>Supervision</h2>" in english
    assert "The last assessment was made on 1 Dec 2026." in english
    assert not at.exception


def test_without_a_contact_the_statement_says_whom_to_ask_and_the_setting_moves_the_date(monkeypatch):
    monkeypatch.delenv("EFFEKT_ACCESSIBILITY_CONTACT_EMAIL", raising=False)
    monkeypatch.delenv("EFFEKT_ACCESSIBILITY_CONTACT_PHONE", raising=False)
    monkeypatch.setenv("EFFEKT_ACCESSIBILITY_ASSESSED", "2027-03-15")
    body = statement_html("sv", get_settings())
    assert body.count("Kontakta den som administrerar Effekt i din organisation") == 2  # contact and report
    assert "mailto:" not in body.replace("mailto:info@digg.se", "")
    assert "Senaste bedömningen gjordes den 2027-03-15." in body
    assert dt.date(2026, 12, 1) == LAST_ASSESSMENT


def test_a_contact_setting_is_shown_as_text_never_as_markup(monkeypatch):
    monkeypatch.setenv("EFFEKT_ACCESSIBILITY_CONTACT_PHONE", '<script>alert(1)</script>')
    body = statement_html("sv", get_settings())
    assert "<script>" not in body
    assert "Telefon: &lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('statement-http') / 'effekt.db'}"
    prepare_database(url, demo_if_empty=False)
    env = {"EFFEKT_ACCESSIBILITY_CONTACT_EMAIL": "webb@granlunda.se", "EFFEKT_DEMO_ON_EMPTY": "0"}
    with running_server(url, env) as server:
        yield server.base
    dispose_engine(url)


def test_the_plain_route_serves_the_statement_to_anyone_in_either_language(served):
    swedish = httpx.get(f"{served}/tillganglighet", timeout=30, headers={"accept-language": "sv-SE"})
    assert swedish.status_code == 200
    assert swedish.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in swedish.text
    assert "<h1>Tillgänglighetsredogörelse</h1>" in swedish.text
    assert all(f"<h2>{heading}</h2>" in swedish.text for heading in SWEDISH_HEADINGS)
    assert '<a href="mailto:webb@granlunda.se">webb@granlunda.se</a>' in swedish.text
    assert "frame-ancestors 'none'" in swedish.headers["content-security-policy"]
    english = httpx.get(f"{served}/tillganglighet?lang=en", timeout=30)
    assert '<html lang="en">' in english.text
    assert "<h1>Accessibility statement</h1>" in english.text
    assert "https://www.digg.se/tdosanmalan" in english.text
    assert "<script" not in english.text
