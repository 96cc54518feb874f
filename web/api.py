"""The reporting API under ``/api/v1``: JSON in UTF-8, ``Authorization: Bearer TOKEN``.

A token acts with its account's permissions, reloaded on every request (data/api_tokens.py).
Reads show what the dashboard would show the account (data/reporting_api.py); ``POST figures``
goes through the importer's validation and the figures' save path, all or nothing. Every
refusal is a problem+json answer (web/problems.py) in the caller's language. The OpenAPI
document (web/openapi.py) describes exactly these answers; tests/test_api.py checks real ones.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import defaultdict, deque
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from data.actors import Actor, PermissionDenied
from data.api_tokens import TokenActor, authenticate
from data.db import reading, writing
from data.figures import FigureConflict
from data.importing.planning import ImportPlan
from data.reporting_api import (
    api_row,
    check_shape,
    metric_catalogue,
    plan_api_figures,
    require_edit_all,
    store_api_figures,
    visible_figures,
    visible_organisations,
)
from data.settings import get_settings
from metrics.periods import Quarter, QuarterError
from presentation.i18n import translate
from web.openapi import openapi_document
from web.problems import RowProblem, problem_response
from web.signin import language_of

JSON_UTF8 = "application/json; charset=utf-8"


class RateLimiter:
    """At most ``limit`` requests per token in any 60 seconds (per process; sliding window)."""

    def __init__(self) -> None:
        self._seen: dict[int, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait_seconds(self, token_id: int, limit: int, now: float | None = None) -> int:
        """0 when the request may go ahead (and is counted), else seconds until it may."""
        now = time.monotonic() if now is None else now
        with self._lock:
            window = self._seen[token_id]
            while window and window[0] <= now - 60:
                window.popleft()
            if len(window) >= limit:
                return max(1, math.ceil(window[0] + 60 - now))
            window.append(now)
            return 0


LIMITER = RateLimiter()


def _json(data: Any, status: int = 200, language: str | None = None) -> JSONResponse:
    headers = {"content-language": language} if language else None
    return JSONResponse(data, status_code=status, media_type=JSON_UTF8, headers=headers)


async def _caller(request: Request) -> TokenActor | Response:
    """The token's actor, or the 401/429 answer to send instead."""
    language = language_of(request)
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    origin = f"api {request.client.host}" if request.client else "api"
    found = None
    if scheme.lower() == "bearer" and secret.strip():
        found = await run_in_threadpool(_authenticate, secret.strip(), origin)
    if found is None:
        return problem_response(401, "api.no_token", language, headers={"www-authenticate": 'Bearer realm="effekt"'})
    limit = get_settings().api_rate_per_minute
    wait = LIMITER.wait_seconds(found.token_id, limit)
    if wait:
        return problem_response(429, "api.rate_limited", language, headers={"retry-after": str(wait)},
                                limit=limit, seconds=wait)
    return found


def _authenticate(secret: str, origin: str) -> TokenActor | None:
    with writing() as session:
        return authenticate(session=session, secret=secret, origin=origin)


async def metrics_endpoint(request: Request) -> Response:
    caller = await _caller(request)
    if isinstance(caller, Response):
        return caller
    return _json(await run_in_threadpool(_metrics))


def _metrics() -> list[dict[str, Any]]:
    with reading() as session:
        metrics = metric_catalogue(session=session)
    return [{
        "code": m.code, "name": {"sv": m.name_sv, "en": m.name_en}, "unit": {"sv": m.unit_sv, "en": m.unit_en},
        "direction": m.direction, "min": m.min_value, "max": m.max_value, "decimals": m.decimals,
        "whole_number": m.whole_number,
    } for m in metrics]


async def organisations_endpoint(request: Request) -> Response:
    caller = await _caller(request)
    if isinstance(caller, Response):
        return caller
    return _json(await run_in_threadpool(_organisations, caller.actor))


def _organisations(actor: Actor) -> list[dict[str, Any]]:
    with reading() as session:
        organisations = visible_organisations(session=session, actor=actor)
    return [{"code": o.code, "name": o.name, "kind": o.kind, "peer_group": o.peer_group,
             "editable": actor.can_edit(o.id)} for o in organisations]


async def figures_endpoint(request: Request) -> Response:
    caller = await _caller(request)
    if isinstance(caller, Response):
        return caller
    if request.method == "POST":
        return await _post_figures(request, caller.actor)
    return await run_in_threadpool(_get_figures, request, caller.actor)


def _get_figures(request: Request, actor: Actor) -> Response:
    language = language_of(request)
    params = request.query_params
    problems: list[RowProblem] = []
    first, last = (_quarter(params.get(name), name, problems) for name in ("from", "to"))
    with reading() as session:
        organisations = {o.code: o for o in visible_organisations(session=session, actor=actor)}
        metrics = {m.code: m for m in metric_catalogue(session=session)}
        organisation = params.get("organisation")
        metric = params.get("metric")
        if organisation is not None and organisation not in organisations:
            problems.append(RowProblem(None, "organisation", organisation, translate("api.unknown_organisation", language)))
        if metric is not None and metric not in metrics:
            problems.append(RowProblem(None, "metric", metric, translate("api.unknown_metric", language)))
        if problems:
            return problem_response(422, "api.invalid_query", language, _translated(problems, language),
                                    count=len(problems))
        frame = visible_figures(
            session=session, actor=actor,
            organisation_ids=[organisations[organisation].id] if organisation else None,
            metric_ids=[metrics[metric].id or 0] if metric else None, first=first, last=last,
        )
    return _json(_figure_rows(frame, organisations, metrics))


