//! Turning names into ids, with "did you mean" help for names that do not resolve.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{
    CodeTable, CodeTableId, CodeType, Envelope, EnvelopeId, ErrorCode, ErrorId, Header, HeaderId,
    Role, RoleId, Scalar, Service, ServiceId, Shape, TableId,
};
use crate::model::{ScalarType, ScalarTypeId};
use crate::raw::Sp;
use crate::source::SourceId;

use super::{Builder, at};

/// Resolves references from fields to code tables and tables.
pub(super) struct Resolver<'m> {
    pub(super) code_tables: &'m [CodeTable],
    pub(super) scalars: &'m [ScalarType],
    /// Name -> index maps, so that resolving is not linear in the size of the spec.
    pub(super) code_table_names: BTreeMap<String, usize>,
    pub(super) scalar_names: BTreeMap<String, usize>,
    pub(super) table_names: BTreeMap<String, TableId>,
}

impl Resolver<'_> {
    pub(super) fn scalar(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<ScalarTypeId> {
        if let Some(i) = self.scalar_names.get(&name.value).copied() {
            return Some(ScalarTypeId(i));
        }
        let candidates: Vec<&str> = self.scalars.iter().map(|t| t.name.as_str()).collect();
        dangling(b, file, name, "scalar", &candidates, None);
        None
    }

    pub(super) fn code_table(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<CodeTableId> {
        if let Some(i) = self.code_table_names.get(&name.value).copied() {
            return Some(CodeTableId(i));
        }
        let also = if self.table_names.contains_key(&name.value) {
            Some(format!(
                "`{}` is a table, not a code table; use `type: object` with `table: {}`",
                name.value, name.value
            ))
        } else {
            None
        };
        let candidates: Vec<&str> = self.code_tables.iter().map(|t| t.name.as_str()).collect();
        dangling(b, file, name, "code table", &candidates, also);
        None
    }

    pub(super) fn table(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<TableId> {
        if let Some(id) = self.table_names.get(&name.value) {
            return Some(*id);
        }
        let also = self
            .code_tables
            .iter()
            .any(|t| t.name == name.value)
            .then(|| {
                format!(
                    "`{}` is a code table; use `enum: {}` on an int or string field",
                    name.value, name.value
                )
            });
        let candidates: Vec<&str> = self.table_names.keys().map(String::as_str).collect();
        dangling(b, file, name, "table", &candidates, also);
        None
    }

    /// An array element: a value type, a table or a code table.
    pub(super) fn item(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<Shape> {
        match name.value.as_str() {
            "string" => return Some(Shape::Scalar(Scalar::String)),
            "int" => return Some(Shape::Scalar(Scalar::Int)),
            "long" => return Some(Shape::Scalar(Scalar::Long)),
            "boolean" => return Some(Shape::Scalar(Scalar::Boolean)),
            "array" | "object" => {
                b.error(
                    Diagnostic::error(
                        DiagnosticCode::WrongType,
                        at(file, name.loc),
                        format!("`items: {}` does not say what the elements are", name.value),
                    )
                    .help("name the table that describes each element (`items: ConfInfo`)"),
                );
                return None;
            }
            _ => {}
        }
        if let Some(id) = self.table_names.get(&name.value) {
            return Some(Shape::Object(*id));
        }
        if let Some(i) = self.scalar_names.get(&name.value).copied() {
            return Some(Shape::Newtype(ScalarTypeId(i), self.scalars[i].scalar));
        }
        if let Some(i) = self.code_table_names.get(&name.value).copied() {
            let scalar = match self.code_tables[i].code_type {
                CodeType::Int => Scalar::Long,
                CodeType::String => Scalar::String,
            };
            return Some(Shape::Code(CodeTableId(i), scalar));
        }
        let mut candidates: Vec<&str> = vec!["string", "int", "long", "boolean"];
        candidates.extend(self.table_names.keys().map(String::as_str));
        candidates.extend(self.code_tables.iter().map(|t| t.name.as_str()));
        dangling(
            b,
            file,
            name,
            "value type, table or code table",
            &candidates,
            None,
        );
        None
    }
}

/// The named definitions an interface refers to.
pub(super) struct Names<'m> {
    pub(super) events: &'m [crate::model::Event],
    pub(super) services: &'m [Service],
    pub(super) roles: &'m [Role],
    pub(super) headers: &'m [Header],
    pub(super) envelopes: &'m [Envelope],
    pub(super) errors: &'m [ErrorCode],
}

/// Finds `name` among `items` by `key`, or reports a dangling reference listing the candidates.
fn lookup<T>(
    b: &mut Builder<'_>,
    file: SourceId,
    name: &Sp<String>,
    what: &str,
    items: &[T],
    key: impl Fn(&T) -> &str,
    matches: impl Fn(&str, &str) -> bool,
) -> Option<usize> {
    let found = items
        .iter()
        .position(|item| matches(key(item), &name.value));
    if found.is_none() {
        let candidates: Vec<&str> = items.iter().map(&key).collect();
        dangling(b, file, name, what, &candidates, None);
    }
    found
}

fn same(a: &str, b: &str) -> bool {
    a == b
}

impl Names<'_> {
    pub(super) fn service(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<ServiceId> {
        lookup(b, file, name, "service", self.services, |s| &s.name, same).map(ServiceId)
    }

    pub(super) fn role(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<RoleId> {
        lookup(b, file, name, "role", self.roles, |r| &r.name, same).map(RoleId)
    }

    /// Header names are case-insensitive.
    pub(super) fn header(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<HeaderId> {
        lookup(
            b,
            file,
            name,
            "header",
            self.headers,
            |h| &h.name,
            str::eq_ignore_ascii_case,
        )
        .map(HeaderId)
    }

    pub(super) fn envelope(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<EnvelopeId> {
        lookup(b, file, name, "envelope", self.envelopes, |e| &e.name, same).map(EnvelopeId)
    }

    pub(super) fn error(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<ErrorId> {
        lookup(b, file, name, "error code", self.errors, |e| &e.code, same).map(ErrorId)
    }
}

pub(super) fn dangling(
    b: &mut Builder<'_>,
    file: SourceId,
    name: &Sp<String>,
    what: &str,
    candidates: &[&str],
    extra: Option<String>,
) {
    let mut d = Diagnostic::error(
        DiagnosticCode::DanglingReference,
        at(file, name.loc),
        format!("no {what} named `{}`", name.value),
    )
    .label("referenced here");
    let best = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&name.value, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    d = match (extra, best) {
        (Some(extra), _) => d.help(extra),
        (None, Some((_, c))) => d.help(format!("did you mean `{c}`?")),
        (None, None) if candidates.is_empty() => d.help(format!(
            "define it first: no {what} is defined in this spec"
        )),
        (None, None) => d.help(format!("defined ones: {}", candidates.join(", "))),
    };
    b.error(d);
}
