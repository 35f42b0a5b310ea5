//! Diagnostics: what went wrong, where, and how to fix it, rendered like rustc does (via miette).

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::source::{Sources, Span, display_path};

mod code;

pub use code::DiagnosticCode;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The spec cannot be used.
    Error,
    /// The spec is usable but probably not what was meant.
    Warning,
}

/// A message attached to a span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What about it (may be empty).
    pub message: String,
}

/// One finding of the loader or the model checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem it is; its name (`gatespec::unknown-key`) is stable and greppable.
    pub code: DiagnosticCode,
    /// The headline.
    pub message: String,
    /// The main place.
    pub primary: Label,
    /// Other places that explain the problem (e.g. the first definition of a duplicate).
    pub secondary: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(code: DiagnosticCode, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(code: DiagnosticCode, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    /// Sets the text under the primary span.
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    /// Adds another place that explains the problem.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a fix suggestion.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Every finding of one run, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a finding.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records several findings.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// All findings.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Number of findings.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// No findings at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Number of errors (warnings excluded).
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Orders findings by file and position so output does not depend on check order.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (a.primary.span, a.severity, &a.message).cmp(&(b.primary.span, b.severity, &b.message))
        });
        self.items.dedup();
    }

    /// Renders every finding like rustc, with source snippets.
    pub fn render(&self, sources: &Sources, style: RenderStyle) -> String {
        let mut out = String::new();
        for diagnostic in &self.items {
            out.push_str(&render_one(diagnostic, sources, style));
        }
        out
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// How to draw diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderStyle {
    /// Unicode boxes with colours, for terminals.
    Colored,
    /// Unicode boxes, no colours: stable text for files and snapshots.
    Plain,
}

/// Adapter that lets miette draw one of our diagnostics.
#[derive(Debug)]
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'a>>,
    secondary: bool,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.secondary {
            f.write_str(self.labels.first().and_then(|l| l.label()).unwrap_or(""))
        } else {
            f.write_str(&self.diagnostic.message)
        }
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.secondary {
            return None;
        }
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match (self.secondary, self.diagnostic.severity) {
            (true, _) => miette::Severity::Advice,
            (false, Severity::Error) => miette::Severity::Error,
            (false, Severity::Warning) => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.secondary {
            return None;
        }
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

fn named_source(sources: &Sources, span: Span) -> NamedSource<String> {
    match sources.get(span.file) {
        Some(file) => NamedSource::new(display_path(&file.path), file.text.to_string()),
        None => NamedSource::new("<unknown>", String::new()),
    }
}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let text = (!label.message.is_empty()).then(|| label.message.clone());
    let span = SourceSpan::new(label.span.start.into(), label.span.len);
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

fn render_one(diagnostic: &Diagnostic, sources: &Sources, style: RenderStyle) -> String {
    let file = diagnostic.primary.span.file;
    let mut labels = vec![labeled(&diagnostic.primary, true)];
    let mut related = Vec::new();
    for label in &diagnostic.secondary {
        if label.span.file == file {
            labels.push(labeled(label, false));
        } else {
            related.push(Report {
                diagnostic,
                source: named_source(sources, label.span),
                labels: vec![labeled(label, true)],
                related: Vec::new(),
                secondary: true,
            });
        }
    }
    let report = Report {
        diagnostic,
        source: named_source(sources, diagnostic.primary.span),
        labels,
        related,
        secondary: false,
    };
    let theme = match style {
        RenderStyle::Colored => GraphicalTheme::unicode(),
        RenderStyle::Plain => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        // Rendering into a String cannot fail in practice; keep the facts if it ever does.
        out = format!(
            "{}: {} at {}\n",
            diagnostic.code,
            diagnostic.message,
            sources.location(diagnostic.primary.span)
        );
    }
    out
}
