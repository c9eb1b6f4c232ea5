"""/docs: the API reference, rendered on the server from the OpenAPI schema (/openapi.json).

FastAPI's default /docs page loads Swagger UI from a CDN, which an offline
install cannot reach; this page needs nothing but the schema.
"""
from __future__ import annotations

import json
from typing import Any

_METHOD_ORDER = ("get", "post", "put", "patch", "delete")


def _ref_name(schema: dict[str, Any] | None) -> str | None:
    if not schema:
        return None
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        inner = _ref_name(schema.get("items"))
        return f"list[{inner}]" if inner else "array"
    return None


def _type(schema: dict[str, Any]) -> str:
    """"integer (1-100)", "string", "PER | ORG | LOC | MISC", ... for a parameter schema."""
    if "anyOf" in schema:
        types = [_type(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " | ".join(types) or "any"
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    text = schema.get("type", _ref_name(schema) or "any")
    bounds = [f"≥ {schema['minimum']}" if "minimum" in schema else "", f"≤ {schema['maximum']}" if "maximum" in schema else ""]
    bounds = [b for b in bounds if b]
    return f"{text} ({', '.join(bounds)})" if bounds else text


def reference(openapi: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per endpoint: method, path, summary, description, parameters, body examples, responses."""
    endpoints = []
    for path, item in openapi.get("paths", {}).items():
        for method in _METHOD_ORDER:
            op = item.get(method)
            if op is None:
                continue
            params = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "type": _type(p.get("schema", {})),
                    "default": p.get("schema", {}).get("default"),
                    "description": p.get("description") or p.get("schema", {}).get("description") or "",
                }
                for p in op.get("parameters", [])
            ]
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
            examples = [
                {"summary": ex.get("summary") or name, "json": json.dumps(ex.get("value"), ensure_ascii=False, indent=2)}
                for name, ex in (body.get("examples") or {}).items()
            ]
            responses = [
                {
                    "status": status,
                    "description": r.get("description", ""),
                    "schema": _ref_name(r.get("content", {}).get("application/json", {}).get("schema")),
                }
                for status, r in sorted(op.get("responses", {}).items())
            ]
            endpoints.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "tags": op.get("tags", []), "params": params,
                "examples": examples, "responses": responses,
                "security": bool(op.get("security")),
            })  # fmt: skip
    return endpoints
