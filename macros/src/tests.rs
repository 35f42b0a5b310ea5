//! Snapshot tests of the expansions (see `snapshots/`).
