//! Checking a page's example against the declared types and constraints.
//!
//! The example's JSON is parsed with positions (jsonc-parser in strict JSON mode), so every
//! finding points at the offending value inside the YAML block that holds the example.

use jsonc_parser::ast::{Array, Object, ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{
    CodeType, ExampleText, Field, Interface, Length, Range, Scalar, Shape, Spec, TableId,
};
use crate::raw::{CodeValue, LengthUnit, ScalarValue, UnknownCodes};
use crate::source::{Sources, Span};

/// Which way a message travels; decides whether unknown codes are tolerated by default.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Client to gateway: a server refuses unknown codes unless told otherwise.
    Request,
    /// Gateway to client: a client keeps unknown codes unless told otherwise.
    Response,
}

/// Every problem of one interface's example.
pub fn check_interface(spec: &Spec, interface: &Interface, sources: &Sources) -> Vec<Diagnostic> {
    let Some(example) = &interface.example else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in &example.headers {
        let declared = interface
            .headers
            .iter()
            .any(|h| spec.headers[h.0].name.eq_ignore_ascii_case(&entry.name));
        if !declared {
            out.push(
                Diagnostic::error(
                    DiagnosticCode::ExampleMismatch,
                    entry.span,
                    format!(
                        "example header `{}` is not a header of `{}`",
                        entry.name, interface.id
                    ),
                )
                .label("unknown header")
                .help("list it under the interface's `headers`, or fix the example"),
            );
        }
    }
    for id in &interface.headers {
        let header = &spec.headers[id.0];
        let present = example
            .headers
            .iter()
            .any(|e| e.name.eq_ignore_ascii_case(&header.name));
        if header.mandatory && !example.headers.is_empty() && !present {
            out.push(
                Diagnostic::warning(
                    DiagnosticCode::ExampleIncomplete,
                    example.span,
                    format!("the example omits mandatory header `{}`", header.name),
                )
                .help("copy the header from the page's example, or record in `notes` that the page omits it"),
            );
        }
    }
    for entry in &example.path_params {
        match interface.path_params.iter().find(|p| p.name == entry.name) {
            None => out.push(
                Diagnostic::error(
                    DiagnosticCode::ExampleMismatch,
                    entry.span,
                    format!(
                        "example URI parameter `{}` is not declared in `path_params`",
                        entry.name
                    ),
                )
                .help("fix the name or declare the parameter"),
            ),
            Some(param) => {
                if let Some(problem) = path_value_problem(spec, param, &entry.value) {
                    out.push(
                        Diagnostic::error(
                            DiagnosticCode::ExampleInvalid,
                            entry.value_span,
                            format!("example URI parameter `{}`: {problem}", entry.name),
                        )
                        .label("invalid value")
                        .with_secondary(param.span, "declared here"),
                    );
                }
            }
        }
    }
    if let Some(text) = &example.request {
        match interface.request {
            Some(table) => {
                let mut c =
                    Checker::new(spec, sources, text, "example request", Direction::Request);
                if let Some(root) = c.parse() {
                    c.table(&root, table, "");
                }
                out.extend(c.out);
            }
            None => out.push(
                Diagnostic::error(
                    DiagnosticCode::ExampleMismatch,
                    text.span,
                    format!(
                        "the example has a request body but `{}` declares none",
                        interface.id
                    ),
                )
                .help("declare the body under `request`, or remove the example body"),
            ),
        }
    }
    if let Some(text) = &example.response {
        let mut c = Checker::new(spec, sources, text, "example response", Direction::Response);
        if let Some(root) = c.parse() {
            c.envelope(&root, interface);
        }
        out.extend(c.out);
    }
    out
}

/// The scalar, range and length that apply to a value of this field.
fn scalar_rules<'s>(
    spec: &'s Spec,
    field: &'s Field,
) -> Option<(Scalar, Option<&'s Range>, Option<&'s Length>)> {
    match &field.shape {
        Shape::Scalar(s) => Some((*s, field.range.as_ref(), field.length.as_ref())),
        Shape::Newtype(id) => {
            let def = spec.scalar(*id);
            Some((def.scalar, def.range.as_ref(), def.length.as_ref()))
        }
        _ => None,
    }
}

