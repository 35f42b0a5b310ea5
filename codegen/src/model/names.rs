//! Naming rules of the format: type names, identifiers.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// `ConfState`: starts upper-case, ASCII letters and digits only.
pub fn is_type_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `phone_number`: lower-case ASCII letters, digits and underscores, not starting with a digit.
pub fn is_snake_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.contains("__")
        && !name.ends_with('_')
}

/// The UpperCamelCase spelling of a name, for help texts and derived type names.
pub fn upper_camel(name: &str) -> String {
    name.to_upper_camel_case()
}

/// The snake_case spelling of a name, for help texts.
pub fn snake(name: &str) -> String {
    name.to_snake_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert!(is_type_name("ConfState"));
        assert!(is_type_name("V3"));
        assert!(!is_type_name("confState"));
        assert!(!is_type_name("Conf_State"));
        assert!(!is_type_name(""));
    }

    #[test]
    fn snake_names() {
        assert!(is_snake_name("phone_number"));
        assert!(is_snake_name("x9"));
        assert!(!is_snake_name("PhoneNumber"));
        assert!(!is_snake_name("9x"));
        assert!(!is_snake_name("a__b"));
        assert!(!is_snake_name("a_"));
    }
}
