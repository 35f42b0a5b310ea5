"""schemathesis hooks for gatespec's conformance run (loaded through SCHEMATHESIS_HOOKS).

Everything gateway-specific comes from the exported document's extensions
(`x-gatespec-protocol`, the security scheme's `x-gatespec-sign-in` and `x-gatespec-renewal`);
nothing here names a gateway.

1. The outcome as an HTTP status. The vendor answers every interface with HTTP 200 and puts the
   outcome in the envelope's result code (`x-gatespec-protocol.failure_http_status`), while
   schemathesis's checks judge outcomes by status (a refused invalid input must be 4xx, a request
   without a valid session must not be 2xx). Every response schemathesis receives (the test
   cases' and its own probes') is seen with the status the outcome stands for, and the document
   is seen with one response per such status, each with exactly its codes:

       success -> 200, invalid_parameter -> 400, not_signed_in -> 401,
       no_permission / missing_role / a role refusal -> 403, not_supported -> 501,
       internal_error -> 500, any other catalogue code (the handler's own failure) -> 409.

   Nothing is loosened: a failure code the interface does not document fails
   response_schema_conformance, an invalid input answered with success fails
   negative_data_rejection, a valid one refused as invalid fails positive_data_acceptance.

2. The session, kept as a client keeps it. Each call carries the current session header; a
   renewal header in an answer is adopted; when an answer says the session is gone (the fuzzer
   called sign-out, forced sign-in or the Guid exchange for the agent), the agent signs in again
   through the document's sign-in interface before the next call.
"""

from __future__ import annotations

import json
import os
import threading

import requests
import schemathesis
from schemathesis.transport.requests import RequestsTransport

DOCUMENT = json.load(open(os.environ["GATESPEC_OPENAPI"], encoding="utf-8"))
PROTOCOL = DOCUMENT["x-gatespec-protocol"]
ENVELOPE = PROTOCOL["envelope"]
REFUSALS = PROTOCOL["refusals"]
BASE_URL = os.environ["GATESPEC_BASE_URL"].rstrip("/")
AGENT = os.environ["GATESPEC_AGENT"]
SIGN_IN_BODY = json.loads(os.environ["GATESPEC_SIGN_IN_BODY"])
SCHEME = next(iter(DOCUMENT["components"]["securitySchemes"].values()))
SESSION_HEADER = SCHEME["name"]
RENEWAL = SCHEME.get("x-gatespec-renewal")
SIGN_IN = SCHEME.get("x-gatespec-sign-in", [])

# The status each refusal stands for; codes shared by several refusals take the first.
REFUSAL_STATUS = [
    ("invalid_parameter", 400),
    ("not_signed_in", 401),
    ("no_permission", 403),
    ("missing_role", 403),
    ("not_supported", 501),
    ("internal_error", 500),
]
STATUS_OF = {}
for refusal, status in REFUSAL_STATUS:
    if refusal in REFUSALS:
        STATUS_OF.setdefault(json.dumps(REFUSALS[refusal]), status)
for path_item in DOCUMENT["paths"].values():
    for operation in path_item.values():
        for role in operation.get("x-gatespec-roles", []):
            STATUS_OF.setdefault(json.dumps(role["refusal"]), 403)
BUSINESS_FAILURE = 409
REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           409: "Conflict", 500: "Internal Server Error", 501: "Not Implemented"}
SESSION_GONE = {json.dumps(REFUSALS[r]) for r in ("not_signed_in", "no_permission") if r in REFUSALS}


MEANINGS = {json.dumps(e["code"]): e["meaning"] for e in DOCUMENT["x-gatespec-errors"]}


def outcome_status(retcode, message=None) -> int:
    """The status of an outcome. The vendor's catalogue uses some refusal codes (invalid
    parameter, internal error) for the interfaces' own failures too ("no such participant");
    a refusal's message starts with the catalogue's meaning of its code (the runtime's refusal
    messages do), a handler's own failure says what failed in its own words."""
    if retcode == ENVELOPE["success"]:
        return 200
    key = json.dumps(retcode)
    status = STATUS_OF.get(key)
    if status is None:
        return BUSINESS_FAILURE
    if message is not None and not message.startswith(MEANINGS.get(key, "").rstrip(".")):
        return BUSINESS_FAILURE
    return status


