//! Rustdoc for generated items, taken from the spec: descriptions, vendor sources, ranges, units,
//! code meanings and the recorded corrections of the vendor page.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Field, Length, Note, Range, RuleKind, Scalar, Shape, Spec, TableRule};
use crate::raw::{LengthUnit, Unit};

/// Lines of documentation, rendered as `#[doc]` attributes (`///` after formatting).
#[derive(Debug, Default)]
pub struct Doc {
    lines: Vec<String>,
}

impl Doc {
    /// Starts with a paragraph.
    pub fn new(text: &str) -> Self {
        let mut doc = Doc::default();
        doc.paragraph(text);
        doc
    }

    /// Adds a paragraph (blank line before it unless first); empty text adds nothing.
    pub fn paragraph(&mut self, text: &str) -> &mut Self {
        let text = text.trim();
        if text.is_empty() {
            return self;
        }
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.lines
            .extend(text.lines().map(|l| l.trim_end().to_owned()));
        self
    }

    /// Adds a bullet list as one paragraph.
    pub fn bullets(&mut self, items: &[String]) -> &mut Self {
        if items.is_empty() {
            return self;
        }
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.lines.extend(items.iter().map(|i| format!("- {i}")));
        self
    }

    /// Adds every line of `other` as further paragraphs.
    pub fn append(&mut self, other: &Doc) -> &mut Self {
        if other.lines.is_empty() {
            return self;
        }
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.lines.extend(other.lines.iter().cloned());
        self
    }

    /// Adds the vendor corrections recorded for the item.
    pub fn notes(&mut self, notes: &[Note]) -> &mut Self {
        for note in notes {
            self.paragraph(&format!(
                "**Vendor page correction.** The page says: {} Resolution: {}",
                one_line(&note.vendor),
                one_line(&note.resolution)
            ));
        }
        self
    }

    fn texts(&self) -> impl Iterator<Item = String> + '_ {
        self.lines.iter().map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
    }

    /// The `#[doc]` attributes, for the item that follows.
    pub fn tokens(&self) -> TokenStream {
        let lines = self.texts();
        quote!(#(#[doc = #lines])*)
    }

    /// The `#![doc]` attributes, for the module or crate they are in.
    pub fn inner_tokens(&self) -> TokenStream {
        let lines = self.texts();
        quote!(#(#![doc = #lines])*)
    }
}

/// `text` as a sentence: one line, ending in a full stop unless it already ends in punctuation.
pub fn sentence(text: &str) -> String {
    let text = one_line(text);
    if text.ends_with(['.', '!', '?', ':']) {
        text
    } else {
        format!("{text}.")
    }
}

/// Collapses a multi-line YAML string into one line.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `min..=max` as a reader expects it.
pub fn range_text(range: &Range) -> String {
    match (range.min, range.max) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any".to_owned(),
    }
}

/// A length limit as a reader expects it.
pub fn length_text(length: &Length) -> String {
    let unit = match length.unit {
        LengthUnit::Characters => "characters",
        LengthUnit::Bytes => "UTF-8 bytes",
    };
    match (length.min, length.max) {
        (Some(a), Some(b)) => format!("{a} to {b} {unit}"),
        (Some(a), None) => format!("at least {a} {unit}"),
        (None, Some(b)) => format!("at most {b} {unit}"),
        (None, None) => "any".to_owned(),
    }
}

/// A unit as a reader expects it.
pub fn unit_text(unit: Unit) -> &'static str {
    match unit {
        Unit::EpochMilliseconds => "timestamp, milliseconds since 1970-01-01T00:00:00Z",
        Unit::EpochSeconds => "timestamp, seconds since 1970-01-01T00:00:00Z",
        Unit::Milliseconds => "milliseconds",
        Unit::Seconds => "seconds",
        Unit::Minutes => "minutes",
    }
}

/// A rule between fields as a reader expects it, saying whether it is checked.
pub fn rule_text(rule: &TableRule) -> String {
    let checked = if rule.enforce {
        "checked by `validate()`"
    } else {
        "explained by the page, not checked"
    };
    match &rule.kind {
        RuleKind::LessThan {
            field,
            than,
            otherwise,
        } => {
            let otherwise = otherwise
                .as_ref()
                .map(|o| format!("; otherwise {}", one_line(o).trim_end_matches('.')))
                .unwrap_or_default();
            format!("`{field}` is less than `{than}`{otherwise} ({checked}).")
        }
        RuleKind::MeaningfulOnlyIf { field, when } => format!(
            "`{field}` is only meaningful when `{}` is `{}` ({checked}).",
            when.field, when.equals
        ),
        RuleKind::AtMostTotal { fields, max } => {
            let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
            format!(
                "{} hold at most {max} in total ({checked}).",
                names.join(" and ")
            )
        }
    }
}

