"""schemathesis hooks for gatespec's conformance run (loaded through SCHEMATHESIS_HOOKS).

Everything gateway-specific comes from the exported document (see `gateway`); nothing here
names a gateway.

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

2. The session, kept as a client keeps it, through schemathesis's auth provider: a case that
   carries the session gets the current one (a case whose session parameter schemathesis removes
   on purpose, and the probes of ignored_auth and missing_required_header, go without it and must
   be refused). A renewal header in any answer is adopted. When the fuzzer ends the session
   (sign-out, a forced sign-in, the Guid exchange), the next call is refused with 401/403;
   schemathesis then asks the provider again, which signs the agent in through the document's
   sign-in operation, and replays the call once with the new session.

   A positive case holding a string beyond its `x-gatespec-length` limit in UTF-8 bytes is not
   valid by the document (JSON Schema's `maxLength` counts characters), so its refusal is not
   counted as a rejected valid input.

3. Reach: at exit, how each operation's cases ended (status and result code per call, replays
   after a new sign-in included), so an operation the cases never get past a refusal shows.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import threading
from collections import Counter, defaultdict

import schemathesis
from schemathesis.specs.openapi import checks as openapi_checks
from schemathesis.transport.requests import RequestsTransport

from gateway import (
    BUSINESS_FAILURE,
    DOCUMENT,
    ENVELOPE,
    PROTOCOL,
    REASONS,
    SESSION_HEADER,
    STATUS_OF,
    outcome_status,
    renewed_session,
    sign_in,
)

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


# --- 1b. lengths in bytes ------------------------------------------------------------------------
#
# A string limited in UTF-8 bytes has `maxLength` as an upper bound in characters (JSON Schema
# counts characters) and its limit in `x-gatespec-length`. A positive case holding such a string
# beyond its byte limit is not valid by the document; its refusal is not a rejected valid input.

COMPONENTS = DOCUMENT.get("components", {}).get("schemas", {})


def _resolve(schema):
    while isinstance(schema, dict) and "$ref" in schema:
        schema = COMPONENTS.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema if isinstance(schema, dict) else {}


def breaks_byte_limit(schema, value) -> bool:
    """Whether `value` holds a string outside its `x-gatespec-length` limit in UTF-8 bytes."""
    schema = _resolve(schema)
    length = schema.get("x-gatespec-length")
    if isinstance(value, str) and length and length.get("unit") == "utf8_bytes":
        size = len(value.encode("utf-8", "surrogatepass"))
        if (length.get("max") is not None and size > length["max"]) or (
            length.get("min") is not None and size < length["min"]
        ):
            return True
    for key in ("anyOf", "oneOf", "allOf"):
        if any(breaks_byte_limit(branch, value) for branch in schema.get(key, [])):
            return True
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return any(breaks_byte_limit(properties[name], member) for name, member in value.items() if name in properties)
    if isinstance(value, list) and "items" in schema:
        return any(breaks_byte_limit(schema["items"], item) for item in value)
    return False


_positive_data_acceptance = openapi_checks._openapi_positive_data_acceptance


def _positive_data_acceptance_by_the_document(ctx, response, case):
    body_schema = (
        case.operation.definition.raw.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    )
    if body_schema is not None and breaks_byte_limit(body_schema, case.body):
        return None
    return _positive_data_acceptance(ctx, response, case)


openapi_checks._openapi_positive_data_acceptance = _positive_data_acceptance_by_the_document


# --- 2. the session ------------------------------------------------------------------------------


class Session:
    """The agent's current session; renewals change `id` in place, so the provider's cached
    value follows them."""

    def __init__(self, session_id: str | None):
        self.id = session_id


_lock = threading.Lock()
# A session signed in before the run (by `prepare`) is used first.
_current = Session(os.environ.get("GATESPEC_SESSION") or None)
_sign_ins = Counter()


@schemathesis.auth(retry_on=[401, 403])
class SignedInAgent:
    """The session header of every case that carries one: the current session, signed in
    again when schemathesis invalidates it after a refusal."""

    def get(self, case, context):
        with _lock:
            if _current.id is not None and not _sign_ins:
                _sign_ins["handed over"] += 1
                return _current
            try:
                _current.id = sign_in()
            except Exception:
                _sign_ins["failed"] += 1
                raise
            _sign_ins["signed in"] += 1
            return _current

    def set(self, case, data, context):
        if case.headers is None:
            case.headers = {}
        case.headers[SESSION_HEADER] = data.id


# --- 3. reach ------------------------------------------------------------------------------------

_reach: dict[str, Counter] = defaultdict(Counter)


@schemathesis.hook
def after_call(context, case, response):
    renewed = renewed_session(response.headers)
    with _lock:
        if renewed is not None:
            _current.id = renewed
        retcode = None
        try:
            body = json.loads(response.content)
            if isinstance(body, dict):
                retcode = body.get(ENVELOPE["retcode"])
        except ValueError:
            pass
        outcome = str(response.status_code)
        if retcode is not None and retcode != ENVELOPE["success"]:
            outcome += f" {retcode}"
        _reach[case.operation.definition.raw.get("operationId", case.operation.label)][outcome] += 1


def _outcome_order(item):
    status, _, code = item[0].partition(" ")
    return (int(status) if status.isdigit() else 999, code)


@atexit.register
def _print_reach():
    if not _reach:
        return
    print("\nReach (calls per operation by outcome: HTTP status as the hooks see it, result code):")
    width = max(len(name) for name in _reach)
    for name in sorted(_reach):
        outcomes = ", ".join(f"{outcome} x {count}" for outcome, count in sorted(_reach[name].items(), key=_outcome_order))
        marker = "" if _reach[name]["200"] else "   <- never succeeded"
        print(f"  {name:<{width}}  {outcomes}{marker}")
    never = sorted(name for name in _reach if not _reach[name]["200"])
    print(f"Operations that succeeded: {len(_reach) - len(never)} of {len(_reach)}"
          + (f" (never: {', '.join(never)})" if never else ""))
    print("Sessions: " + ", ".join(f"{what} x {count}" for what, count in sorted(_sign_ins.items())))
    failures_file = os.environ.get("GATESPEC_SIGN_IN_FAILURES")
    if _sign_ins["failed"] and failures_file:
        with open(failures_file, "w", encoding="utf-8") as out:
            out.write(f"{_sign_ins['failed']}\n")
    sys.stdout.flush()
