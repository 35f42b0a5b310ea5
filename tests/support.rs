//! Shared helpers for the workspace-level tests and benchmarks.

use std::fmt::Write as _;

/// A valid spec of `n` interfaces (each with a request table, a result table, a code table and
/// an example), for scaling tests and benchmarks of the loader and the generator.
pub fn synthetic_spec(n: usize) -> String {
    let mut out = String::from(
        "gateway:\n  name: synthetic\n  title: Synthetic gateway\n  protocol:\n    envelope: Envelope\n    caller_param: agentid\n    refusals: {invalid_parameter: \"000-002\", not_signed_in: \"000-002\", no_permission: \"000-002\", missing_role: \"000-002\", internal_error: \"000-002\", unknown_path: \"000-002\"}\n\
         roles:\n  inspector: {description: Sees all.}\n\
         services:\n  svc: {title: Service, base_path: /gw/svc}\n\
         headers:\n  Guid: {description: Session., mandatory: true, purpose: session}\n\
         envelopes:\n  Envelope:\n    description: Wrapper.\n    message: {name: message, description: M.}\n    retcode: {name: retcode, type: string, success: \"0\", description: R.}\n    result: {name: result, description: Result.}\n\
         errors:\n  \"000-002\": {name: invalid_parameter, meaning: Invalid.}\n\
         scalars:\n  AgentId: {type: string, range: {min: 101, max: 59999}, description: Agent.}\n\
         enums:\n",
    );
    for i in 0..n {
        let _ = write!(
            out,
            "  State{i}:\n    description: State {i}.\n    code_type: int\n    codes:\n      - {{code: 0, name: idle, meaning: Idle.}}\n      - {{code: 1, name: busy, meaning: Busy.}}\n"
        );
    }
    out.push_str("types:\n");
    for i in 0..n {
        let _ = write!(
            out,
            "  Item{i}:\n    fields:\n      - {{name: id, type: long, mandatory: true, description: ID.}}\n      - {{name: state, type: int, enum: State{i}, mandatory: true, description: State.}}\n      - {{name: note, type: string, mandatory: false, length: {{max: 24}}, description: Note.}}\n"
        );
    }
    out.push_str("interfaces:\n");
    for i in 0..n {
        let _ = write!(
            out,
            "  op_{i}:\n    title: Operation {i}\n    service: svc\n    log_name: op{i}\n    method: POST\n    path: /{{agentid}}/op{i}\n    description: Does {i}.\n    prerequisites:\n      - signed_in: Signed in.\n    path_params:\n      - {{name: agentid, type: string, scalar: AgentId, mandatory: true, description: Agent.}}\n    headers: [Guid]\n    request:\n      fields:\n        - {{name: ids, type: array, items: long, max_items: 20, mandatory: true, description: IDs.}}\n    response:\n      envelope: Envelope\n      result:\n        fields:\n          - {{name: items, type: array, items: Item{i}, mandatory: true, description: Items.}}\n    errors: [\"000-002\"]\n    example:\n      request: |\n        {{\"ids\": [1, 2]}}\n      response: |\n        {{\"message\": \"\", \"retcode\": \"0\", \"result\": {{\"items\": [{{\"id\": 1, \"state\": 1}}]}}}}\n"
        );
    }
    out
}
