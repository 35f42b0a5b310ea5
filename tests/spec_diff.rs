//! `gatespec diff` over a corpus of spec pairs and by property.
//!
//! Each corpus case edits a copy of a base spec (the ticket desk of tests/specs/ticket, or the
//! AgentGateway spec) in memory: `setup` edits go into both sides, `change` edits into the new
//! one only. The case states every change it expects with both verdicts, and its changelog is an
//! insta snapshot (tests/snapshots/spec_diff__<case>.snap).
//!
//! The properties: a spec compared with itself has no change, and a spec with one random
//! mutation of its model differs from the original by exactly that change.

use std::path::{Path, PathBuf};

use gatespec_codegen::diff::{self, Audience, ChangeKind, Group, Movement, Sides};
use gatespec_codegen::model::{Range, Spec};
use proptest::prelude::*;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

/// The files of a spec directory as `(path relative to the workspace, text)`.
fn read_spec(dir: &str) -> Vec<(String, String)> {
    let root = workspace();
    gatespec_codegen::load::spec_files(&root.join(dir))
        .expect("spec files")
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read");
            let relative = path
                .strip_prefix(&root)
                .expect("inside the workspace")
                .to_string_lossy()
                .replace('\\', "/");
            (relative, text)
        })
        .collect()
}

/// One edit: in the file whose path ends with `file`, replace the one occurrence of `from`.
type Edit = (&'static str, &'static str, &'static str);

fn apply(files: &mut [(String, String)], edits: &[Edit]) {
    for (file, from, to) in edits {
        let (_, text) = files
            .iter_mut()
            .find(|(path, _)| path.ends_with(file))
            .unwrap_or_else(|| panic!("no spec file ends with {file}"));
        assert_eq!(
            text.matches(from).count(),
            1,
            "the edit's text must occur exactly once in {file}: {from}"
        );
        *text = text.replacen(from, to, 1);
    }
}

fn check(files: &[(String, String)]) -> gatespec_codegen::Checked {
    let checked =
        gatespec_codegen::check_texts(files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    assert!(
        checked.spec.is_some(),
        "the edited spec has errors:\n{}",
        checked.diagnostics.render(
            &checked.sources,
            gatespec_codegen::diagnostic::RenderStyle::Plain
        )
    );
    checked
}

struct Case {
    name: &'static str,
    base: &'static str,
    setup: &'static [Edit],
    change: &'static [Edit],
    /// Every change expected, in changelog order: kind, client verdict, server verdict.
    expect: &'static [(&'static str, &'static str, &'static str)],
}

const TICKET: &str = "tests/specs/ticket";
const AGENTGATEWAY: &str = "spec";

const INFO_LEVEL_FIELD: Edit = (
    "info.yaml",
    "          - {name: opens,",
    "          - {name: level, type: int, enum: Level, mandatory: false, description: How busy the desk is.}\n          - {name: opens,",
);
const CLOSED_LEVEL_TABLE: Edit = (
    "ticket/gateway.yaml",
    "enums:\n",
    "enums:\n  Level:\n    description: How busy the desk is.\n    code_type: int\n    unknown_codes: reject\n    codes:\n      - {code: 1, name: quiet, meaning: Quiet.}\n",
);
const DESK_HEADER: Edit = (
    "ticket/gateway.yaml",
    "  X-Session-Renewed:\n",
    "  X-Desk:\n    description: The desk the call is for.\n    mandatory: true\n  X-Session-Renewed:\n",
);

