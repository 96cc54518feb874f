"""The server-rendered sign-in against a live ``cli.py serve`` with httpx: headers on every
answer, the cookie's flags, the CSRF and same-origin checks (the attack as the test), the lock-out
and one message for a wrong name or password, and sign-out ending the record."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select

from data.bootstrap import prepare_database
from data.db import dispose_engine, reading
from data.demo_accounts import DEMO_PASSWORD
from data.models import FailedSignIn, SignIn
from data.sign_ins import LOCKOUT_FAILURES
from tests.conftest import TODAY
from tools.live_server import running_server


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('signin') / 'effekt.db'}"
    prepare_database(url, demo_if_empty=True, today=TODAY)
    with running_server(url, {"EFFEKT_TODAY": TODAY.isoformat(), "EFFEKT_DEMO_ON_EMPTY": "0"}) as server:
        yield server.base, url
    dispose_engine(url)


def _form(client: httpx.Client, path: str = "/signin") -> str:
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def _post(client: httpx.Client, base: str, csrf: str, username: str, password: str, **headers: str) -> httpx.Response:
    return client.post("/signin?next=/jamfor", data={"csrf": csrf, "username": username, "password": password},
                       headers={"Origin": base, **headers})


def test_every_answer_carries_the_security_headers(base):
    with httpx.Client(base_url=base[0], timeout=30) as client:
        for path in ("/", "/_stcore/health", "/signin", "/api/v1/metrics", "/api/v1/openapi.json"):
            headers = client.get(path).headers
            assert headers["x-content-type-options"] == "nosniff", path
            assert headers["referrer-policy"] == "same-origin", path
            assert "frame-ancestors 'none'" in headers["content-security-policy"], path
            assert "script-src 'self' 'sha256-" in headers["content-security-policy"], path
            assert "unsafe-eval" not in headers["content-security-policy"], path


def test_a_sign_in_sets_an_httponly_lax_cookie_and_redirects_to_the_page_asked_for(base):
    with httpx.Client(base_url=base[0], timeout=30) as client:
        answer = _post(client, base[0], _form(client), "Demo-Admin ", DEMO_PASSWORD)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/jamfor"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("effekt_signin="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    with reading(base[1]) as session:
        hashes = list(session.scalars(select(SignIn.token_hash)))
    assert token not in hashes
    assert len(token) == 43


def test_a_cross_origin_post_is_refused_and_nothing_is_counted(base):
    with httpx.Client(base_url=base[0], timeout=30) as client:
        csrf = _form(client)
        foreign = _post(client, base[0], csrf, "demo-admin", DEMO_PASSWORD, Origin="https://evil.example")
        no_origin = client.post("/signin", data={"csrf": csrf, "username": "demo-admin", "password": DEMO_PASSWORD})
        referer_elsewhere = client.post("/signin", data={"csrf": csrf, "username": "demo-admin", "password": DEMO_PASSWORD},
                                        headers={"Referer": "https://evil.example/signin"})
        wrong_csrf = _post(client, base[0], "guessed", "demo-admin", DEMO_PASSWORD)
    with httpx.Client(base_url=base[0], timeout=30) as fresh:  # no CSRF cookie at all
        no_cookie = _post(fresh, base[0], csrf, "demo-admin", DEMO_PASSWORD)
    answers = (foreign, no_origin, referer_elsewhere, wrong_csrf, no_cookie)
    assert [a.status_code for a in answers] == [403] * 5
    assert all("effekt_signin" not in a.headers.get("set-cookie", "") for a in answers)
    assert "Begäran kom inte från Effekts egen inloggningssida" in foreign.text
    with httpx.Client(base_url=base[0], timeout=30) as client:
        assert client.get("/signin", params={"next": "//evil.example/x"}).text.count("next=/&amp;") >= 1


def test_the_same_message_for_a_wrong_password_and_an_unknown_name_then_the_lock_out(base):
    with httpx.Client(base_url=base[0], timeout=30) as client:
        texts = [_post(client, base[0], _form(client), name, "wrong-password-1").text for name in ("demo-editor", "no-one")]
        assert all('role="alert" class="error">Fel användarnamn eller lösenord.<' in text for text in texts)
        for _ in range(LOCKOUT_FAILURES):
            _post(client, base[0], _form(client), "demo-viewer", "wrong-password-1")
        locked = _post(client, base[0], _form(client), "demo-viewer", DEMO_PASSWORD)
    assert locked.status_code == 401
    assert "För många misslyckade försök" in locked.text
    with reading(base[1]) as session:
        assert session.scalar(select(func.count()).select_from(FailedSignIn).where(FailedSignIn.username == "demo-viewer")) == 11


def test_sign_out_ends_the_record_and_clears_the_cookie(base):
    with httpx.Client(base_url=base[0], timeout=30) as client:
        _post(client, base[0], _form(client), "demo-admin", DEMO_PASSWORD)
        token = client.cookies["effekt_signin"]
        refused = httpx.post(f"{base[0]}/signout", cookies={"effekt_signin": token}, timeout=30,
                             headers={"Origin": "https://evil.example"})
        answer = client.post("/signout", headers={"Origin": base[0]})
    assert refused.status_code == 403
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/signin")
    assert 'effekt_signin=""' in answer.headers["set-cookie"]
    assert "Max-Age=0" in answer.headers["set-cookie"]
    with reading(base[1]) as session:
        reasons = list(session.scalars(select(SignIn.ended_reason).order_by(SignIn.id.desc()).limit(1)))
    assert reasons == ["signed_out"]


def test_the_secure_flag_is_on_outside_loopback_and_when_set(tmp_path):
    url = f"sqlite:///{tmp_path / 'effekt.db'}"
    prepare_database(url, demo_if_empty=True, today=TODAY)
    with running_server(url, {"EFFEKT_COOKIE_SECURE": "1", "EFFEKT_DEMO_ON_EMPTY": "0"}) as server, \
            httpx.Client(base_url=server.base, timeout=30) as client:
            page = client.get("/signin")
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            client.cookies.clear()
            client.cookies.set("effekt_csrf", csrf)  # a browser sends a Secure cookie only over HTTPS
            answer = _post(client, server.base, csrf, "demo-admin", DEMO_PASSWORD)
            # Named by another host (as behind a proxy): Secure by default, no setting needed.
            elsewhere = httpx.get(f"{server.base}/signin", headers={"Host": "effekt.example.se"}, timeout=30)
    assert "Secure" in page.headers["set-cookie"]
    assert "Secure" in next(c for c in answer.headers.get_list("set-cookie") if c.startswith("effekt_signin="))
    assert "Secure" in elsewhere.headers["set-cookie"]
    dispose_engine(url)
