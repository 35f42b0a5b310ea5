//! gatespec runtime: the traits and types that generated bindings and hand-written gateway
//! interfaces share.
