//! Items the spec marks `deprecated` warn where user code uses them (denied here to see it): a
//! field, a code and an interface's client method, each with the spec's note.
#![deny(deprecated)]

mod edge {
    include!("../../specs/codegen/edge_cases.rs");
}

use edge::{Leg, Mode};

async fn stop(client: &edge::calls::CallsClient) {
    let _ = client.stop_call("153".to_owned()).await;
}

fn main() {
    let leg = Leg::new("x".to_owned(), Mode::Beta);
    let _ = leg.self_;
    let _ = stop;
}
