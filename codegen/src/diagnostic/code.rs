//! The diagnostic codes: one enum, so that every code has one name, one explanation and (a test
//! checks) one case in the broken-spec corpus. The table of spec/README.md is rendered from it.

use std::fmt;

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal: $meaning:literal,)*) => {
        /// What kind of problem a diagnostic reports. Each has a stable name
        /// (`gatespec::unknown-key`) that tools and people can grep for.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum DiagnosticCode {
            $($(#[$doc])* $variant,)*
        }

        impl DiagnosticCode {
            /// Every code, in the order of the format reference's table.
            pub const ALL: &'static [DiagnosticCode] = &[$(DiagnosticCode::$variant),*];

            /// The stable name without the `gatespec::` prefix (`unknown-key`).
            pub const fn short_name(self) -> &'static str {
                match self {
                    $(DiagnosticCode::$variant => $name,)*
                }
            }

            /// The stable name (`gatespec::unknown-key`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(DiagnosticCode::$variant => concat!("gatespec::", $name),)*
                }
            }

            /// What the code means, for the format reference.
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(DiagnosticCode::$variant => $meaning,)*
                }
            }
        }
    };
}

codes! {
    /// The spec path cannot be read.
    Io = "io": "a spec file or directory cannot be read",
    /// The spec path holds no YAML file.
    NoSpecFiles = "no-spec-files": "the spec directory holds no `*.yaml`/`*.yml` file",
    /// YAML syntax.
    Yaml = "yaml": "the file is not valid YAML",
    /// An unknown key.
    UnknownKey = "unknown-key": "a key that the format does not have at this place (a typo gets a `did you mean`)",
    /// A missing key.
    MissingKey = "missing-key": "a required key is absent",
    /// A value of the wrong kind.
    WrongType = "wrong-type": "a value of the wrong kind (a list where a mapping belongs, text where a number belongs)",
    /// A value not in the allowed list.
    UnknownValue = "unknown-value": "a value that is not one of the allowed words (`method: PATCH`)",
    /// A value that fits none of a key's forms.
    InvalidForm = "invalid-form": "a value that has none of the forms the key accepts (a prerequisite that is neither `signed_in`, `role` nor `condition`; a `result` with both `fields` and `type`)",
    /// No gateway section.
    MissingGateway = "missing-gateway": "no file of the spec has the `gateway` section, or more than one has",
    /// A dangling reference.
    DanglingReference = "dangling-reference": "a reference to a table, code table, scalar, header, envelope, error code, role, service or path parameter that does not exist",
    /// A name defined twice.
    DuplicateDefinition = "duplicate-definition": "a name defined twice (type names share one namespace across files; example names are unique per interface)",
    /// The same reference listed twice.
    DuplicateReference = "duplicate-reference": "the same header, response header, error code, prerequisite (`signed_in`, a role) or rule field listed twice",
    /// A method and path served twice.
    DuplicateRoute = "duplicate-route": "two interfaces with the same method and full path",
    /// A code listed twice.
    DuplicateCode = "duplicate-code": "a code listed twice in one table (or in `allowed_codes`), or an error code twice",
    /// A wire name used twice.
    DuplicateWireName = "duplicate-wire-name": "two fields of one table, or two parameters of one interface, with the same wire name",
    /// Min above max.
    MinExceedsMax = "min-exceeds-max": "a range, length or item limit whose minimum exceeds its maximum",
    /// A value outside its type.
    OutOfRange = "out-of-range": "a bound or value that does not fit the type (`int` is 32-bit)",
    /// A limit that allows nothing.
    NonPositiveLimit = "non-positive-limit": "a maximum length or item count below 1",
    /// A limit without bounds.
    EmptyLimit = "empty-limit": "a range, length or item limit with neither `min` nor `max`",
    /// An empty code table.
    EmptyTable = "empty-table": "a code table without codes",
    /// A key that does not fit the field's type.
    KeyNotApplicable = "key-not-applicable": "a key that does not fit the field's type (`range` on a boolean, `items` on a string)",
    /// Codes of the wrong kind.
    WrongCodeType = "wrong-code-type": "a code, default or reference whose kind (int or string) is not the table's",
    /// A naming rule broken.
    BadName = "bad-name": "a name that breaks the naming rules (type names UpperCamelCase, identifiers snake_case, reserved names)",
    /// Two spec names that make one Rust name.
    NameCollision = "name-collision": "two spec items that become the same Rust name where they meet (fields of a table, items of the crate root and the service modules, modules, client and server methods, example tests), or one that takes the name of an item the generator makes itself (`ErrorCode`, `PROTOCOL`, a client's `new`)",
    /// A malformed path.
    BadPath = "bad-path": "a base path or path template that is malformed (no leading `/`, a trailing `/`, an unclosed `{`, a parameter in a base path)",
    /// A path parameter never used.
    UnusedPathParam = "unused-path-param": "a declared URI parameter that the path template does not use",
    /// An optional path parameter.
    OptionalPathParam = "optional-path-param": "a URI parameter that is not `mandatory: true` (a path cannot leave one out)",
    /// A default that does not fit.
    BadDefault = "bad-default": "a default that is not of the field's type, breaks its constraints, or sits on a mandatory field",
    /// An invalid regular expression.
    BadPattern = "bad-pattern": "a `pattern` that is not a regular expression",
    /// A malformed renewal header format.
    BadFormat = "bad-format": "a renewal header `format` without exactly one `{session}`",
    /// Role refusals that disagree.
    ConflictingRefusal = "conflicting-refusal": "role prerequisites of one interface with different `refusal` codes",
    /// A session is needed but no header carries one.
    NoSessionHeader = "no-session-header": "an interface that needs a session (a `signed_in` or `role` prerequisite) in a spec without a `purpose: session` header",
    /// An edition that is not declared.
    UnknownVersion = "unknown-version": "an edition of the vendor reference that `gateway.versions` does not declare",
    /// An example that is not JSON.
    ExampleJson = "example-json": "an example body that is not strict JSON",
    /// An example that breaks the declared types.
    ExampleInvalid = "example-invalid": "an example value that breaks the declared type or constraints (wrong type, out of range, too long, unknown field, missing mandatory field, a code not allowed, an enforced rule)",
    /// An example that does not belong to the interface.
    ExampleMismatch = "example-mismatch": "an example part the interface does not have (a request body for an interface without one, an undeclared header or URI parameter)",
    /// An example that leaves out a mandatory header (warning).
    ExampleIncomplete = "example-incomplete": "warning: an example that leaves out a mandatory header, or some but not all mandatory URI or query parameters",
    /// An example code the table does not list (warning).
    ExampleUnknownCode = "example-unknown-code": "warning: an example code that the table does not list, where the message's direction keeps unknown codes",
    /// A bug in gatespec.
    Internal = "internal": "a problem of gatespec itself, not of the spec; please report it",
}

