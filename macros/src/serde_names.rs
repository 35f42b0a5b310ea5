//! Wire names: the serde `rename` / `rename_all` attributes the user already wrote, so that
//! validation paths use the names seen on the wire.

use syn::{Attribute, Ident};

use crate::meta::{self, Item, Value};

/// serde's `rename_all` rules, applied to a snake_case Rust field name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    fn from_str(rule: &str) -> Option<Self> {
        Some(match rule {
            "lowercase" => Self::Lower,
            "UPPERCASE" => Self::Upper,
            "PascalCase" => Self::Pascal,
            "camelCase" => Self::Camel,
            "snake_case" => Self::Snake,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "kebab-case" => Self::Kebab,
            "SCREAMING-KEBAB-CASE" => Self::ScreamingKebab,
            _ => return None,
        })
    }

    /// Applies the rule the way serde does for field names.
    pub(crate) fn apply(self, field: &str) -> String {
        match self {
            Self::Lower | Self::Snake => field.to_owned(),
            Self::Upper | Self::ScreamingSnake => field.to_ascii_uppercase(),
            Self::Pascal => pascal(field),
            Self::Camel => {
                let pascal = pascal(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            Self::Kebab => field.replace('_', "-"),
            Self::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

fn pascal(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            out.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// The serde attributes that affect validation paths.
#[derive(Default, Debug)]
pub(crate) struct SerdeAttrs {
    /// `rename = ".."` or `rename(deserialize = "..")`.
    pub(crate) rename: Option<String>,
    /// `rename_all = ".."` or `rename_all(deserialize = "..")` (containers).
    pub(crate) rename_all: Option<RenameRule>,
    /// `flatten`: the field's contents sit at the parent's path.
    pub(crate) flatten: bool,
    /// `skip` / `skip_deserializing`: the field is not on the wire.
    pub(crate) skip: bool,
    /// `transparent` (containers).
    pub(crate) transparent: bool,
}

fn deserialize_name(value: &Item) -> Option<String> {
    match value {
        Item::NameValue(_, Value::Str(lit)) => Some(lit.value()),
        Item::List(_, items) => items.iter().find_map(|item| match item {
            Item::NameValue(key, Value::Str(lit)) if key == "deserialize" => Some(lit.value()),
            _ => None,
        }),
        _ => None,
    }
}

/// Reads `#[serde(..)]` leniently: anything this crate does not understand is serde's business
/// (and serde reports its own errors).
pub(crate) fn parse(attrs: &[Attribute]) -> SerdeAttrs {
    let mut out = SerdeAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let Ok(items) = meta::parse_args(attr) else {
            continue;
        };
        for item in &items {
            let Some(key) = item.key() else { continue };
            if key == "rename" {
                out.rename = deserialize_name(item).or(out.rename);
            } else if key == "rename_all" {
                if let Some(rule) = deserialize_name(item).and_then(|r| RenameRule::from_str(&r)) {
                    out.rename_all = Some(rule);
                }
            } else if key == "flatten" {
                out.flatten = true;
            } else if key == "skip" || key == "skip_deserializing" {
                out.skip = true;
            } else if key == "transparent" {
                out.transparent = true;
            }
        }
    }
    out
}

/// The Rust name of a field without a raw-identifier prefix.
pub(crate) fn unraw(ident: &Ident) -> String {
    let name = ident.to_string();
    match name.strip_prefix("r#") {
        Some(stripped) => stripped.to_owned(),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::RenameRule;

    #[test]
    fn rename_rules_match_serde() {
        let cases = [
            (RenameRule::Camel, "conf_have_been_time", "confHaveBeenTime"),
            (RenameRule::Pascal, "conf_id", "ConfId"),
            (RenameRule::Lower, "conf_id", "conf_id"),
            (RenameRule::Upper, "conf_id", "CONF_ID"),
            (RenameRule::ScreamingSnake, "conf_id", "CONF_ID"),
            (RenameRule::Kebab, "conf_id", "conf-id"),
            (RenameRule::ScreamingKebab, "conf_id", "CONF-ID"),
            (RenameRule::Camel, "address", "address"),
        ];
        for (rule, field, expected) in cases {
            assert_eq!(rule.apply(field), expected, "{rule:?} {field}");
        }
    }
}
