//! Derive macros for gatespec. Use them through the runtime crate: `use gatespec::{CodeEnum, Validate};`.