fn path_value_problem(spec: &Spec, param: &Field, value: &str) -> Option<String> {
    match scalar_rules(spec, param)? {
        (Scalar::String, range, length) => string_problem(range, length, value),
        (s @ (Scalar::Int | Scalar::Long), range, _) => match value.parse::<i64>() {
            Ok(v) => int_problem(s, range, v),
            Err(_) => Some(format!("`{value}` is not an integer")),
        },
        (Scalar::Boolean, ..) => None,
    }
}

fn string_problem(range: Option<&Range>, length: Option<&Length>, value: &str) -> Option<String> {
    if let Some(length) = length
        && let Some(problem) = length_problem(length, value)
    {
        return Some(problem);
    }
    let range = range?;
    match parse_decimal(value) {
        Some(v) if range.contains(v) => None,
        Some(v) => Some(format!("{v} is outside {range}")),
        None => Some(format!(
            "\"{value}\" is not a decimal integer (the field's range is {range})"
        )),
    }
}

/// A decimal integer written as digits with an optional minus sign, nothing else.
fn parse_decimal(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn length_problem(length: &Length, value: &str) -> Option<String> {
    let (count, unit) = match length.unit {
        LengthUnit::Characters => (value.chars().count(), "characters"),
        LengthUnit::Bytes => (value.len(), "bytes"),
    };
    let count = u64::try_from(count).unwrap_or(u64::MAX);
    if let Some(max) = length.max
        && count > max
    {
        return Some(format!(
            "{count} {unit} is longer than the maximum of {max}"
        ));
    }
    if let Some(min) = length.min
        && count < min
    {
        return Some(format!(
            "{count} {unit} is shorter than the minimum of {min}"
        ));
    }
    None
}

fn int_problem(scalar: Scalar, range: Option<&Range>, value: i64) -> Option<String> {
    if let Some((lo, hi)) = scalar.bounds()
        && (value < lo || value > hi)
    {
        return Some(format!("{value} does not fit a 32-bit int"));
    }
    match range {
        Some(r) if !r.contains(value) => Some(format!("{value} is outside {r}")),
        _ => None,
    }
}

/// Maps byte offsets in the example text to byte offsets in the YAML file.
struct TextMap {
    /// File offset of the start of each text line (after the block's indentation).
    line_starts: Vec<usize>,
    /// Fallback: the whole scalar.
    scalar: Span,
}

impl TextMap {
    fn new(sources: &Sources, text: &ExampleText) -> Self {
        let scalar = text.span;
        let fallback = TextMap {
            line_starts: Vec::new(),
            scalar,
        };
        let Some(file) = sources.get(scalar.file) else {
            return fallback;
        };
        let source = &file.text;
        let start = scalar.start.min(source.len());
        // The parser places a literal block (`|`) either at its indicator or at its first line.
        let mut file_line = if source[start..].starts_with('|') {
            match source[start..].find('\n') {
                Some(newline) => start + newline + 1,
                None => return fallback,
            }
        } else {
            source[..start].rfind('\n').map_or(0, |i| i + 1)
        };
        let mut indent = None;
        let mut line_starts = Vec::new();
        for line in text.text.split_inclusive('\n') {
            let file_rest = &source[file_line.min(source.len())..];
            let file_line_len = file_rest.find('\n').map_or(file_rest.len(), |n| n + 1);
            let file_text = &file_rest[..file_line_len];
            let content = line.trim_end_matches('\n');
            if content.is_empty() {
                line_starts.push(file_line);
            } else {
                let indent = *indent.get_or_insert_with(|| {
                    file_text.len() - file_text.trim_start_matches(' ').len()
                });
                if !file_text
                    .get(indent..)
                    .is_some_and(|t| t.starts_with(content))
                {
                    return fallback;
                }
                line_starts.push(file_line + indent);
            }
            file_line += file_line_len;
        }
        TextMap {
            line_starts,
            scalar,
        }
    }

    fn span(&self, text: &str, start: usize, end: usize) -> Span {
        if self.line_starts.is_empty() {
            return self.scalar;
        }
        let before = &text[..start.min(text.len())];
        let line = before.matches('\n').count();
        let line_offset = before.rfind('\n').map_or(0, |i| i + 1);
        match self.line_starts.get(line) {
            Some(file_start) => {
                let len = text[start.min(text.len())..end.min(text.len())]
                    .find('\n')
                    .unwrap_or(end.saturating_sub(start));
                Span::new(self.scalar.file, file_start + (start - line_offset), len)
            }
            None => self.scalar,
        }
    }
}

struct Checker<'s> {
    spec: &'s Spec,
    text: &'s ExampleText,
    map: TextMap,
    what: &'static str,
    direction: Direction,
    out: Vec<Diagnostic>,
}

