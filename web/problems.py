"""Errors as ``application/problem+json`` (RFC 9457), in the caller's language.

Every refusal of the API goes through :func:`problem_response`, so each one carries the same
members: ``type``, ``title``, ``status``, ``detail`` and the list of ``problems`` (``row``,
``field``, ``value``, ``reason``) a system can log and a person can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse

from presentation.i18n import translate

PROBLEM_TYPE = "application/problem+json"
# The title key of each status the API answers with.
TITLES = {
    400: "api.problem.bad_request", 401: "api.problem.unauthorised", 403: "api.problem.forbidden",
    404: "api.problem.not_found", 409: "api.problem.conflict", 413: "api.problem.too_large",
    415: "api.problem.media_type", 422: "api.problem.invalid", 429: "api.problem.rate_limited",
}


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with the request: which figure (1-based ``row``), which field, what, why."""

    row: int | None
    field: str | None
    value: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "value": self.value, "reason": self.reason}


def problem_response(
    status: int, detail_key: str, language: str, problems: list[RowProblem] | None = None,
    headers: dict[str, str] | None = None, **params: Any,
) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": translate(TITLES[status], language),
        "status": status,
        "detail": translate(detail_key, language, **params),
        "problems": [p.as_json() for p in problems or []],
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE,
                        headers={"content-language": language, **(headers or {})})
