"""Declaring API operations once: the same pydantic models validate the
request, shape the response and become the OpenAPI 3.1 document, so the
document cannot drift from what the code accepts and returns.

    @api.operation("/vendors", "POST", action=Action.VENDOR_CREATE, body=VendorCreate,
                   response=VendorOut, status=201, errors=(409,), summary="Create a vendor")
    def create_vendor(body: VendorCreate) -> VendorOut: ...

The view receives the validated `query` / `body` models (and `upload`, the
multipart file) as keyword arguments, returns a response model (or a
ready Flask Response for file downloads), and may raise a ServiceError,
which becomes the JSON error with its status. Every operation is wrapped in
vendorrisk.web.auth.require, so the permission table decides exactly as for pages.
"""
from __future__ import annotations

import functools
import re
import typing
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Blueprint, Response, g, request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from models.base import MAX_ID
from vendorrisk.web.auth import require
from vendorrisk.services.permissions import Action
from vendorrisk.services.errors import Conflict, NotFound, ServiceError
from vendorrisk.services.errors import ValidationError as ServiceValidationError


ERROR_DESCRIPTIONS = {
    400: "The request is invalid; `error.field` names the field when there is one.",
    401: "No API token, or a wrong or revoked one.",
    403: "The token's user has a role that may not do this.",
    404: "There is no such resource.",
    409: "The request conflicts with existing data (e.g. a duplicate name).",
    412: "`If-Match` does not name the resource's current version: someone changed it since you read it. "
         "Nothing was changed; GET it again (new ETag), reapply your change and send it with the new ETag.",
    413: "The upload is larger than the server's limit.",
    415: "The body is not of an accepted type (JSON, or a PDF for uploads).",
}
# What a regular expression in a schema means, for error messages people read:
# {pattern: "must be ..."}; the schemas module fills it in.
PATTERN_HINTS: dict[str, str] = {}
ERROR_CODES = {ServiceValidationError: "validation_error", NotFound: "not_found", Conflict: "conflict"}
UPDATES = ("PUT", "PATCH")
IF_MATCH_DESCRIPTION = (
    "The ETag of the resource as you read it (GET, or the previous update's answer): the update is applied only if "
    "the resource is still at that version, else 412 and nothing changes. Optional: without it the update applies "
    "to whatever is current (scripts written before versions keep working), so send it whenever someone else "
    "may edit the same resource."
)


@dataclass(frozen=True)
class Upload:
    """A multipart/form-data file field."""

    field: str
    description: str
    media_type: str = "application/pdf"


@dataclass(frozen=True)
class Download:
    """A file response, by media type."""

    media_types: tuple[str, ...]
    description: str


@dataclass
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    description: str
    action: Action | None  # None: public
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    upload: Upload | None
    response: type[BaseModel] | Download | None
    status: int
    errors: tuple[int, ...]
    tag: str
    also: tuple[int, ...] = ()  # other success statuses with the same body
    versioned: bool = False  # answers with an ETag (the body's `version`); an update honours If-Match
    path_params: list[str] = field(default_factory=list)