const CLOSE_TICKET: &str = "  close_ticket:
    title: Closing a ticket
    service: tickets
    log_name: closeTicket
    method: DELETE
    path: /{user}/{ticketId}
    description: Closes a ticket (supervisors only, refused with the protocol's missing-role code).
    prerequisites:
      - role: {role: supervisor, text: Only supervisors close tickets.}
    path_params:
      - {name: user, type: string, scalar: UserNo, mandatory: true, description: The user.}
      - {name: ticketId, type: long, mandatory: true, range: {min: 1}, description: The ticket.}
    headers: [X-Session]
    response: {envelope: Reply}
    errors: [\"4030\"]
";

const DESK_HEADER_WITH_DEFAULT: Edit = (
    "ticket/gateway.yaml",
    "  X-Session-Renewed:\n",
    "  X-Desk:\n    description: The desk the call is for.\n    mandatory: true\n    default: front\n  X-Session-Renewed:\n",
);
const DESK_HEADER_ON_CLOSE: Edit = (
    "tickets.yaml",
    "    headers: [X-Session]\n    response: {envelope: Reply}\n    errors: [\"4030\"]",
    "    headers: [X-Session, X-Desk]\n    response: {envelope: Reply}\n    errors: [\"4030\"]",
);

const CASES: &[Case] = &[
    Case {
        name: "reformatting_is_no_change",
        base: TICKET,
        setup: &[],
        change: &[
            (
                "ticket/gateway.yaml",
                "  \"400\": {name: bad_request, meaning: The request is invalid.}\n",
                "  # Moved below and written in block style.\n",
            ),
            (
                "ticket/gateway.yaml",
                "  \"401\":",
                "  \"400\":\n    name: bad_request\n    meaning: The request is invalid.\n  \"401\":",
            ),
        ],
        expect: &[],
    },
    Case {
        name: "request_range_widened",
        base: TICKET,
        setup: &[],
        change: &[(
            "info.yaml",
            "range: {min: 1, max: 7}",
            "range: {min: 0, max: 7}",
        )],
        expect: &[("range-widened", "compatible", "breaking")],
    },
    Case {
        name: "result_range_narrowed",
        base: TICKET,
        setup: &[],
        change: &[(
            "info.yaml",
            "range: {min: 0, max: 23}",
            "range: {min: 6, max: 23}",
        )],
        expect: &[("range-narrowed", "compatible", "breaking")],
    },
    Case {
        name: "scalar_sent_both_ways_widened",
        base: TICKET,
        setup: &[],
        change: &[(
            "ticket/gateway.yaml",
            "range: {min: 1000, max: 1999}",
            "range: {min: 1000, max: 9999}",
        )],
        expect: &[("range-widened", "breaking", "breaking")],
    },
    Case {
        name: "request_length_narrowed",
        base: TICKET,
        setup: &[],
        change: &[(
            "tickets.yaml",
            "length: {min: 1, max: 40}",
            "length: {min: 1, max: 20}",
        )],
        expect: &[("length-narrowed", "breaking", "compatible")],
    },
    Case {
        name: "request_pattern_added",
        base: TICKET,
        setup: &[],
        change: &[(
            "auth.yaml",
            "length: {max: 16},",
            "length: {max: 16}, pattern: \"^[a-z]+$\",",
        )],
        expect: &[("pattern-narrowed", "breaking", "compatible")],
    },
    Case {
        name: "result_field_made_mandatory",
        base: TICKET,
        setup: &[],
        change: &[(
            "info.yaml",
            "{name: closes, type: int, mandatory: false,",
            "{name: closes, type: int, mandatory: true,",
        )],
        expect: &[("field-made-mandatory", "breaking", "breaking")],
    },
    Case {
        name: "optional_request_field_added",
        base: TICKET,
        setup: &[],
        change: &[(
            "tickets.yaml",
            "        - {name: priority,",
            "        - {name: note, type: string, mandatory: false, description: A note.}\n        - {name: priority,",
        )],
        expect: &[("field-added", "compatible", "compatible")],
    },
    Case {
        name: "mandatory_request_field_added",
        base: TICKET,
        setup: &[],
        change: &[
            (
                "tickets.yaml",
                "        - {name: priority,",
                "        - {name: note, type: string, mandatory: true, description: A note.}\n        - {name: priority,",
            ),
            (
                "tickets.yaml",
                "{\"title\": \"Printer on fire\", \"priority\": 2}",
                "{\"title\": \"Printer on fire\", \"note\": \"hot\", \"priority\": 2}",
            ),
        ],
        expect: &[("field-added", "breaking", "compatible")],
    },
    Case {
        name: "failure_field_removed",
        base: TICKET,
        setup: &[],
        change: &[
            (
                "tickets.yaml",
                "          - {name: since, type: long, mandatory: false, unit: epoch_seconds, description: Since when.}\n",
                "",
            ),
            ("tickets.yaml", ", \"since\": 1700000000}", "}"),
        ],
        expect: &[("field-removed", "breaking", "breaking")],
    },
    Case {
        name: "result_wire_name_renamed",
        base: TICKET,
        setup: &[],
        change: &[
            (
                "tickets.yaml",
                "{name: ticketId, type: long, mandatory: true, description: The new ticket.}",
                "{name: ticketID, type: long, mandatory: true, description: The new ticket.}",
            ),
            (
                "tickets.yaml",
                "\"data\": {\"ticketId\": 7}",
                "\"data\": {\"ticketID\": 7}",
            ),
        ],
        expect: &[("field-renamed", "breaking", "breaking")],
    },
    Case {
        name: "result_type_changed",
        base: TICKET,
        setup: &[],
        change: &[(
            "info.yaml",
            "{name: opens, type: int,",
            "{name: opens, type: long,",
        )],
        expect: &[("type-changed", "breaking", "breaking")],
    },
    Case {
        name: "unit_changed",
        base: TICKET,
        setup: &[],
        change: &[("auth.yaml", "unit: seconds", "unit: minutes")],
        expect: &[("unit-changed", "breaking", "breaking")],
    },
    Case {
        name: "code_added_to_closed_table_the_gateway_sends",
        base: TICKET,
        setup: &[INFO_LEVEL_FIELD, CLOSED_LEVEL_TABLE],
        change: &[(
            "ticket/gateway.yaml",
            "      - {code: 1, name: quiet, meaning: Quiet.}\n",
            "      - {code: 1, name: quiet, meaning: Quiet.}\n      - {code: 2, name: busy, meaning: Busy.}\n",
        )],
        expect: &[("code-added", "breaking", "compatible")],
    },
    Case {
        name: "code_added_to_table_clients_send",
        base: TICKET,
        setup: &[],
        change: &[(
            "ticket/gateway.yaml",
            "      - {code: 2, name: high, meaning: High.}\n",
            "      - {code: 2, name: high, meaning: High.}\n      - {code: 3, name: urgent, meaning: Urgent.}\n",
        )],
        expect: &[("code-added", "compatible", "breaking")],
    },
    Case {
        name: "code_removed",
        base: TICKET,
        setup: &[],
        change: &[(
            "ticket/gateway.yaml",
            "      - {code: 1, name: low, meaning: Low.}\n",
            "",
        )],
        expect: &[("code-removed", "breaking", "breaking")],
    },
    Case {
        name: "code_renamed",
        base: TICKET,
        setup: &[],
        change: &[(
            "ticket/gateway.yaml",
            "{code: 2, name: high, meaning: High.}",
            "{code: 2, name: urgent, meaning: High.}",
        )],
        expect: &[("code-renamed", "breaking", "breaking")],
    },
    Case {
        name: "interface_added_to_service_with_default_methods",
        base: TICKET,
        setup: &[],
        change: &[(
            "tickets.yaml",
            "  close_ticket:\n",
            "  reopen_ticket:\n    title: Reopening a ticket\n    service: tickets\n    log_name: reopenTicket\n    method: POST\n    path: /{user}/{ticketId}/reopen\n    description: Reopens a ticket.\n    prerequisites:\n      - signed_in: The user has signed in.\n    path_params:\n      - {name: user, type: string, scalar: UserNo, mandatory: true, description: The user.}\n      - {name: ticketId, type: long, mandatory: true, description: The ticket.}\n    headers: [X-Session]\n    response: {envelope: Reply}\n\n  close_ticket:\n",
        )],
        expect: &[("interface-added", "compatible", "compatible")],
    },
    Case {
        name: "interface_added_to_service_without_default_methods",
        base: TICKET,
        setup: &[],
        change: &[(
            "auth.yaml",
            "  close_session:\n",
            "  touch_session:\n    title: Keeping a session alive\n    service: auth\n    log_name: touchSession\n    method: POST\n    path: /{user}/touch\n    description: Keeps the session alive.\n    prerequisites:\n      - signed_in: The user has signed in.\n    path_params:\n      - {name: user, type: string, scalar: UserNo, mandatory: true, description: The user.}\n    headers: [X-Session]\n    response: {envelope: Reply}\n\n  close_session:\n",
        )],
        expect: &[("interface-added", "compatible", "breaking")],
    },
    Case {
        name: "interface_renamed",
        base: TICKET,
        setup: &[],
        change: &[(
            "info.yaml",
            "interfaces:\n  desk_hours:",
            "interfaces:\n  opening_hours:",
        )],
        expect: &[("interface-renamed", "breaking", "breaking")],
    },
    Case {
        name: "interface_removed",
        base: TICKET,
        setup: &[],
        change: &[("tickets.yaml", CLOSE_TICKET, "")],
        expect: &[("interface-removed", "breaking", "breaking")],
    },
    Case {
        name: "method_changed",
        base: TICKET,
        setup: &[],
        change: &[("tickets.yaml", "    method: DELETE\n", "    method: POST\n")],
        expect: &[("method-changed", "breaking", "breaking")],
    },
    Case {
        name: "path_changed",
        base: TICKET,
        setup: &[],
        change: &[(
            "tickets.yaml",
            "path: /{user}/{ticketId}/assign",
            "path: /{user}/{ticketId}/assignee",
        )],
        expect: &[("path-changed", "breaking", "breaking")],
    },
    Case {
        name: "session_no_longer_required",
        base: TICKET,
        setup: &[],
        change: &[
            (
                "auth.yaml",
                "    description: Signs the user out.\n    prerequisites:\n      - signed_in: The user has signed in.\n",
                "    description: Signs the user out.\n",
            ),
            (
                "auth.yaml",
                "    headers: [X-Session]\n    response: {envelope: Reply}",
                "    response: {envelope: Reply}",
            ),
        ],
        expect: &[
            ("session-requirement-changed", "compatible", "breaking"),
            ("header-removed", "compatible", "breaking"),
        ],
    },
    Case {
        name: "role_now_required",
        base: TICKET,
        setup: &[],
        change: &[(
            "tickets.yaml",
            "      - signed_in: The user has signed in.\n    path_params:\n      - {name: user, type: string, scalar: UserNo, mandatory: true, description: The user.}\n    headers: [Content-Type, X-Session]\n    request:\n      fields:\n        - {name: title,",
            "      - signed_in: The user has signed in.\n      - role: {role: clerk, text: Clerks open tickets.}\n    path_params:\n      - {name: user, type: string, scalar: UserNo, mandatory: true, description: The user.}\n    headers: [Content-Type, X-Session]\n    request:\n      fields:\n        - {name: title,",
        )],
        expect: &[("role-requirement-changed", "breaking", "compatible")],
    },
    Case {
        name: "mandatory_header_added",
        base: TICKET,
        setup: &[DESK_HEADER],
        change: &[(
            "tickets.yaml",
            "    headers: [X-Session]\n    response: {envelope: Reply}\n    errors: [\"4030\"]",
            "    headers: [X-Session, X-Desk]\n    response: {envelope: Reply}\n    errors: [\"4030\"]",
        )],
        expect: &[("header-added", "breaking", "compatible")],
    },
    Case {
        name: "interface_error_added",
        base: TICKET,
        setup: &[],
        change: &[(
            "tickets.yaml",
            "errors: [\"4030\"]",
            "errors: [\"4030\", \"409\"]",
        )],
        expect: &[("error-added", "compatible", "compatible")],
    },
    Case {
        name: "catalogue_code_added",
        base: TICKET,
        setup: &[],
        change: &[(
            "ticket/gateway.yaml",
            "  \"500\":",
            "  \"429\": {name: too_many, meaning: Too many requests.}\n  \"500\":",
        )],
        expect: &[("catalogue-code-added", "compatible", "compatible")],
    },
    Case {
        name: "catalogue_code_removed",
        base: TICKET,
        setup: &[],
        change: &[
            (
                "ticket/gateway.yaml",
                "  \"422\": {name: wrong_password, meaning: Wrong user or password.}\n",
                "",
            ),
            ("auth.yaml", "    errors: [\"422\"]\n", ""),
        ],
        expect: &[
            ("error-removed", "compatible", "breaking"),
            ("catalogue-code-removed", "breaking", "breaking"),
        ],
    },
    Case {
        name: "refusal_code_changed",
        base: TICKET,
        setup: &[],
        change: &[(
            "ticket/gateway.yaml",
            "      unknown_path: 404",
            "      unknown_path: 400",
        )],
        expect: &[("protocol-changed", "breaking", "compatible")],
    },
    Case {
        name: "default_methods_dropped",
        base: TICKET,
        setup: &[],
        change: &[(
            "ticket/gateway.yaml",
            "    server_defaults: not_supported\n",
            "",
        )],
        expect: &[("default-methods-changed", "compatible", "breaking")],
    },
    Case {
        name: "event_added",
        base: TICKET,
        setup: &[],
        change: &[(
            "events.yaml",
            "  DeskClosing:\n",
            "  DeskOpening:\n    description: The desk opens.\n    content: null\n  DeskClosing:\n",
        )],
        expect: &[("event-added", "compatible", "compatible")],
    },
    Case {
        name: "event_content_field_made_mandatory",
        base: TICKET,
        setup: &[],
        change: &[(
            "events.yaml",
            "{name: by, type: string, mandatory: false,",
            "{name: by, type: string, mandatory: true,",
        )],
        expect: &[("field-made-mandatory", "breaking", "breaking")],
    },
    Case {
        name: "interface_deprecated_and_retitled",
        base: TICKET,
        setup: &[],
        change: &[(
            "info.yaml",
            "    title: Opening hours\n",
            "    title: Opening hours of the desk\n    deprecated: Ask the desk calendar instead.\n",
        )],
        expect: &[
            ("documentation", "compatible", "compatible"),
            ("deprecated", "compatible", "compatible"),
        ],
    },
    Case {
        name: "header_default_removed",
        base: TICKET,
        setup: &[DESK_HEADER_WITH_DEFAULT, DESK_HEADER_ON_CLOSE],
        change: &[("ticket/gateway.yaml", "    default: front\n", "")],
        expect: &[("header-changed", "breaking", "compatible")],
    },
    Case {
        name: "session_now_required",
        base: TICKET,
        setup: &[],
        change: &[(
            "auth.yaml",
            "    description: Signs a user in; the session token comes back in `X-Session-Renewed`.\n",
            "    description: Signs a user in; the session token comes back in `X-Session-Renewed`.\n    prerequisites:\n      - signed_in: The user has signed in before.\n",
        )],
        expect: &[("session-requirement-changed", "breaking", "breaking")],
    },
    Case {
        name: "idle_sign_out_shortened",
        base: AGENTGATEWAY,
        setup: &[],
        change: &[(
            "agentgateway/gateway.yaml",
            "idle_sign_out_ms: 120000",
            "idle_sign_out_ms: 60000",
        )],
        expect: &[("timing-changed", "breaking", "compatible")],
    },
    Case {
        name: "request_default_changed",
        base: AGENTGATEWAY,
        setup: &[],
        change: &[(
            "onlineagent/login.yaml",
            "          default: 4\n          lenient: true\n          description: Status after sign-in.",
            "          default: 3\n          lenient: true\n          description: Status after sign-in.",
        )],
        expect: &[("default-changed", "breaking", "compatible")],
    },
    Case {
        name: "request_leniency_dropped",
        base: AGENTGATEWAY,
        setup: &[],
        change: &[
            (
                "onlineagent/login.yaml",
                "          default: 4\n          lenient: true\n          description: Status after sign-in.",
                "          default: 4\n          description: Status after sign-in.",
            ),
            ("onlineagent/login.yaml", "\"status\":\"4\"", "\"status\":4"),
        ],
        expect: &[("lenient-changed", "compatible", "breaking")],
    },
    Case {
        name: "request_condition_dropped",
        base: AGENTGATEWAY,
        setup: &[],
        change: &[(
            "agentconf/requestagentconf.yaml",
            "          required_if: {field: beepTone, equals: true}\n",
            "",
        )],
        expect: &[("condition-widened", "compatible", "breaking")],
    },
    Case {
        name: "documented_condition_added",
        base: TICKET,
        setup: &[],
        change: &[(
            "tickets.yaml",
            "    description: Opens a ticket. Every answer renews the session.\n    prerequisites:\n      - signed_in: The user has signed in.\n",
            "    description: Opens a ticket. Every answer renews the session.\n    prerequisites:\n      - signed_in: The user has signed in.\n      - condition: The desk is open.\n",
        )],
        expect: &[("documentation", "compatible", "compatible")],
    },
    Case {
        name: "array_limit_narrowed",
        base: AGENTGATEWAY,
        setup: &[],
        change: &[(
            "agentconf/queryconfinfos.yaml",
            "          max_items: 20\n",
            "          max_items: 10\n",
        )],
        expect: &[("array-limit-narrowed", "breaking", "compatible")],
    },
];

#[test]
fn corpus_of_spec_pairs() {
    let mut kinds = std::collections::BTreeSet::new();
    for case in CASES {
        let mut old = read_spec(case.base);
        apply(&mut old, case.setup);
        let mut new = old.clone();
        apply(&mut new, case.change);
        let (old_checked, new_checked) = (check(&old), check(&new));
        let (Some(old_spec), Some(new_spec)) = (&old_checked.spec, &new_checked.spec) else {
            unreachable!("checked above")
        };
        let changes = diff::diff(old_spec, new_spec);
        let found: Vec<(String, String, String)> = changes
            .changes
            .iter()
            .map(|c| (c.kind.name(), c.client.to_string(), c.server.to_string()))
            .collect();
        let expected: Vec<(String, String, String)> = case
            .expect
            .iter()
            .map(|(k, c, s)| ((*k).to_owned(), (*c).to_owned(), (*s).to_owned()))
            .collect();
        assert_eq!(found, expected, "case {}", case.name);
        kinds.extend(found.into_iter().map(|(kind, ..)| kind));
        let sides = Sides {
            old: (&old_checked.sources, "old"),
            new: (&new_checked.sources, "new"),
        };
        insta::assert_snapshot!(case.name, diff::text(&changes, sides, Audience::Both));
        // The JSON document says the same.
        let json: serde_json::Value =
            serde_json::from_str(&diff::json(&changes, sides, Audience::Both)).expect("JSON");
        assert_eq!(
            json["changes"].as_array().map(Vec::len),
            Some(changes.changes.len())
        );
        assert_eq!(
            json["summary"]["exit_status"],
            u64::from(changes.exit_status(Audience::Both))
        );
    }
    assert!(
        kinds.len() >= 20,
        "the corpus covers {} kinds: {kinds:?}",
        kinds.len()
    );
}

#[test]
fn editions_of_one_spec_differ_by_their_overrides() {
    let dir = workspace().join("spec");
    let old = gatespec_codegen::check_path_version(&dir, Some("2023"));
    let new = gatespec_codegen::check_path_version(&dir, Some("2025"));
    let changes = diff::diff(
        old.spec.as_ref().expect("2023"),
        new.spec.as_ref().expect("2025"),
    );
    let found: Vec<(String, &Group)> = changes
        .changes
        .iter()
        .map(|c| (c.kind.name(), &c.group))
        .collect();
    assert_eq!(
        found,
        [(
            "range-widened".to_owned(),
            &Group::Scalar("AgentId".to_owned())
        )]
    );
    assert_eq!(changes.exit_status(Audience::Client), 1);
    assert_eq!(changes.exit_status(Audience::Server), 2);
}

fn agentgateway() -> Spec {
    gatespec_codegen::check_path(&workspace().join("spec"))
        .spec
        .expect("the AgentGateway spec is valid")
}

#[test]
fn every_spec_compared_with_itself_has_no_change() {
    for dir in ["spec", "tests/specs/ticket", "tests/specs/codegen"] {
        let spec = gatespec_codegen::check_path(&workspace().join(dir))
            .spec
            .unwrap_or_else(|| panic!("{dir} is valid"));
        let changes = diff::diff(&spec, &spec);
        assert!(changes.is_empty(), "{dir}: {:?}", changes.changes);
        assert_eq!(changes.exit_status(Audience::Both), 0);
    }
}

/// One mutation of a model and the change it must come out as.
fn mutate(spec: &mut Spec, which: usize, a: usize, b: usize) -> (ChangeKind, Group) {
    let interface_group = |spec: &Spec, i: usize| {
        let interface = &spec.interfaces[i];
        Group::Interface(
            spec.services[interface.service.0].name.clone(),
            interface.id.clone(),
        )
    };
    // Interfaces with a request body with fields, to mutate a field of.
    let with_body: Vec<usize> = (0..spec.interfaces.len())
        .filter(|&i| {
            spec.interfaces[i]
                .request
                .is_some_and(|t| !spec.tables[t.0].fields.is_empty())
        })
        .collect();
    let i = with_body[a % with_body.len()];
    let table = spec.interfaces[i].request.map_or(0, |t| t.0);
    let field = b % spec.tables[table].fields.len();
    match which % 12 {
        0 => {
            let f = &mut spec.tables[table].fields[field];
            f.mandatory = !f.mandatory;
            let kind = if f.mandatory {
                ChangeKind::FieldMadeMandatory
            } else {
                ChangeKind::FieldMadeOptional
            };
            (kind, interface_group(spec, i))
        }
        1 => {
            spec.tables[table].fields[field]
                .description
                .push_str(" More.");
            (ChangeKind::Documentation, interface_group(spec, i))
        }
        2 => {
            let f = &mut spec.tables[table].fields[field];
            // A lower minimum widens a range; any limit narrows no range at all.
            let movement = if f.range.is_some() {
                Movement::Widened
            } else {
                Movement::Narrowed
            };
            let min = f.range.and_then(|r| r.min).unwrap_or(0);
            f.range = Some(Range {
                min: Some(min.saturating_sub(1 + (b % 7) as i64)),
                max: f.range.and_then(|r| r.max),
            });
            (ChangeKind::Range(movement), interface_group(spec, i))
        }
        3 => {
            spec.tables[table].fields[field].name.push('X');
            (ChangeKind::FieldRenamed, interface_group(spec, i))
        }
        4 => {
            spec.tables[table].fields.remove(field);
            (ChangeKind::FieldRemoved, interface_group(spec, i))
        }
        5 => {
            let k = a % spec.interfaces.len();
            let interface = &mut spec.interfaces[k];
            interface.method = match interface.method {
                gatespec_codegen::raw::Method::Post => gatespec_codegen::raw::Method::Put,
                _ => gatespec_codegen::raw::Method::Post,
            };
            (ChangeKind::MethodChanged, interface_group(spec, k))
        }
        6 => {
            let k = a % spec.interfaces.len();
            spec.interfaces[k].deprecated = Some("Going away.".to_owned());
            (ChangeKind::Deprecated, interface_group(spec, k))
        }
        7 => {
            let k = a % spec.code_tables.len();
            let table = &mut spec.code_tables[k];
            let c = b % table.codes.len();
            table.codes[c].meaning.push_str(" Also.");
            (
                ChangeKind::Documentation,
                Group::CodeTable(table.name.clone()),
            )
        }
        8 => {
            let k = a % spec.code_tables.len();
            let table = &mut spec.code_tables[k];
            let c = b % table.codes.len();
            table.codes[c].name.push_str("_renamed");
            (
                ChangeKind::CodeRenamed,
                Group::CodeTable(table.name.clone()),
            )
        }
        9 => {
            let k = a % spec.code_tables.len();
            let table = &mut spec.code_tables[k];
            let c = b % table.codes.len();
            table.codes.remove(c);
            (
                ChangeKind::CodeRemoved,
                Group::CodeTable(table.name.clone()),
            )
        }
        10 => {
            let k = a % spec.errors.len();
            spec.errors[k].name.push_str("_renamed");
            (ChangeKind::CatalogueCodeRenamed, Group::Errors)
        }
        _ => {
            let k = a % spec.scalars.len();
            let scalar = &mut spec.scalars[k];
            let max = scalar
                .range
                .and_then(|r| r.max)
                .unwrap_or(i64::from(i32::MAX));
            scalar.range = Some(Range {
                min: scalar.range.and_then(|r| r.min),
                max: Some(max - 1 - (b % 5) as i64),
            });
            (
                ChangeKind::Range(Movement::Narrowed),
                Group::Scalar(scalar.name.clone()),
            )
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn one_mutation_is_reported_as_exactly_that_change(
        which in 0usize..12,
        a in any::<usize>(),
        b in any::<usize>(),
    ) {
        let old = agentgateway();
        let mut new = old.clone();
        let (kind, group) = mutate(&mut new, which, a, b);
        let changes = diff::diff(&old, &new);
        let found: Vec<(ChangeKind, &Group)> =
            changes.changes.iter().map(|c| (c.kind, &c.group)).collect();
        prop_assert_eq!(found, vec![(kind, &group)]);
        // Reversed, the same one change is found.
        let back = diff::diff(&new, &old);
        prop_assert_eq!(back.changes.len(), 1);
        prop_assert_eq!(&back.changes[0].group, &group);
    }
}
