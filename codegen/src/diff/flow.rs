//! Which way the values of each shared definition travel: a verdict depends on who sends a
//! value and who receives it.

use std::collections::BTreeMap;

use crate::model::{EventContent, Field, InterfaceResult, Shape, Spec, TableId};

/// Which way values travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flow {
    /// In requests: clients send, servers receive.
    Request,
    /// In results, failure details and events: servers send, clients receive.
    Response,
    /// Both ways.
    Both,
}

impl Flow {
    pub(super) fn join(self, other: Flow) -> Flow {
        if self == other { self } else { Flow::Both }
    }

    /// Whether clients send values of this flow.
    pub(super) fn client_sends(self) -> bool {
        matches!(self, Flow::Request | Flow::Both)
    }

    /// Whether servers send values of this flow.
    pub(super) fn server_sends(self) -> bool {
        matches!(self, Flow::Response | Flow::Both)
    }

    /// Who sends values of this flow, in words.
    pub(super) fn senders(self) -> &'static str {
        match self {
            Flow::Request => "clients",
            Flow::Response => "servers",
            Flow::Both => "clients and servers",
        }
    }

    /// Who receives values of this flow, in words.
    pub(super) fn receivers(self) -> &'static str {
        match self {
            Flow::Request => "servers",
            Flow::Response => "clients",
            Flow::Both => "clients and servers",
        }
    }
}

/// The flow of every named table, code table and scalar a spec uses, by name.
#[derive(Debug, Default)]
pub(super) struct Flows {
    pub(super) tables: BTreeMap<String, Flow>,
    pub(super) code_tables: BTreeMap<String, Flow>,
    pub(super) scalars: BTreeMap<String, Flow>,
}

impl Flows {
    pub(super) fn of(spec: &Spec) -> Flows {
        let mut walk = Walk {
            spec,
            flows: Flows::default(),
        };
        for interface in &spec.interfaces {
            for field in interface.path_params.iter().chain(&interface.query_params) {
                walk.field(field, Flow::Request);
            }
            if let Some(table) = interface.request {
                walk.table(table, Flow::Request);
            }
            match &interface.result {
                Some(InterfaceResult::Table(table)) => walk.table(*table, Flow::Response),
                Some(InterfaceResult::Value(field)) => walk.field(field, Flow::Response),
                Some(InterfaceResult::Event { .. }) | None => {}
            }
            if let Some(table) = interface.failure {
                walk.table(table, Flow::Response);
            }
        }
        for event in &spec.events {
            if let EventContent::Table(table) = event.content {
                walk.table(table, Flow::Response);
            }
        }
        walk.flows
    }
}

struct Walk<'a> {
    spec: &'a Spec,
    flows: Flows,
}

impl Walk<'_> {
    fn table(&mut self, id: TableId, flow: Flow) {
        let Some(table) = self.spec.tables.get(id.0) else {
            return;
        };
        for field in &table.fields {
            self.field(field, flow);
        }
    }

    fn field(&mut self, field: &Field, flow: Flow) {
        self.shape(&field.shape, flow);
    }

    fn shape(&mut self, shape: &Shape, flow: Flow) {
        match shape {
            Shape::Scalar(_) => {}
            Shape::Code(id, _) => {
                if let Some(table) = self.spec.code_tables.get(id.0) {
                    record(&mut self.flows.code_tables, &table.name, flow);
                }
            }
            Shape::Newtype(id, _) => {
                if let Some(scalar) = self.spec.scalars.get(id.0) {
                    record(&mut self.flows.scalars, &scalar.name, flow);
                }
            }
            Shape::Object(id) => {
                let Some(table) = self.spec.tables.get(id.0) else {
                    return;
                };
                // Recursing only when the flow grows ends self-referencing tables.
                if record(&mut self.flows.tables, &table.name, flow) {
                    self.table(*id, flow);
                }
            }
            Shape::Array(inner) => self.shape(inner, flow),
        }
    }
}

/// Adds `flow` to `name`'s; whether that changed anything.
fn record(map: &mut BTreeMap<String, Flow>, name: &str, flow: Flow) -> bool {
    match map.get(name) {
        Some(known) if known.join(flow) == *known => false,
        Some(known) => {
            let joined = known.join(flow);
            map.insert(name.to_owned(), joined);
            true
        }
        None => {
            map.insert(name.to_owned(), flow);
            true
        }
    }
}