class ApiSpec:
    def __init__(self, blueprint: Blueprint, *, title: str, version: str, description: str) -> None:
        self.blueprint = blueprint
        self.title = title
        self.version = version
        self.description = description
        self.operations: list[Operation] = []
        # Schemas not written as pydantic models (e.g. the extractor's contract),
        # referenced from models as {"$ref": "#/components/schemas/NAME"}.
        self.components: dict[str, dict[str, Any]] = {}

    def operation(
        self,
        rule: str,
        method: str,
        *,
        summary: str,
        action: Action | None,
        tag: str,
        query: type[BaseModel] | None = None,
        body: type[BaseModel] | None = None,
        upload: Upload | None = None,
        response: type[BaseModel] | Download | None = None,
        status: int = 200,
        also: tuple[int, ...] = (),
        errors: tuple[int, ...] = (),
        versioned: bool = False,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            op = Operation(
                rule=rule, method=method, endpoint=view.__name__, summary=summary,
                description=(view.__doc__ or "").strip(), action=action, query=query, body=body, upload=upload,
                response=response, status=status, errors=errors + ((412,) if versioned and method in UPDATES else ()),
                tag=tag, also=also, versioned=versioned, path_params=[name for _, _, name in _PATH_PARAM.findall(rule)],
            )

            @functools.wraps(view)
            def wrapped(**path_args: Any):
                try:
                    kwargs = dict(path_args)
                    if query is not None:
                        kwargs["query"] = query.model_validate(_query_values(query))
                    if upload is not None:
                        kwargs["upload"] = _upload_file(upload)
                    if body is not None:
                        kwargs["body"] = body.model_validate(_json_body())
                    result = view(**kwargs)
                except ValidationError as error:
                    return _validation_error(error)
                except ServiceError as error:
                    return _error(error)
                except (IntegrityError, StaleDataError):
                    # Two requests raced past a service's check (e.g. the same
                    # new vendor name, or two updates of one version); the
                    # database's constraint or conditional UPDATE decided.
                    return _error(Conflict("That conflicts with a change made at the same moment; "
                                           "read the current data and try again."))
                if isinstance(result, Response):
                    return result
                headers, code = {}, status
                if isinstance(result, tuple):  # (body, headers) or (body, headers, status)
                    result, headers, code = (*result, status)[:3]
                if versioned:
                    headers = {**headers, "ETag": etag(result.version)}
                return Response(result.model_dump_json(), status=code, headers=headers, mimetype="application/json")

            guarded = require(action)(wrapped) if action is not None else wrapped
            self.blueprint.add_url_rule(rule, view.__name__, guarded, methods=[method])
            self.operations.append(op)
            return guarded

        return decorator

    def path(self, op: Operation) -> str:
        """The operation's path as the OpenAPI document writes it: /api/v1/vendors/{vendor_id}."""
        return self.blueprint.url_prefix + _PATH_PARAM.sub(r"{\3}", op.rule)

    def document(self) -> dict[str, Any]:
        """The OpenAPI 3.1 document of every declared operation."""
        pairs: list[tuple[type[BaseModel], str]] = []
        for op in self.operations:
            if op.query is not None:
                pairs.append((op.query, "validation"))
            if op.body is not None:
                pairs.append((op.body, "validation"))
            if isinstance(op.response, type):
                pairs.append((op.response, "serialization"))
        pairs.append((ErrorBody, "serialization"))
        refs, definitions = models_json_schema(
            list(dict.fromkeys(pairs)), ref_template="#/components/schemas/{model}"
        )
        schemas = {**self.components, **definitions.get("$defs", {})}

        paths: dict[str, dict[str, Any]] = {}
        for op in self.operations:
            paths.setdefault(self.path(op), {})[op.method.lower()] = self._operation_document(op, refs, schemas)
        for op in self.operations:  # query models became parameters, not schemas
            if op.query is not None:
                schemas.pop(_ref_name(refs[(op.query, "validation")]), None)

        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": self.version, "description": self.description},
            "servers": [{"url": "/"}],
            "security": [{"bearerAuth": []}],
            "tags": [{"name": tag} for tag in dict.fromkeys(op.tag for op in self.operations)],
            "paths": paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": {
                    "bearerAuth": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "A personal API token from your account page (or `flask create-token`).",
                    }
                },
            },
        }

    def _operation_document(self, op: Operation, refs, schemas) -> dict[str, Any]:
        document: dict[str, Any] = {
            "operationId": op.endpoint,
            "summary": op.summary,
            "tags": [op.tag],
        }
        if op.description:
            document["description"] = op.description
        if op.action is None:
            document["security"] = []
        else:
            document["x-required-action"] = op.action.value
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": _path_schema(converter, arguments)}
            for converter, arguments, name in _PATH_PARAM.findall(op.rule)
        ]
        if op.query is not None:
            query_schema = schemas[_ref_name(refs[(op.query, "validation")])]
            required = set(query_schema.get("required", []))
            for name, schema in query_schema["properties"].items():
                schema = _without_null(schema)
                parameter = {"name": name, "in": "query", "required": name in required, "schema": schema}
                if "description" in schema:
                    parameter["description"] = schema["description"]
                if schema.get("type") == "array":
                    parameter.update(style="form", explode=True)
                parameters.append(parameter)
        if op.versioned and op.method in UPDATES:
            parameters.append({"name": "If-Match", "in": "header", "required": False,
                               "description": IF_MATCH_DESCRIPTION, "schema": {"type": "string"}})
        if parameters:
            document["parameters"] = parameters
        if op.body is not None:
            document["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
            }
        if op.upload is not None:
            document["requestBody"] = {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": [op.upload.field],
                            "properties": {
                                op.upload.field: {
                                    "type": "string",
                                    "format": "binary",
                                    "contentMediaType": op.upload.media_type,
                                    "description": op.upload.description,
                                }
                            },
                        },
                        "encoding": {op.upload.field: {"contentType": op.upload.media_type}},
                    }
                },
            }
        responses: dict[str, Any] = {}
        if isinstance(op.response, Download):
            responses[str(op.status)] = {
                "description": op.response.description,
                "content": {media: {"schema": {"type": "string", "format": "binary"}} for media in op.response.media_types},
            }
        elif op.response is not None:
            for status in (op.status, *op.also):
                responses[str(status)] = {
                    "description": op.summary,
                    "content": {"application/json": {"schema": refs[(op.response, "serialization")]}},
                }
                if op.versioned:
                    responses[str(status)]["headers"] = {"ETag": {
                        "description": "The resource's current version, to send as `If-Match` with an update.",
                        "schema": {"type": "string"}}}
        statuses = set(op.errors)
        if op.action is not None:
            statuses |= {401, 403}
        if op.path_params:
            statuses.add(404)
        if op.query is not None or op.body is not None or op.upload is not None:
            statuses.add(400)
        if op.body is not None:
            statuses.add(415)
        if op.upload is not None:
            statuses |= {413, 415}
        error_ref = refs[(ErrorBody, "serialization")]
        for status in sorted(statuses):
            responses[str(status)] = {
                "description": ERROR_DESCRIPTIONS[status],
                "content": {"application/json": {"schema": error_ref}},
            }
        document["responses"] = responses
        return document


