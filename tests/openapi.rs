//! The OpenAPI export: snapshots of both gateways' documents, the edition flag changing only the
//! versioned ranges, the checked-in `generated/openapi.json`, and the simulator serving it.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod loopback;
use loopback::Gateway;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn document(spec: &str, version: Option<&str>) -> String {
    let checked = gatespec_codegen::check_path_version(&workspace().join(spec), version);
    let spec = checked.spec.expect("the spec is valid");
    gatespec_codegen::openapi(&spec)
}

#[test]
fn agentgateway_document() {
    insta::assert_snapshot!(document("spec", None));
}

#[test]
fn ticket_desk_document() {
    insta::assert_snapshot!(document("tests/specs/ticket", None));
}

/// Every leaf (a JSON path) where `a` and `b` differ.
fn differences(a: &Value, b: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                path.push(key.clone());
                differences(
                    x.get(key).unwrap_or(&Value::Null),
                    y.get(key).unwrap_or(&Value::Null),
                    path,
                    out,
                );
                path.pop();
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                path.push(i.to_string());
                differences(p, q, path, out);
                path.pop();
            }
        }
        _ if a != b => out.push(path.clone()),
        _ => {}
    }
}

#[test]
fn the_edition_changes_exactly_the_versioned_ranges() {
    let old: Value = serde_json::from_str(&document("spec", Some("2023"))).unwrap();
    let new: Value = serde_json::from_str(&document("spec", Some("2025"))).unwrap();
    let mut diffs = Vec::new();
    differences(&old, &new, &mut Vec::new(), &mut diffs);
    // The 2025 edition widens AgentId from 101-59999 to 101-999999: wherever an agent ID
    // travels (a JSON integer's maximum; a string-coded number's pattern and its
    // x-gatespec-decimal bound), and the edition's own name.
    let get = |doc: &Value, path: &[String]| {
        path.iter()
            .fold(doc.clone(), |v, k| match k.parse::<usize>() {
                Ok(i) if v.is_array() => v[i].clone(),
                _ => v[k.as_str()].clone(),
            })
    };
    let old_pattern = "^(?:0*(?:10[1-9]|1[1-9][0-9]|[2-9][0-9]{2}|[1-9][0-9]{3}|[1-5][0-9]{4}))$";
    let new_pattern =
        "^(?:0*(?:10[1-9]|1[1-9][0-9]|[2-9][0-9]{2}|[1-9][0-9]{3}|[1-9][0-9]{4}|[1-9][0-9]{5}))$";
    let mut ranges = 0;
    for diff in &diffs {
        let (old_value, new_value) = (get(&old, diff), get(&new, diff));
        match diff.last().unwrap().as_str() {
            "version" | "x-gatespec-edition" => {
                assert_eq!(diff[0], "info", "{diff:?}");
                assert_eq!((old_value, new_value), ("2023".into(), "2025".into()));
            }
            "pattern" => {
                assert_eq!(
                    (old_value, new_value),
                    (old_pattern.into(), new_pattern.into()),
                    "{diff:?}"
                );
                ranges += 1;
            }
            "maximum" => {
                assert_eq!(
                    (old_value, new_value),
                    (59999.into(), 999_999.into()),
                    "{diff:?}"
                );
                ranges += 1;
            }
            _ => panic!("{diff:?} differs between editions"),
        }
    }
    assert!(ranges > 0, "the editions' AgentId ranges differ");
    let at = |doc: &Value| {
        doc["paths"]["/agentgateway/resource/agentconf/{agentid}/requestagentconf"]["post"]
            ["parameters"][0]["schema"]["x-gatespec-decimal"]["maximum"]
            .clone()
    };
    assert_eq!((at(&old), at(&new)), (59999.into(), 999_999.into()));
}

#[test]
fn the_checked_in_document_is_what_the_spec_exports() {
    let checked_in = std::fs::read_to_string(workspace().join("generated/openapi.json")).unwrap();
    assert_eq!(checked_in, document("spec", None));
    assert_eq!(agentgateway_sim::OPENAPI, checked_in);
}

#[tokio::test]
async fn the_simulator_serves_the_document() {
    let gw = Gateway::start_default().await;
    let response = reqwest::get(format!("{}/openapi.json", gw.base))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let served: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(served["openapi"], "3.1.0");
    assert_eq!(
        served,
        serde_json::from_str::<Value>(&document("spec", None)).unwrap()
    );
    // The session header is the security scheme, obtained by signing in.
    assert_eq!(
        served["components"]["securitySchemes"]["Guid"]["x-gatespec-sign-in"],
        serde_json::json!(["force_login", "login"])
    );
}

/// An integer code table that keeps unknown codes says how wide they may be: the bindings take
/// 32-bit codes, so the document's `format` is `int32` and a wider code is refused, not kept.
#[test]
fn kept_integer_codes_have_the_width_the_bindings_take() {
    let document: Value = serde_json::from_str(&document("spec", None)).unwrap();
    let table = &document["components"]["schemas"]["UserDefinedDeviceCallType"];
    assert_eq!(table["x-gatespec-unknown-codes"], "keep", "{table}");
    assert_eq!(table["format"], "int32", "{table}");
    let kept: agentgateway::UserDefinedDeviceCallType = serde_json::from_str("2147483647").unwrap();
    assert_eq!(serde_json::to_string(&kept).unwrap(), "2147483647");
    let wider = serde_json::from_str::<agentgateway::UserDefinedDeviceCallType>("2147483648");
    assert!(wider.is_err(), "{wider:?}");
}

#[test]
fn deprecated_operations_and_properties_say_so() {
    let document: Value =
        serde_json::from_str(&document("tests/specs/codegen", None)).expect("JSON");
    let operations: Vec<(&str, &Value)> = document["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().expect("path item").values())
        .filter_map(|op| Some((op.get("operationId")?.as_str()?, op)))
        .collect();
    let deprecated: Vec<&str> = operations
        .iter()
        .filter(|(_, op)| op["deprecated"] == true)
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(deprecated, ["stop_call"]);
    let stop = operations
        .iter()
        .find(|(id, _)| *id == "stop_call")
        .expect("stop_call");
    assert!(
        stop.1["description"]
            .as_str()
            .is_some_and(|d| d.ends_with("Deprecated: Release the conference instead.")),
        "{}",
        stop.1["description"]
    );
    let leg = &document["components"]["schemas"]["Leg"]["properties"];
    assert_eq!(leg["self"]["deprecated"], true);
    assert_eq!(leg["type"].get("deprecated"), None);
}