fn path_join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn shown(path: &str) -> &str {
    if path.is_empty() { "the body" } else { path }
}

impl<'s> Checker<'s> {
    fn new(
        spec: &'s Spec,
        sources: &Sources,
        text: &'s ExampleText,
        what: &'static str,
        direction: Direction,
    ) -> Self {
        Checker {
            spec,
            text,
            map: TextMap::new(sources, text),
            what,
            direction,
            out: Vec::new(),
        }
    }

    fn span(&self, range: jsonc_parser::common::Range) -> Span {
        self.map.span(&self.text.text, range.start, range.end)
    }

    fn report(
        &mut self,
        range: jsonc_parser::common::Range,
        path: &str,
        message: String,
        label: &str,
    ) {
        let d = Diagnostic::error(
            DiagnosticCode::ExampleInvalid,
            self.span(range),
            format!("{} does not match the spec: `{}` {message}", self.what, shown(path)),
        )
        .label(label.to_owned())
        .help("fix the example if it was mistyped; if the page's example is right, correct the spec and record a note");
        self.out.push(d);
    }

    fn parse(&mut self) -> Option<Value<'s>> {
        let strict = ParseOptions {
            allow_comments: false,
            allow_loose_object_property_names: false,
            allow_trailing_commas: false,
            allow_missing_commas: false,
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        };
        match jsonc_parser::parse_to_ast(&self.text.text, &CollectOptions::default(), &strict) {
            Ok(result) => {
                if result.value.is_none() {
                    self.out.push(Diagnostic::error(
                        DiagnosticCode::ExampleInvalid,
                        self.text.span,
                        format!("{} is empty", self.what),
                    ));
                }
                result.value
            }
            Err(error) => {
                self.out.push(
                    Diagnostic::error(
                        DiagnosticCode::ExampleJson,
                        self.span(error.range()),
                        format!("{} is not valid JSON: {}", self.what, error.kind()),
                    )
                    .label("here")
                    .help("examples are copied verbatim from the page and must be plain JSON"),
                );
                None
            }
        }
    }

    fn envelope(&mut self, root: &Value<'_>, interface: &Interface) {
        let envelope = &self.spec.envelopes[interface.envelope.0];
        let Some(object) = self.object(root, "") else {
            return;
        };
        let mut retcode_is_success = true;
        let mut failure_code = None;
        let mut result_value = None;
        for prop in &object.properties {
            let name = prop_name(&prop.name);
            if name == envelope.message.0 {
                self.scalar(&prop.value, Scalar::String, None, None, &name);
            } else if name == envelope.retcode.name {
                let code = match (&prop.value, envelope.retcode.code_type) {
                    (Value::StringLit(s), CodeType::String) => {
                        Some(CodeValue::Str(s.value.to_string()))
                    }
                    (Value::NumberLit(n), CodeType::Int) => {
                        n.value.parse().ok().map(CodeValue::Int)
                    }
                    _ => None,
                };
                match code {
                    Some(code) => {
                        retcode_is_success = code == envelope.retcode.success;
                        failure_code = Some((code, prop.value.range()));
                    }
                    None => {
                        let expected = match envelope.retcode.code_type {
                            CodeType::String => "a string",
                            CodeType::Int => "an integer",
                        };
                        self.report(
                            prop.value.range(),
                            &name,
                            format!("must be {expected}"),
                            "wrong type",
                        );
                    }
                }
            } else if name == envelope.result.0 {
                result_value = Some(&prop.value);
            } else {
                self.report(
                    prop.range,
                    &name,
                    format!("is not a member of envelope `{}`", envelope.name),
                    "unknown member",
                );
            }
        }
        for member in [&envelope.message.0, &envelope.retcode.name] {
            if !object
                .properties
                .iter()
                .any(|p| &prop_name(&p.name) == member)
            {
                self.report(
                    object.range,
                    member,
                    "is missing".to_owned(),
                    "envelope member missing",
                );
            }
        }
        let result_name = envelope.result.0.clone();
        if !retcode_is_success {
            self.failure(interface, failure_code, result_value, &result_name);
            return;
        }
        match (interface.result, result_value) {
            (Some(table), Some(value)) => self.table(value, table, &result_name),
            (Some(_), None) => self.report(
                object.range,
                &result_name,
                "is missing".to_owned(),
                "a successful response carries a result",
            ),
            (None, Some(value)) => {
                let empty = match value {
                    Value::NullKeyword(_) => true,
                    Value::Object(o) => o.properties.is_empty(),
                    _ => false,
                };
                if !empty {
                    self.report(
                        value.range(),
                        &result_name,
                        "must be empty: the interface declares no result".to_owned(),
                        "unexpected result",
                    );
                }
            }
            (None, None) => {}
        }
    }

    /// A failure answer: its code is in the catalogue, and its result member is the interface's
    /// failure result (or, for an interface that declares none, empty).
    fn failure(
        &mut self,
        interface: &Interface,
        code: Option<(CodeValue, jsonc_parser::common::Range)>,
        result: Option<&Value<'_>>,
        result_name: &str,
    ) {
        let envelope = &self.spec.envelopes[interface.envelope.0];
        if let Some((code, range)) = code {
            let text = match &code {
                CodeValue::Int(i) => i.to_string(),
                CodeValue::Str(s) => s.clone(),
            };
            if !self.spec.errors.iter().any(|e| e.code == text) {
                self.report(
                    range,
                    &envelope.retcode.name,
                    format!(
                        "is {code}, which is neither the success code ({}) nor a code of the error catalogue",
                        envelope.retcode.success
                    ),
                    "unknown result code",
                );
            }
        }
        let Some(value) = result.filter(|v| !matches!(v, Value::NullKeyword(_))) else {
            return;
        };
        match interface.failure {
            Some(table) => self.table(value, table, result_name),
            None => {
                if !matches!(value, Value::Object(o) if o.properties.is_empty()) {
                    self.report(
                        value.range(),
                        result_name,
                        "must be empty on failure: the interface declares no `failure` result"
                            .to_owned(),
                        "unexpected failure result",
                    );
                }
            }
        }
    }

    fn object<'v>(&mut self, value: &'v Value<'v>, path: &str) -> Option<&'v Object<'v>> {
        match value {
            Value::Object(o) => Some(o),
            other => {
                self.report(
                    other.range(),
                    path,
                    format!("must be an object, found {}", kind(other)),
                    "expected an object",
                );
                None
            }
        }
    }

    fn table(&mut self, value: &Value<'_>, id: TableId, path: &str) {
        let Some(object) = self.object(value, path) else {
            return;
        };
        let table = self.spec.table(id);
        let mut seen: Vec<String> = Vec::new();
        for prop in &object.properties {
            let name = prop_name(&prop.name);
            let field_path = path_join(path, &name);
            if seen.contains(&name) {
                self.report(
                    prop.range,
                    &field_path,
                    "appears twice".to_owned(),
                    "duplicate member",
                );
                continue;
            }
            seen.push(name.clone());
            match table.fields.iter().find(|f| f.name == name) {
                None => {
                    let known: Vec<&str> = table.fields.iter().map(|f| f.name.as_str()).collect();
                    self.report(
                        prop.range,
                        &field_path,
                        format!(
                            "is not a field of `{}` (fields: {})",
                            table.name,
                            known.join(", ")
                        ),
                        "unknown field",
                    );
                }
                Some(field) => {
                    if matches!(prop.value, Value::NullKeyword(_)) && !field.mandatory {
                        continue;
                    }
                    self.field(&prop.value, field, &field_path);
                }
            }
        }
        for field in table.fields.iter().filter(|f| f.mandatory) {
            if !seen.contains(&field.name) {
                self.report(
                    object.range,
                    &path_join(path, &field.name),
                    format!("is mandatory in `{}` but missing", table.name),
                    "mandatory field missing",
                );
            }
        }
        for field in &table.fields {
            let Some(condition) = &field.required_if else {
                continue;
            };
            let holds = object
                .properties
                .iter()
                .find(|p| prop_name(&p.name) == condition.field)
                .is_some_and(|p| json_equals(&p.value, &condition.equals));
            if holds && !seen.contains(&field.name) {
                self.report(
                    object.range,
                    &path_join(path, &field.name),
                    format!(
                        "is mandatory when `{}` is {} but missing",
                        condition.field, condition.equals
                    ),
                    "conditionally mandatory field missing",
                );
            }
        }
    }

    fn field(&mut self, value: &Value<'_>, field: &Field, path: &str) {
        if field.lenient
            && let Value::StringLit(text) = value
        {
            self.lenient_string(value, field, &text.value, path);
            return;
        }
        match &field.shape {
            Shape::Array(item) => {
                let Value::Array(array) = value else {
                    self.report(
                        value.range(),
                        path,
                        format!("must be an array, found {}", kind(value)),
                        "expected an array",
                    );
                    return;
                };
                if let Some(limit) = &field.items {
                    self.count(array, limit, path);
                }
                for (i, element) in array.elements.iter().enumerate() {
                    self.shape(element, item, &format!("{path}[{i}]"));
                }
            }
            Shape::Scalar(_) | Shape::Newtype(_) => {
                if let Some((s, range, length)) = scalar_rules(self.spec, field) {
                    self.scalar(value, s, range, length, path);
                }
                if let (Some(pattern), Value::StringLit(text)) = (&field.pattern, value)
                    && regex_lite::Regex::new(pattern).is_ok_and(|re| !re.is_match(&text.value))
                {
                    self.report(
                        value.range(),
                        path,
                        format!("\"{}\" does not match `{pattern}`", text.value),
                        "pattern not matched",
                    );
                }
            }
            other => self.shape(value, other, path),
        }
    }

    /// A boolean or number written as a string, where the field is `lenient`.
    fn lenient_string(&mut self, value: &Value<'_>, field: &Field, text: &str, path: &str) {
        let problem = match &field.shape {
            Shape::Scalar(Scalar::Boolean) => (!matches!(text, "true" | "false"))
                .then(|| format!("\"{text}\" is not \"true\" or \"false\"")),
            Shape::Scalar(s @ (Scalar::Int | Scalar::Long)) => match parse_decimal(text) {
                Some(v) => int_problem(*s, field.range.as_ref(), v),
                None => Some(format!("\"{text}\" is not a decimal integer")),
            },
            Shape::Code(id, _) => {
                let table = self.spec.code_table(*id);
                match parse_decimal(text) {
                    Some(v)
                        if table.find(&CodeValue::Int(v)).is_some() || table.fallback.is_some() =>
                    {
                        None
                    }
                    Some(v) => Some(format!("{v} is not a code of `{}`", table.name)),
                    None => Some(format!("\"{text}\" is not a decimal integer code")),
                }
            }
            _ => None,
        };
        if let Some(problem) = problem {
            self.report(value.range(), path, problem, "invalid value");
        }
    }

    fn count(&mut self, array: &Array<'_>, limit: &Range, path: &str) {
        let n = i64::try_from(array.elements.len()).unwrap_or(i64::MAX);
        if !limit.contains(n) {
            let bound = match (limit.min, limit.max) {
                (_, Some(max)) if n > max => format!("at most {max}"),
                (Some(min), _) => format!("at least {min}"),
                _ => limit.to_string(),
            };
            self.report(
                array.range,
                path,
                format!("has {n} elements but allows {bound}"),
                "wrong number of elements",
            );
        }
    }

    fn shape(&mut self, value: &Value<'_>, shape: &Shape, path: &str) {
        match shape {
            Shape::Scalar(s) => self.scalar(value, *s, None, None, path),
            Shape::Newtype(id) => {
                let def = self.spec.scalar(*id);
                self.scalar(
                    value,
                    def.scalar,
                    def.range.as_ref(),
                    def.length.as_ref(),
                    path,
                );
            }
            Shape::Object(id) => self.table(value, *id, path),
            Shape::Code(id, scalar) => self.code(value, *id, *scalar, path),
            Shape::Array(item) => {
                let Value::Array(array) = value else {
                    self.report(
                        value.range(),
                        path,
                        format!("must be an array, found {}", kind(value)),
                        "expected an array",
                    );
                    return;
                };
                for (i, element) in array.elements.iter().enumerate() {
                    self.shape(element, item, &format!("{path}[{i}]"));
                }
            }
        }
    }

    fn code(
        &mut self,
        value: &Value<'_>,
        id: crate::model::CodeTableId,
        scalar: Scalar,
        path: &str,
    ) {
        let table = self.spec.code_table(id);
        let code = match (value, table.code_type) {
            (Value::StringLit(s), CodeType::String) => CodeValue::Str(s.value.to_string()),
            (Value::NumberLit(n), CodeType::Int) => {
                match self.integer(value, n.value, scalar, None, path) {
                    Some(v) => CodeValue::Int(v),
                    None => return,
                }
            }
            _ => {
                let expected = match table.code_type {
                    CodeType::String => "a string code",
                    CodeType::Int => "an integer code",
                };
                self.report(
                    value.range(),
                    path,
                    format!(
                        "must be {expected} of `{}`, found {}",
                        table.name,
                        kind(value)
                    ),
                    "wrong type",
                );
                return;
            }
        };
        if table.find(&code).is_some() {
            return;
        }
        let listed: Vec<String> = table.codes.iter().map(|c| c.value.to_string()).collect();
        let tolerated = match table.unknown_codes {
            Some(UnknownCodes::Keep) => true,
            Some(UnknownCodes::Reject) => false,
            None => self.direction == Direction::Response,
        };
        let message = format!(
            "{} does not match the spec: `{path}` has code {code}, which `{}` does not list ({})",
            self.what,
            table.name,
            listed.join(", ")
        );
        let d = if tolerated {
            Diagnostic::warning(
                DiagnosticCode::ExampleUnknownCode,
                self.span(value.range()),
                message,
            )
            .label("unknown code (tolerated: the table keeps unknown codes)")
        } else {
            Diagnostic::error(
                DiagnosticCode::ExampleInvalid,
                self.span(value.range()),
                message,
            )
            .label("unknown code")
        };
        self.out.push(
            d.with_secondary(table.span, "the code table")
                .help("add the code to the table if the page documents it elsewhere"),
        );
    }

    fn integer(
        &mut self,
        value: &Value<'_>,
        text: &str,
        scalar: Scalar,
        range: Option<&Range>,
        path: &str,
    ) -> Option<i64> {
        let Some(v) = parse_decimal(text) else {
            let problem = if text.contains(['.', 'e', 'E']) {
                format!("must be an integer, found {text}")
            } else {
                format!("{text} does not fit a 64-bit long")
            };
            self.report(value.range(), path, problem, "not an integer");
            return None;
        };
        if let Some(problem) = int_problem(scalar, range, v) {
            self.report(value.range(), path, problem, "out of range");
            return None;
        }
        Some(v)
    }

    fn scalar(
        &mut self,
        value: &Value<'_>,
        scalar: Scalar,
        range: Option<&Range>,
        length: Option<&Length>,
        path: &str,
    ) {
        match (scalar, value) {
            (Scalar::String, Value::StringLit(s)) => {
                if let Some(problem) = string_problem(range, length, &s.value) {
                    self.report(value.range(), path, problem, "constraint violated");
                }
            }
            (Scalar::Int | Scalar::Long, Value::NumberLit(n)) => {
                self.integer(value, n.value, scalar, range, path);
            }
            (Scalar::Boolean, Value::BooleanLit(_)) => {}
            (expected, found) => {
                let expected = match expected {
                    Scalar::String => "a string",
                    Scalar::Int => "an int",
                    Scalar::Long => "a long",
                    Scalar::Boolean => "a boolean",
                };
                self.report(
                    found.range(),
                    path,
                    format!("must be {expected}, found {}", kind(found)),
                    "wrong type",
                );
            }
        }
    }
}

/// Whether a JSON value is the spec value (numbers and booleans may be written as strings).
fn json_equals(value: &Value<'_>, expected: &ScalarValue) -> bool {
    match (value, expected) {
        (Value::BooleanLit(b), ScalarValue::Bool(e)) => b.value == *e,
        (Value::NumberLit(n), ScalarValue::Int(e)) => parse_decimal(n.value) == Some(*e),
        (Value::StringLit(s), ScalarValue::Str(e)) => s.value == e.as_str(),
        (Value::StringLit(s), other) => s.value == other.to_string(),
        _ => false,
    }
}

fn prop_name(name: &ObjectPropName<'_>) -> String {
    match name {
        ObjectPropName::String(s) => s.value.to_string(),
        ObjectPropName::Word(w) => w.value.to_owned(),
    }
}

fn kind(value: &Value<'_>) -> String {
    match value {
        Value::StringLit(s) => format!("the string \"{}\"", s.value),
        Value::NumberLit(n) => format!("the number {}", n.value),
        Value::BooleanLit(b) => format!("the boolean {}", b.value),
        Value::Object(_) => "an object".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::NullKeyword(_) => "null".to_owned(),
    }
}