# Werkzeug rule variables: <name>, <int:name>, <any(a,b):name>
_PATH_PARAM = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def _path_schema(converter: str, arguments: str) -> dict[str, Any]:
    if converter == "int":
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    if converter == "any":
        return {"type": "string", "enum": [a.strip().strip("'\"") for a in arguments.split(",")]}
    return {"type": "string"}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent or has a value; it is never JSON null."""
    variants = [v for v in schema.get("anyOf", []) if v != {"type": "null"}]
    if len(variants) == 1 and len(schema["anyOf"]) == 2:
        schema = {**{k: v for k, v in schema.items() if k != "anyOf"}, **variants[0]}
    if schema.get("default", ...) is None:
        schema = {k: v for k, v in schema.items() if k != "default"}
    return schema


def _ref_name(reference: dict[str, str]) -> str:
    return reference["$ref"].rsplit("/", 1)[1]


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """Every error: `{"error": {"code", "message"[, "field"]}}`."""

    error: ErrorDetail


def _is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) in (list, set, frozenset, tuple):
        return True
    return any(_is_list(arg) for arg in typing.get_args(annotation) if arg is not type(None))


def _query_values(model: type[BaseModel]) -> dict[str, Any]:
    """The query string as the model's input: repeated keys for list fields."""
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in request.args:
            values[key] = request.args.getlist(key) if _is_list(info.annotation) else request.args.get(key)
    return values


def _json_body() -> Any:
    if not request.is_json:
        raise UnsupportedBody("Send the body as JSON with the header Content-Type: application/json.")
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # not a ValueError, so silent=True lets it through
        raise ServiceValidationError("The body is nested too deeply to be a request of this API.") from None
    if data is None:
        raise ServiceValidationError("The body is not valid JSON.")
    if not isinstance(data, dict):
        raise ServiceValidationError("The body must be a JSON object.")
    return data


class UnsupportedBody(ServiceError):
    status = 415


class PreconditionFailed(ServiceError):
    status = 412


def etag(version: int) -> str:
    """A versioned resource's ETag: strong, as If-Match compares strongly (RFC 9110)."""
    return f'"{version}"'


def require_current(row: Any, noun: str) -> None:
    """Honour the request's If-Match before an update: 412 unless it names
    the row's current version (or is `*`). Without If-Match, no condition."""
    if "If-Match" not in request.headers or request.if_match.contains(str(row.version)):
        return
    raise PreconditionFailed(
        f"The {noun} changed since you read it: it is now at version {row.version} (ETag {etag(row.version)}), "
        f"not {request.headers['If-Match']}. Nothing was changed; GET it again, reapply your change and send the "
        "new ETag as If-Match.", field="If-Match")


def _upload_file(upload: Upload) -> FileStorage:
    if request.mimetype != "multipart/form-data":
        raise UnsupportedBody(f"Send the file as multipart/form-data in the field “{upload.field}”.")
    # Reading request.files is what raises 413 for a body above MAX_CONTENT_LENGTH.
    file = request.files.get(upload.field)
    if file is None or not file.filename:
        raise ServiceValidationError(f"Attach the file in the multipart field “{upload.field}”.", field=upload.field)
    return file


def _validation_error(error: ValidationError):
    from vendorrisk.web.pages import error_response

    _rollback()
    first = error.errors(include_url=False)[0]
    field_name = ".".join(str(part) for part in first["loc"]) or None
    if first["type"] == "missing":
        message = f"{field_name} is required."
    elif first["type"] == "extra_forbidden":
        message = f"{field_name} is not a field of this request."
    elif first["type"] == "string_pattern_mismatch" and first["ctx"]["pattern"] in PATTERN_HINTS:
        message = f"{field_name}: {PATTERN_HINTS[first['ctx']['pattern']]}."
    else:
        message = f"{field_name}: {first['msg']}." if field_name else f"{first['msg']}."
    return error_response(400, message, "validation_error", field_name)


def _error(error: ServiceError):
    from vendorrisk.web.pages import error_response

    _rollback()
    code = {412: "precondition_failed", 413: "request_entity_too_large", 415: "unsupported_media_type"}.get(error.status) or next(
        (c for cls, c in ERROR_CODES.items() if isinstance(error, cls)), None)
    return error_response(error.status, error.message, code, error.field)


def _rollback() -> None:
    session = g.get("db_session")
    if session is not None:
        session.rollback()

