"""The reporting API against a live server on 127.0.0.1 (``cli.py serve``), with httpx, on SQLite
and PostgreSQL: the permission matrix, answers checked against the OpenAPI document, every bad
request with its status and problems and nothing written, revisions via "api", the rate limit,
and schemathesis from the document with a bounded number of examples."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import jsonschema
import pytest
from sqlalchemy import func, select

from data.actors import SYSTEM, viewer
from data.api_tokens import create_token, revoke_token
from data.bootstrap import prepare_database
from data.db import dispose_engine, reading, writing
from data.models import AuditEvent, Measurement, MeasurementRevision
from data.organisations import list_organisations, set_named_comparison
from metrics.clock import fixed_today
from metrics.disclosure import may_name
from tests.conftest import DATABASE_KINDS, TODAY, database
from tools.live_server import ROOT, running_server

RATE = 30
QUARTER = "2025-Q3"  # the last completed quarter on TODAY (2025-11-15)
OWN, OTHER = "demo-ekbacka", "demo-granlunda"  # demo-editor's organisation, and the demo viewer's


@dataclass(frozen=True)
class Api:
    base: str
    database_url: str
    hidden: str  # an organisation the editor may not see by name (anonymous in comparisons)


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with database(request.param, tmp_path_factory.mktemp("api")) as url:
        prepare_database(url, demo_if_empty=True, today=TODAY)
        with writing(url) as session:
            set_named_comparison(session=session, actor=SYSTEM, organisation_id=_id(session, "demo-bjorkhamn"), named=False)
        env = {"EFFEKT_TODAY": TODAY.isoformat(), "EFFEKT_API_RATE_PER_MINUTE": str(RATE), "EFFEKT_DEMO_ON_EMPTY": "0"}
        with running_server(url, env) as server:
            yield Api(server.base, url, "demo-bjorkhamn")
        dispose_engine(url)


def _id(session, code: str) -> int:
    return next(o.id for o in list_organisations(session=session) if o.code == code)


@pytest.fixture
def tokens(api: Api) -> dict[str, str]:
    """Fresh tokens (their own rate-limit windows) for each kind of caller."""
    made: dict[str, str] = {}
    with fixed_today(TODAY - dt.timedelta(days=2)), writing(api.database_url) as session:
        for kind, username in (("admin", "demo-admin"), ("editor", "demo-editor"), ("viewer", "demo-viewer"),
                               ("revoked", "demo-editor")):
            info, made[kind] = create_token(session=session, actor=SYSTEM, username=username, name=kind)
            if kind == "revoked":
                revoke_token(session=session, actor=SYSTEM, token_id=info.id)
        _, made["expired"] = create_token(session=session, actor=SYSTEM, username="demo-admin", name="expired",
                                          expires_on=TODAY - dt.timedelta(days=1))
    return made


def _client(api: Api, token: str | None, language: str = "sv") -> httpx.Client:
    headers = {"Accept-Language": language, **({"Authorization": f"Bearer {token}"} if token else {})}
    return httpx.Client(base_url=api.base, headers=headers, timeout=30)


def _figure(organisation: str, value: float, metric: str = "customer_satisfaction", period: str = QUARTER) -> dict:
    return {"organisation": organisation, "metric": metric, "period": period, "value": value, "status": "measured",
            "comment": "Från enkätverktyget"}


def _stored(api: Api) -> tuple[int, int]:
    with reading(api.database_url) as session:
        return (session.scalar(select(func.count(Measurement.id))), session.scalar(select(func.count(MeasurementRevision.id))))


def test_the_permission_matrix_covers_every_endpoint_and_caller(api, tokens):
    requests = {
        "GET metrics": ("GET", "/api/v1/metrics", None),
        "GET organisations": ("GET", "/api/v1/organisations", None),
        "GET own figures": ("GET", f"/api/v1/figures?organisation={OWN}&from={QUARTER}", None),
        "POST own figure (dry run)": ("POST", "/api/v1/figures?dry_run=true", {"figures": [_figure(OWN, 71.5)]}),
        "POST other's figure": ("POST", "/api/v1/figures", {"figures": [_figure(OTHER, 71.5)]}),
    }
    callers = {"admin": tokens["admin"], "editor": tokens["editor"], "viewer": tokens["viewer"], "no token": None,
               "revoked": tokens["revoked"], "expired": tokens["expired"], "made up": "effekt_not-a-token"}
    before = _stored(api)
    seen = {}
    for caller, token in callers.items():
        with _client(api, token) as client:
            for name, (method, path, body) in requests.items():
                seen[(caller, name)] = client.request(method, path, json=body).status_code
    expected = {}
    for caller in callers:
        for name in requests:
            if caller in ("no token", "revoked", "expired", "made up"):
                expected[(caller, name)] = 401
            elif name == "POST other's figure":
                expected[(caller, name)] = 200 if caller == "admin" else 403
            elif name == "POST own figure (dry run)":
                expected[(caller, name)] = 403 if caller == "viewer" else 200
            else:
                expected[(caller, name)] = 200
    assert seen == expected
    assert _stored(api)[0] == before[0]  # the administrator's one stored figure changed an existing one


def _validate(document: dict, path: str, method: str, answer: httpx.Response) -> None:
    """The answer's status, content type and body are the ones the OpenAPI document gives."""
    operation = document["paths"][path][method.lower()]
    response = operation["responses"][str(answer.status_code)]
    media = answer.headers["content-type"].split(";")[0]
    schema = response["content"][media]["schema"]
    jsonschema.validate(answer.json(), {**schema, "components": document["components"]},
                        cls=jsonschema.Draft202012Validator)


