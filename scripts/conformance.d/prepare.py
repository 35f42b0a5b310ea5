"""Sets the stage for the conformance run; run by `scripts/conformance` before schemathesis.

    python prepare.py WORKDIR

1. Signs the agent in through the document's sign-in operation (gateway.sign_in) and writes the
   session to WORKDIR/session: the run starts with it, and a failing sign-in stops the run here
   with the gateway's answer.
2. Calls the stage operations (GATESPEC_STAGE: one `OPERATION_ID JSON-BODY` a line) with that
   session, so the operations that need a state (a conference the agent chairs) are reached, not
   only refused. Each must succeed.
3. Writes WORKDIR/schemathesis.toml: the caller parameter (`x-gatespec-protocol.caller_param`)
   pinned to the agent, and a run that fails when operations were only ever refused for want of
   a session (schemathesis's missing_auth warning).
"""

from __future__ import annotations

import json
import os
import sys

from gateway import AGENT, CALLER_PARAM, GatewayFailure, call, sign_in


def stage_calls() -> list[tuple[str, object]]:
    calls = []
    for line in os.environ.get("GATESPEC_STAGE", "").splitlines():
        line = line.strip()
        if not line:
            continue
        operation_id, _, body = line.partition(" ")
        try:
            calls.append((operation_id, json.loads(body) if body.strip() else None))
        except ValueError as error:
            raise GatewayFailure(f"stage call `{line}`: the body is not JSON: {error}") from error
    return calls


def main(workdir: str) -> None:
    session = sign_in()
    print(f"conformance: agent {AGENT} signed in")
    for operation_id, body in stage_calls():
        call(operation_id, body, session)
        print(f"conformance: stage set: {operation_id} {json.dumps(body)}")
    with open(os.path.join(workdir, "session"), "w", encoding="utf-8") as out:
        out.write(session)
    with open(os.path.join(workdir, "schemathesis.toml"), "w", encoding="utf-8") as out:
        out.write(f"[parameters]\n{json.dumps('path.' + CALLER_PARAM)} = {json.dumps(AGENT)}\n\n")
        out.write('[warnings]\nfail-on = ["missing_auth"]\n')


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except GatewayFailure as failure:
        print(f"conformance: {failure}", file=sys.stderr)
        sys.exit(1)