/// How a named scalar travels when its wire type is not its own.
fn wire_text(spec: &Spec, shape: &Shape) -> Option<String> {
    let Shape::Newtype(id, wire) = shape else {
        return None;
    };
    let def = spec.scalar(*id);
    (def.scalar != *wire).then(|| {
        let (own, wire) = (scalar_text(def.scalar), scalar_text(*wire));
        format!(
            "Travels as a JSON {wire}, holding a [`{name}`](super::{name}) (a {own} elsewhere).",
            name = def.name
        )
    })
}

fn scalar_text(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::String => "string",
        Scalar::Int | Scalar::Long => "number",
        Scalar::Boolean => "boolean",
    }
}

/// `#[deprecated(note = ..)]` for an item the spec deprecates.
pub fn deprecated_attr(note: Option<&String>) -> Option<TokenStream> {
    note.map(|note| quote!(#[deprecated(note = #note)]))
}

/// The documentation of a field: description, then its facts (with the rules of its table it
/// takes part in), then corrections.
pub fn field_doc(spec: &Spec, field: &Field, rules: &[TableRule]) -> Doc {
    let mut doc = Doc::new(&one_line(&field.description));
    let mut facts = vec![match &field.row {
        Some(row) => format!(
            "Wire name `{}` (row {row}), {}.",
            field.name,
            mandatory(field)
        ),
        None => format!("Wire name `{}`, {}.", field.name, mandatory(field)),
    }];
    if let Some(range) = &field.range {
        facts.push(format!("Range: {}.", range_text(range)));
    }
    if let Some(length) = &field.length {
        facts.push(format!("Length: {}.", length_text(length)));
    }
    if let Some(items) = &field.items {
        facts.push(format!("Elements: {}.", range_text(items)));
    }
    if let Some(pattern) = &field.pattern {
        facts.push(format!("Pattern: `{pattern}`."));
    }
    if let Some(unit) = field.unit {
        facts.push(format!("Unit: {}.", unit_text(unit)));
    }
    if let Some(default) = &field.default {
        facts.push(format!("Default when absent: `{default}`."));
    }
    if let Some(condition) = &field.required_if {
        facts.push(format!(
            "Mandatory when `{}` is `{}`.",
            condition.field, condition.equals
        ));
    }
    if field.lenient {
        facts.push("Also accepted written as a JSON string (vendor examples do).".to_owned());
    }
    facts.extend(wire_text(spec, &field.shape));
    let mut shape = &field.shape;
    while let Shape::Array(item) = shape {
        shape = item;
    }
    if let Shape::Code(id, _) = shape {
        let table = spec.code_table(*id);
        let allowed = field.allowed_codes.as_deref();
        let codes: Vec<String> = table
            .codes
            .iter()
            .filter(|c| allowed.is_none_or(|a| a.contains(&c.value)))
            .map(|c| {
                let mut text =
                    format!("{} {}", c.value, one_line(&c.meaning).trim_end_matches('.'));
                for other in &c.also {
                    text.push_str(&format!(
                        " (elsewhere: {})",
                        one_line(&other.meaning).trim_end_matches('.')
                    ));
                }
                text
            })
            .collect();
        facts.push(match allowed {
            None => format!(
                "Codes ([`{name}`](super::{name})): {}.",
                codes.join("; "),
                name = table.name
            ),
            Some(_) => format!(
                "Only these codes of [`{name}`](super::{name}) (`validate()` refuses the others): {}.",
                codes.join("; "),
                name = table.name
            ),
        });
    }
    facts.extend(
        rules
            .iter()
            .filter(|r| r.kind.fields().first() == Some(&field.name.as_str()))
            .map(rule_text),
    );
    doc.bullets(&facts);
    doc.notes(&field.notes);
    doc
}

fn mandatory(field: &Field) -> &'static str {
    if field.mandatory {
        "mandatory"
    } else {
        "optional"
    }
}