def test_real_answers_match_the_openapi_document(api, tokens):
    document = httpx.get(f"{api.base}/api/v1/openapi.json", timeout=30).json()
    assert document["openapi"] == "3.1.0"
    jsonschema.Draft202012Validator.check_schema(document["components"]["schemas"]["Problem"])
    cases = [
        (tokens["editor"], "GET", "/api/v1/metrics", None, 200),
        (tokens["editor"], "GET", "/api/v1/organisations", None, 200),
        (tokens["editor"], "GET", "/api/v1/figures", None, 200),
        (tokens["editor"], "GET", "/api/v1/figures?from=2025-Q9", None, 422),
        (None, "GET", "/api/v1/metrics", None, 401),
        (tokens["editor"], "POST", "/api/v1/figures?dry_run=true", {"figures": [_figure(OWN, 64.0)]}, 200),
        (tokens["editor"], "POST", "/api/v1/figures", {"figures": [_figure(OTHER, 64.0)]}, 403),
        (tokens["editor"], "POST", "/api/v1/figures", {"figures": [_figure(OWN, 640.0)]}, 422),
    ]
    for token, method, path, body, status in cases:
        with _client(api, token) as client:
            answer = client.request(method, path, json=body)
        assert answer.status_code == status, (path, answer.text)
        _validate(document, path.split("?")[0], method, answer)


def test_a_system_reports_a_quarter_with_revisions_via_api_and_reads_it_back(api, tokens):
    figures = [_figure(OWN, 81.5), _figure(OWN, 12.0, metric="ideas_delivered")]
    with _client(api, tokens["editor"]) as client:
        plan = client.post("/api/v1/figures?dry_run=true", json={"figures": figures})
        assert _stored(api) == _stored(api)
        before = _stored(api)
        stored = client.post("/api/v1/figures", json={"figures": figures})
        again = client.post("/api/v1/figures", json={"figures": figures})
        read = client.get(f"/api/v1/figures?organisation={OWN}&metric=customer_satisfaction&from={QUARTER}&to={QUARTER}")
    assert plan.status_code == 200
    assert plan.json()["dry_run"] is True
    assert plan.json()["stored"] is False
    assert stored.status_code == 200
    assert stored.json()["stored"] is True
    assert stored.json()["new"] + stored.json()["changed"] == 2
    assert [f["change"] for f in again.json()["figures"]] == ["unchanged", "unchanged"]
    assert _stored(api)[1] == before[1] + 2
    [row] = read.json()
    assert (row["organisation"], row["period"], row["value"], row["comment"]) == (OWN, QUARTER, 81.5, "Från enkätverktyget")
    assert read.headers["content-type"] == "application/json; charset=utf-8"
    with reading(api.database_url) as session:
        vias = list(session.scalars(select(MeasurementRevision.via).order_by(MeasurementRevision.id.desc()).limit(2)))
        who = session.scalar(select(MeasurementRevision.changed_by).order_by(MeasurementRevision.id.desc()).limit(1))
    assert vias == ["api", "api"]
    assert who == "demo-editor"


def test_invalid_rows_get_422_with_every_problem_in_english_and_nothing_is_written(api, tokens):
    before = _stored(api)
    body = {"figures": [_figure(OWN, 81.5), _figure(OWN, 140.0), _figure(OWN, 5.0, period="2031-Q1"),
                        {"organisation": OWN, "metric": "customer_satisfaction", "period": QUARTER, "value": "högt"}]}
    with _client(api, tokens["editor"], language="en") as client:
        answer = client.post("/api/v1/figures", json=body)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problems = answer.json()["problems"]
    assert [(p["row"], p["field"], p["value"]) for p in problems] == [(4, "value", '"h\\u00f6gt"')]
    assert problems[0]["reason"] == "Expected a number."
    body["figures"].pop()
    with _client(api, tokens["editor"], language="en") as client:
        answer = client.post("/api/v1/figures", json=body)
    shown = [(p["row"], p["field"], p["value"]) for p in answer.json()["problems"]]
    assert shown == [(2, "value", "140.0"), (3, "period", "2031-Q1")]
    assert answer.json()["detail"] == "2 problems in the request. Nothing was saved."
    assert _stored(api) == before


