"""The OpenAPI 3.1 document of ``/api/v1``: what the server answers, status by status.

Kept beside the handlers and checked against real answers (tests/test_api.py validates each
response with jsonschema; schemathesis runs the live server from this document).
"""

from __future__ import annotations

from typing import Any

STATUSES = ["measured", "estimated", "preliminary"]
_NULLABLE_NUMBER = {"type": ["number", "null"]}

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail", "problems"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"},
            "problems": {"type": "array", "items": {
                "type": "object", "required": ["row", "field", "value", "reason"],
                "properties": {
                    "row": {"type": ["integer", "null"], "minimum": 1}, "field": {"type": ["string", "null"]},
                    "value": {"type": "string"}, "reason": {"type": "string"},
                },
            }},
        },
    },
    "Texts": {"type": "object", "required": ["sv", "en"],
              "properties": {"sv": {"type": "string"}, "en": {"type": "string"}}},
    "Metric": {
        "type": "object",
        "required": ["code", "name", "unit", "direction", "min", "max", "decimals", "whole_number"],
        "properties": {
            "code": {"type": "string"}, "name": {"$ref": "#/components/schemas/Texts"},
            "unit": {"$ref": "#/components/schemas/Texts"}, "direction": {"enum": ["higher", "lower"]},
            "min": _NULLABLE_NUMBER, "max": _NULLABLE_NUMBER, "decimals": {"type": "integer", "minimum": 0},
            "whole_number": {"type": "boolean"},
        },
    },
    "Organisation": {
        "type": "object", "required": ["code", "name", "kind", "peer_group", "editable"],
        "properties": {
            "code": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"},
            "peer_group": {"type": ["string", "null"]}, "editable": {"type": "boolean"},
        },
    },
    "Figure": {
        "type": "object",
        "required": ["organisation", "metric", "period", "value", "status", "comment", "version", "updated_at"],
        "properties": {
            "organisation": {"type": "string"}, "metric": {"type": "string"},
            "period": {"type": "string", "pattern": "^[0-9]{4}-Q[1-4]$"}, "value": {"type": "number"},
            "status": {"enum": STATUSES}, "comment": {"type": "string"}, "version": {"type": "integer"},
            "updated_at": {"type": "string"},
        },
    },
    "FigureIn": {
        "type": "object", "required": ["organisation", "metric", "period", "value"], "additionalProperties": False,
        "properties": {
            "organisation": {"type": "string", "description": "organisation code or exact name"},
            "metric": {"type": "string", "description": "metric code"},
            "period": {"type": "string", "examples": ["2026-Q3"]}, "value": {"type": "number"},
            "status": {"type": "string", "description": "measured (default), estimated or preliminary"},
            "comment": {"type": "string"},
        },
    },
    "FiguresIn": {
        "type": "object", "required": ["figures"], "additionalProperties": False,
        "properties": {"figures": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/FigureIn"}}},
    },
    "StoreAnswer": {
        "type": "object", "required": ["dry_run", "stored", "new", "changed", "unchanged", "figures"],
        "properties": {
            "dry_run": {"type": "boolean"}, "stored": {"type": "boolean"},
            "new": {"type": "integer"}, "changed": {"type": "integer"}, "unchanged": {"type": "integer"},
            "figures": {"type": "array", "items": {
                "type": "object", "required": ["row", "organisation", "metric", "period", "value", "status", "change"],
                "properties": {
                    "row": {"type": "integer"}, "organisation": {"type": "string"}, "metric": {"type": "string"},
                    "period": {"type": "string"}, "value": _NULLABLE_NUMBER, "status": {"enum": STATUSES},
                    "change": {"enum": ["new", "changed", "unchanged", "retracted"]},
                },
            }},
        },
    },
}

_PROBLEM_TEXT = {
    400: "Bad request", 401: "No valid token: missing, unknown, revoked or expired",
    403: "Another organisation's figures (audited; nothing written)",
    409: "Changed by someone else meanwhile (nothing written)", 413: "Over the upload limit", 415: "Not application/json",
    422: "Invalid figures or query (nothing written)", 429: "Over the per-token rate limit (see Retry-After)",
}


def _ok(schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": schema}}}


def _problems(*statuses: int) -> dict[str, Any]:
    problem = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    return {str(s): {"description": _PROBLEM_TEXT[s], **problem} for s in statuses}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_LANGUAGE = {"name": "Accept-Language", "in": "header", "required": False,
             "schema": {"type": "string", "examples": ["sv", "en"]},
             "description": "sv (default) or en: the language of problem texts"}


def _query(name: str, text: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": text, "schema": {"type": "string", **schema}}


def _paths() -> dict[str, Any]:
    return {
        "/api/v1/metrics": {"get": {
            "operationId": "listMetrics", "summary": "The metric catalogue in both languages",
            "parameters": [_LANGUAGE],
            "responses": {"200": _ok({"type": "array", "items": _ref("Metric")}, "The active metrics"), **_problems(401, 429)},
        }},
        "/api/v1/organisations": {"get": {
            "operationId": "listOrganisations", "summary": "The organisations the token's account may see by name",
            "parameters": [_LANGUAGE],
            "responses": {"200": _ok({"type": "array", "items": _ref("Organisation")}, "Visible organisations"),
                          **_problems(401, 429)},
        }},
        "/api/v1/figures": {
            "get": {
                "operationId": "listFigures", "summary": "Current figures in the long format, of visible organisations",
                "parameters": [
                    _LANGUAGE, _query("organisation", "organisation code"), _query("metric", "metric code"),
                    _query("from", "first quarter, e.g. 2024-Q1"), _query("to", "last quarter, e.g. 2025-Q4"),
                ],
                "responses": {"200": _ok({"type": "array", "items": _ref("Figure")}, "Figures"), **_problems(401, 422, 429)},
            },
            "post": {
                "operationId": "storeFigures", "summary": "Store figures all or nothing (revisions via api)",
                "parameters": [_LANGUAGE, _query("dry_run", "true: return the plan, write nothing", enum=["true", "false"])],
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("FiguresIn")}}},
                "responses": {"200": _ok(_ref("StoreAnswer"), "What was stored (or would be, on a dry run)"),
                              **_problems(401, 403, 409, 413, 415, 422, 429)},
            },
        },
    }


def openapi_document(base_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Effekt reporting API", "version": "1.0.0",
                 "description": "Quarterly effect metrics of Swedish public-sector organisations."},
        "servers": [{"url": base_url}],
        "security": [{"bearer": []}],
        "paths": _paths(),
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