# --- 1. the outcome as an HTTP status ------------------------------------------------------------

_send = RequestsTransport.send


def _send_with_outcome_status(self, case, *args, **kwargs):
    response = _send(self, case, *args, **kwargs)
    if response.status_code == PROTOCOL["failure_http_status"]:
        try:
            body = json.loads(response.content)
        except ValueError:
            return response  # not the envelope: the checks judge it as it is
        if isinstance(body, dict) and ENVELOPE["retcode"] in body:
            status = outcome_status(body[ENVELOPE["retcode"]], body.get(ENVELOPE["message"]))
            response.status_code = status
            response.message = REASONS.get(status, "")
    return response


RequestsTransport.send = _send_with_outcome_status


@schemathesis.hook
def before_load_schema(context, raw_schema):
    """Splits each interface's HTTP-200 answer into one response per outcome status."""
    for path_item in raw_schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.get("responses", {})
            answer = responses.get("200")
            if not answer:
                continue
            content = answer["content"]["application/json"]
            success, failure = content["schema"]["oneOf"]
            content["schema"] = success
            codes = failure["properties"][ENVELOPE["retcode"]]["enum"]
            by_status = {}
            for code in codes:
                by_status.setdefault(outcome_status(code), []).append(code)
                # A refusal code the interface also documents as its own failure.
                if json.dumps(code) in STATUS_OF and code in operation.get("x-gatespec-own-errors", []):
                    by_status.setdefault(BUSINESS_FAILURE, []).append(code)
            for status, status_codes in sorted(by_status.items()):
                schema = json.loads(json.dumps(failure))
                schema["properties"][ENVELOPE["retcode"]]["enum"] = status_codes
                responses[str(status)] = {
                    "description": f"Failure codes {status_codes}, answered with HTTP 200 by the gateway",
                    "content": {"application/json": {"schema": schema}},
                }


# --- 2. the session ------------------------------------------------------------------------------

_lock = threading.Lock()
_session = {"id": os.environ["GATESPEC_SESSION"], "gone": False}


def _header(headers, name):
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _adopt(headers) -> bool:
    if not RENEWAL:
        return False
    value = _header(headers, RENEWAL["header"])
    if isinstance(value, list):
        value = value[0] if value else None
    if not value or not value.startswith(RENEWAL["prefix"]) or not value.endswith(RENEWAL["suffix"]):
        return False
    end = len(value) - len(RENEWAL["suffix"])
    _session["id"] = value[len(RENEWAL["prefix"]):end]
    return True


def _sign_in() -> None:
    for operation_id in SIGN_IN:
        for path, item in DOCUMENT["paths"].items():
            for method, operation in item.items():
                if operation.get("operationId") != operation_id:
                    continue
                url = BASE_URL + path.replace("{" + PROTOCOL["caller_param"] + "}", AGENT)
                answer = requests.request(method.upper(), url, json=SIGN_IN_BODY, timeout=10)
                if answer.ok and outcome_status(answer.json().get(ENVELOPE["retcode"])) == 200 and _adopt(answer.headers):
                    _session["gone"] = False
                    return
    raise RuntimeError("could not sign the agent in again through " + ", ".join(SIGN_IN))


@schemathesis.hook
def before_call(context, case, kwargs):
    with _lock:
        if _session["gone"]:
            _sign_in()
        # Only where the call carries the session: a call made without it stays without it.
        for headers in (case.headers, (kwargs or {}).get("headers")):
            for key in list(headers or {}):
                if key.lower() == SESSION_HEADER.lower():
                    headers[key] = _session["id"]


@schemathesis.hook
def after_call(context, case, response):
    with _lock:
        if _adopt(response.headers):
            return
        sent = _header(response.request.headers, SESSION_HEADER)
        if sent != _session["id"]:
            return
        try:
            retcode = json.loads(response.content).get(ENVELOPE["retcode"])
        except (ValueError, AttributeError):
            return
        if json.dumps(retcode) in SESSION_GONE:
            _session["gone"] = True