impl fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq<&str> for DiagnosticCode {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl DiagnosticCode {
    /// The code with this name, with or without the `gatespec::` prefix.
    pub fn from_name(name: &str) -> Option<DiagnosticCode> {
        let short = name.strip_prefix("gatespec::").unwrap_or(name);
        DiagnosticCode::ALL
            .iter()
            .copied()
            .find(|c| c.short_name() == short)
    }

    /// Whether a spec file can cause it (the others come from the file system or from gatespec
    /// itself, and are tested apart from the broken-spec corpus).
    pub fn is_spec_problem(self) -> bool {
        !matches!(
            self,
            DiagnosticCode::Io | DiagnosticCode::NoSpecFiles | DiagnosticCode::Internal
        )
    }

    /// The Markdown table of every code and its meaning, as spec/README.md shows it.
    pub fn reference_table() -> String {
        let mut table = String::from("| code | meaning |\n|---|---|\n");
        for code in DiagnosticCode::ALL {
            table.push_str(&format!("| `{}` | {} |\n", code.name(), code.meaning()));
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut names: Vec<&str> = DiagnosticCode::ALL.iter().map(|c| c.short_name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DiagnosticCode::ALL.len());
        for code in DiagnosticCode::ALL {
            assert_eq!(DiagnosticCode::from_name(code.name()), Some(*code));
            assert_eq!(DiagnosticCode::from_name(code.short_name()), Some(*code));
        }
        assert_eq!(DiagnosticCode::from_name("gatespec::no-such-code"), None);
    }
}
