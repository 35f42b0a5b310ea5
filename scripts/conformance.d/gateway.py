"""What the conformance run knows about the gateway, all of it read from the exported document.

The document's extensions say how outcomes travel (`x-gatespec-protocol`: the envelope, the
refusal codes, the HTTP status failures are answered with, the caller parameter) and how a
session is made (the security scheme's `x-gatespec-sign-in` operations and its
`x-gatespec-renewal` header). The run's inputs that are not spec facts come from the
environment: the document (GATESPEC_OPENAPI), the gateway (GATESPEC_BASE_URL), the agent
(GATESPEC_AGENT) and the sign-in body (GATESPEC_SIGN_IN_BODY, a JSON object). Nothing here
names a gateway.
"""

from __future__ import annotations

import json
import os

import requests

DOCUMENT = json.load(open(os.environ["GATESPEC_OPENAPI"], encoding="utf-8"))
PROTOCOL = DOCUMENT["x-gatespec-protocol"]
ENVELOPE = PROTOCOL["envelope"]
REFUSALS = PROTOCOL["refusals"]
CALLER_PARAM = PROTOCOL["caller_param"]
BASE_URL = os.environ["GATESPEC_BASE_URL"].rstrip("/")
AGENT = os.environ["GATESPEC_AGENT"]
SIGN_IN_BODY = json.loads(os.environ["GATESPEC_SIGN_IN_BODY"])
SCHEME = next(iter(DOCUMENT["components"]["securitySchemes"].values()))
SESSION_HEADER = SCHEME["name"]
RENEWAL = SCHEME.get("x-gatespec-renewal")
SIGN_IN = SCHEME.get("x-gatespec-sign-in", [])
TIMEOUT = 10

# The status each refusal stands for; codes shared by several refusals take the first.
REFUSAL_STATUS = [
    ("invalid_parameter", 400),
    ("not_signed_in", 401),
    ("no_permission", 403),
    ("missing_role", 403),
    ("not_supported", 501),
    ("internal_error", 500),
]
STATUS_OF: dict[str, int] = {}
for _refusal, _status in REFUSAL_STATUS:
    if _refusal in REFUSALS:
        STATUS_OF.setdefault(json.dumps(REFUSALS[_refusal]), _status)
for _path_item in DOCUMENT["paths"].values():
    for _operation in _path_item.values():
        for _role in _operation.get("x-gatespec-roles", []):
            STATUS_OF.setdefault(json.dumps(_role["refusal"]), 403)
# The status of a handler's own failure (a catalogue code that is no refusal).
BUSINESS_FAILURE = 409
REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           409: "Conflict", 500: "Internal Server Error", 501: "Not Implemented"}
MEANINGS = {json.dumps(e["code"]): e["meaning"] for e in DOCUMENT["x-gatespec-errors"]}


class GatewayFailure(Exception):
    """A call the run needs (signing in, setting the stage) did not succeed."""


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


def operation(operation_id: str) -> tuple[str, str, dict]:
    """The method, path template and description of the document's operation `operation_id`."""
    for path, item in DOCUMENT["paths"].items():
        for method, described in item.items():
            if described.get("operationId") == operation_id:
                return method.upper(), path, described
    raise GatewayFailure(f"the document has no operation `{operation_id}`")


def renewed_session(headers) -> str | None:
    """The session a renewal header in `headers` hands out, if any."""
    if not RENEWAL:
        return None
    value = None
    for key, candidate in headers.items():
        if key.lower() == RENEWAL["header"].lower():
            value = candidate
    if isinstance(value, list):
        value = value[0] if value else None
    if not value or not value.startswith(RENEWAL["prefix"]) or not value.endswith(RENEWAL["suffix"]):
        return None
    return value[len(RENEWAL["prefix"]):len(value) - len(RENEWAL["suffix"])] or None


def call(operation_id: str, body=None, session: str | None = None) -> requests.Response:
    """Calls the document's operation `operation_id` for the agent and checks its outcome is
    success: the response, or GatewayFailure saying what the gateway answered."""
    method, path, _ = operation(operation_id)
    url = BASE_URL + path.replace("{" + CALLER_PARAM + "}", AGENT)
    headers = {SESSION_HEADER: session} if session is not None else {}
    try:
        answer = requests.request(method, url, json=body, headers=headers, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise GatewayFailure(f"{operation_id}: {method} {url}: {error}") from error
    try:
        envelope = answer.json()
    except ValueError:
        envelope = None
    if not isinstance(envelope, dict) or envelope.get(ENVELOPE["retcode"]) != ENVELOPE["success"]:
        raise GatewayFailure(f"{operation_id}: {method} {url}: HTTP {answer.status_code}: {answer.text[:300]}")
    return answer


def sign_in() -> str:
    """Signs the agent in through the document's sign-in operations (the first that succeeds)
    and returns the session its renewal header hands out."""
    if not SIGN_IN:
        raise GatewayFailure("the security scheme names no sign-in operation (x-gatespec-sign-in)")
    failures = []
    for operation_id in SIGN_IN:
        try:
            answer = call(operation_id, SIGN_IN_BODY)
        except GatewayFailure as failure:
            failures.append(str(failure))
            continue
        session = renewed_session(answer.headers)
        if session is not None:
            return session
        failures.append(f"{operation_id}: the answer has no session in the renewal header")
    raise GatewayFailure(f"signing agent {AGENT} in failed: " + "; ".join(failures))
