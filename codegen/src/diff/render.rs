//! The changelog for people and the JSON document for tools.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Audience, Change, Changes, Group, Verdict};
use crate::source::{Sources, Span};

/// What the two sides are called in the output (`spec-v2023`, `HEAD~1:spec`, `edition 2025`).
#[derive(Clone, Copy, Debug)]
pub struct Sides<'a> {
    /// The old spec's sources and name.
    pub old: (&'a Sources, &'a str),
    /// The new spec's sources and name.
    pub new: (&'a Sources, &'a str),
}

fn location(sources: &Sources, span: Option<Span>) -> Option<String> {
    span.map(|s| sources.location(s))
}

fn audience_word(audience: Audience) -> &'static str {
    match audience {
        Audience::Client => "clients",
        Audience::Server => "servers",
        Audience::Both => "clients and servers",
    }
}

/// The changelog: grouped by service and interface, then shared definitions; each change with
/// both verdicts, why, and where each spec defines it. Changes that break `audience` start with
/// `!`.
pub fn text(changes: &Changes, sides: Sides<'_>, audience: Audience) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "gatespec diff {} -> {} (for {})",
        sides.old.1,
        sides.new.1,
        audience_word(audience)
    );
    if changes.is_empty() {
        out.push_str("\nno changes\n");
        return out;
    }
    let mut current: Option<&Group> = None;
    for change in &changes.changes {
        if current != Some(&change.group) {
            let _ = writeln!(out, "\n{}", change.group);
            current = Some(&change.group);
        }
        let mark = if change.verdict_for(audience) == Verdict::Breaking {
            '!'
        } else {
            ' '
        };
        let detail = change
            .detail
            .as_ref()
            .map_or_else(String::new, |d| format!(": {d}"));
        let _ = writeln!(out, "{mark} {} {}{detail}", change.kind, change.subject);
        let _ = writeln!(
            out,
            "    client {}, server {}: {}",
            change.client, change.server, change.why
        );
        let at = [
            location(sides.old.0, change.old).map(|l| format!("old {l}")),
            location(sides.new.0, change.new).map(|l| format!("new {l}")),
        ];
        let at: Vec<String> = at.into_iter().flatten().collect();
        if !at.is_empty() {
            let _ = writeln!(out, "    {}", at.join("  "));
        }
    }
    let _ = writeln!(
        out,
        "\n{} change(s): {} breaking for clients, {} breaking for servers",
        changes.changes.len(),
        changes.breaking_for(Audience::Client),
        changes.breaking_for(Audience::Server)
    );
    out
}

#[derive(Serialize)]
struct Document<'a> {
    old: &'a str,
    new: &'a str,
    #[serde(rename = "for")]
    audience: &'static str,
    summary: Summary,
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct Summary {
    changes: usize,
    breaking_for_clients: usize,
    breaking_for_servers: usize,
    exit_status: u8,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    group: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interface: Option<&'a str>,
    kind: String,
    subject: &'a str,
    detail: Option<&'a str>,
    client: Verdict,
    server: Verdict,
    why: &'a str,
    old: Option<String>,
    new: Option<String>,
}

impl<'a> JsonChange<'a> {
    fn new(change: &'a Change, sides: Sides<'_>) -> Self {
        let (service, interface) = match &change.group {
            Group::Service(s) => (Some(s.as_str()), None),
            Group::Interface(s, i) => (Some(s.as_str()), Some(i.as_str())),
            _ => (None, None),
        };
        JsonChange {
            group: change.group.to_string(),
            service,
            interface,
            kind: change.kind.name(),
            subject: &change.subject,
            detail: change.detail.as_deref(),
            client: change.client,
            server: change.server,
            why: &change.why,
            old: location(sides.old.0, change.old),
            new: location(sides.new.0, change.new),
        }
    }
}

/// The changes as one JSON document: `{old, new, for, summary, changes: [...]}`, each change with
/// `kind`, `subject`, `detail`, `client` and `server` verdicts, `why` and `old`/`new` locations
/// (`file:line:column`, `null` where the item does not exist).
pub fn json(changes: &Changes, sides: Sides<'_>, audience: Audience) -> String {
    let document = Document {
        old: sides.old.1,
        new: sides.new.1,
        audience: match audience {
            Audience::Client => "client",
            Audience::Server => "server",
            Audience::Both => "both",
        },
        summary: Summary {
            changes: changes.changes.len(),
            breaking_for_clients: changes.breaking_for(Audience::Client),
            breaking_for_servers: changes.breaking_for(Audience::Server),
            exit_status: changes.exit_status(audience),
        },
        changes: changes
            .changes
            .iter()
            .map(|c| JsonChange::new(c, sides))
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