def test_another_organisations_figure_is_refused_audited_and_nothing_is_written(api, tokens):
    before = _stored(api)
    with _client(api, tokens["editor"]) as client:
        answer = client.post("/api/v1/figures", json={"figures": [_figure(OWN, 70.0), _figure(OTHER, 70.0)]})
    assert answer.status_code == 403
    assert answer.json()["problems"] == [{"row": 2, "field": "organisation", "value": OTHER,
                                          "reason": f"Nyckelns konto får inte ändra värden för {OTHER}. Inget sparades."}]
    assert _stored(api) == before
    with reading(api.database_url) as session:
        actor, origin = session.execute(select(AuditEvent.actor, AuditEvent.origin)
                                        .where(AuditEvent.action == "permission.denied")
                                        .order_by(AuditEvent.id.desc()).limit(1)).one()
    assert actor == "demo-editor"
    assert "token" in origin


def test_wrong_content_type_size_and_json_are_refused(api, tokens):
    before = _stored(api)
    with _client(api, tokens["admin"]) as client:
        wrong_type = client.post("/api/v1/figures", content=b"organisation,metric\n", headers={"Content-Type": "text/csv"})
        too_large = client.post("/api/v1/figures", content=b" " * (10 * 1024 * 1024 + 1),
                                headers={"Content-Type": "application/json"})
        not_json = client.post("/api/v1/figures", content=b"{figures:", headers={"Content-Type": "application/json"})
        empty = client.post("/api/v1/figures", json={"figures": []})
    assert [a.status_code for a in (wrong_type, too_large, not_json, empty)] == [415, 413, 422, 422]
    assert too_large.json()["detail"] == "Begäran är 10 MB; gränsen är 10 MB."
    assert all(a.headers["content-type"] == "application/problem+json" for a in (wrong_type, too_large, not_json, empty))
    assert _stored(api) == before


def test_past_the_rate_limit_a_token_gets_429_with_retry_after(api, tokens):
    with _client(api, tokens["viewer"]) as client:
        statuses = [client.get("/api/v1/metrics").status_code for _ in range(RATE + 1)]
        last = client.get("/api/v1/metrics")
    with _client(api, tokens["editor"]) as client:
        other = client.get("/api/v1/metrics").status_code
    assert statuses == [200] * RATE + [429]
    assert last.status_code == 429
    assert 1 <= int(last.headers["retry-after"]) <= 60
    assert last.json()["detail"].startswith(f"Högst {RATE} anrop per minut och nyckel.")
    assert other == 200  # per token, not per server


def test_reads_show_only_organisations_the_caller_may_see(api, tokens):
    with reading(api.database_url) as session:
        hidden_id = _id(session, api.hidden)
    with _client(api, tokens["editor"]) as client:
        codes = [o["code"] for o in client.get("/api/v1/organisations").json()]
        figures = client.get(f"/api/v1/figures?from={QUARTER}&to={QUARTER}").json()
        asked = client.get(f"/api/v1/figures?organisation={api.hidden}")
    with _client(api, tokens["admin"]) as client:
        admin_codes = [o["code"] for o in client.get("/api/v1/organisations").json()]
    with reading(api.database_url) as session:
        from data.accounts import actor_for
        editor = actor_for(session=session, username="demo-editor", origin="test")
        expected = sorted(code for o in list_organisations(session=session)
                          for code in [o.code] if may_name(viewer(editor), o.id, o.named_comparison))
    assert api.hidden not in codes
    assert OWN in codes
    assert sorted(codes) == expected
    assert api.hidden in admin_codes
    assert {f["organisation"] for f in figures} <= set(codes)
    assert figures
    assert asked.status_code == 422
    assert asked.json()["problems"][0]["field"] == "organisation"
    assert hidden_id not in {o for o in editor.organisation_ids}


def test_schemathesis_finds_no_server_error_and_every_answer_as_documented(api, tokens):
    """Schemathesis (pinned in requirements-dev.txt) from the live document, bounded examples, on a
    second server over the same database whose rate limit the generated requests do not reach."""
    env = {"EFFEKT_TODAY": TODAY.isoformat(), "EFFEKT_API_RATE_PER_MINUTE": "100000", "EFFEKT_DEMO_ON_EMPTY": "0"}
    with running_server(api.database_url, env) as server:
        command = [sys.executable, "-m", "schemathesis.cli", "run", f"{server.base}/api/v1/openapi.json",
                   "--url", server.base, "-H", f"Authorization: Bearer {tokens['admin']}", "--max-examples", "15",
                   "--seed", "1", "--phases", "examples,coverage,fuzzing", "--request-timeout", "20",
                   "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                   "response_schema_conformance"]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout, result.stdout[-3000:]
    assert "Rate limited" not in result.stdout, result.stdout[-3000:]


def test_a_misspelt_organisation_is_never_answered_with_a_name_the_caller_may_not_see(api, tokens):
    body = {"figures": [_figure("demo-sjovi", 70.0)]}  # close to demo-sjovik, which did not opt in
    with _client(api, tokens["admin"]) as client:
        for_admin = client.post("/api/v1/figures", json=body)
    with _client(api, tokens["editor"]) as client:
        for_editor = client.post("/api/v1/figures", json=body)
    assert for_admin.status_code == for_editor.status_code == 422
    assert "demo-sjovik" in json.dumps(for_admin.json(), ensure_ascii=False)  # the suggestion exists
    shown = json.dumps(for_editor.json(), ensure_ascii=False)
    assert "demo-sjovik" not in shown
    assert "Sjövik" not in shown