def _quarter(text: str | None, name: str, problems: list[RowProblem]) -> Quarter | None:
    if text is None:
        return None
    try:
        return Quarter.parse(text)
    except (QuarterError, ValueError):
        problems.append(RowProblem(None, name, text[:60], "api.bad_quarter"))
        return None


def _translated(problems: list[RowProblem], language: str) -> list[RowProblem]:
    """Problems whose reason is still a key get its text (the others are already translated)."""
    return [RowProblem(p.row, p.field, p.value, translate(p.reason, language) if p.reason.startswith("api.") else p.reason)
            for p in problems]


def _figure_rows(frame: Any, organisations: dict[str, Any], metrics: dict[str, Any]) -> list[dict[str, Any]]:
    codes = {o.id: code for code, o in organisations.items()}
    metric_codes = {m.id: code for code, m in metrics.items()}
    rows = frame.sort_values(["organisation_id", "metric_id", "period"]).itertuples() if len(frame) else []
    return [{
        "organisation": codes[r.organisation_id], "metric": metric_codes.get(r.metric_id, ""),
        "period": str(Quarter.from_index(int(r.period))), "value": float(r.value), "status": r.status,
        "comment": r.comment or "", "version": int(r.version),
        "updated_at": r.updated_at.isoformat(timespec="seconds") + "Z",
    } for r in rows if r.metric_id in metric_codes]


def upload_limit_bytes() -> int:
    """The upload limit, the same as the Importera page's (``server.maxUploadSize``, megabytes)."""
    import streamlit as st

    return int(st.get_option("server.maxUploadSize")) * 1024 * 1024


async def _post_figures(request: Request, actor: Actor) -> Response:
    language = language_of(request)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        return problem_response(415, "api.media_type", language)
    limit = upload_limit_bytes()
    body = await _body_within(request, limit)
    if body is None:
        size = int(request.headers.get("content-length") or limit + 1)
        return problem_response(413, "api.too_large", language, size=round(size / 1048576, 1),
                                limit=round(limit / 1048576, 1))
    try:
        parsed = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return problem_response(422, "api.invalid_figures", language,
                                [RowProblem(None, None, "", translate("api.not_json", language))], count=1)
    dry_run = request.query_params.get("dry_run", "false")
    if dry_run not in ("true", "false"):
        problem = RowProblem(None, "dry_run", dry_run[:20], translate("api.bad_flag", language))
        return problem_response(422, "api.invalid_query", language, [problem], count=1)
    return await run_in_threadpool(_store, parsed, actor, dry_run == "true", language)


async def _body_within(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is longer than ``limit`` (never read whole into memory)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _store(parsed: Any, actor: Actor, dry_run: bool, language: str) -> Response:
    figures, shape = check_shape(parsed)
    if shape:
        problems = [RowProblem(s.row, s.field, s.value, translate(s.key, language)) for s in shape]
        return problem_response(422, "api.invalid_figures", language, problems, count=len(problems))
    try:
        with writing() as session:
            plan = plan_api_figures(session=session, actor=actor, figures=figures)
            if plan.problems:
                return _plan_problems(plan, language)
            require_edit_all(actor=actor, plan=plan)
            if dry_run:
                return _json(_plan_answer(plan, figures, stored=False), language=language)
            store_api_figures(session=session, actor=actor, plan=plan)
            return _json(_plan_answer(plan, figures, stored=True), language=language)
    except PermissionDenied as error:
        return _forbidden(error, figures, plan, language)
    except FigureConflict as error:
        return problem_response(409, "api.conflict", language, count=len(error.conflicts))


def _plan_problems(plan: ImportPlan, language: str) -> Response:
    problems = [RowProblem(api_row(p), p.column, p.value, translate(p.key, language, **p.params)) for p in plan.problems]
    return problem_response(422, "api.invalid_figures", language, problems, count=len(problems))


def _forbidden(error: PermissionDenied, figures: list[dict[str, Any]], plan: ImportPlan, language: str) -> Response:
    """403 naming the first figure of an organisation the account may not change (audited already)."""
    index = next((i for i, f in enumerate(plan.figures) if f.organisation_id == error.organisation_id), 0)
    code = str(figures[index]["organisation"])
    problem = RowProblem(index + 1, "organisation", code, translate("api.forbidden_organisation", language, organisation=code))
    return problem_response(403, "api.forbidden_organisation", language, [problem], organisation=code)


def _plan_answer(plan: ImportPlan, figures: list[dict[str, Any]], *, stored: bool) -> dict[str, Any]:
    """What would change (dry run) or what was stored: counts and each figure's kind of change."""
    kinds = [c.kind for c in plan.changes]
    return {
        "dry_run": not stored,
        "stored": stored,
        "new": kinds.count("new"), "changed": kinds.count("changed"), "unchanged": kinds.count("unchanged"),
        "figures": [{"row": i + 1, "organisation": f["organisation"], "metric": f["metric"],
                     "period": str(c.figure.quarter), "value": c.figure.value, "status": c.figure.status,
                     "change": c.kind} for i, (f, c) in enumerate(zip(figures, plan.changes, strict=True))],
    }


async def openapi_endpoint(_request: Request) -> Response:
    """The OpenAPI 3.1 document (public: it says nothing about the data)."""
    return _json(openapi_document(get_settings().public_base_url))


ROUTES = [
    Route("/api/v1/metrics", metrics_endpoint, methods=["GET"]),
    Route("/api/v1/organisations", organisations_endpoint, methods=["GET"]),
    Route("/api/v1/figures", figures_endpoint, methods=["GET", "POST"]),
    Route("/api/v1/openapi.json", openapi_endpoint, methods=["GET"]),
]
