//! Every field rule, on plain and optional fields.
use gatespec::{Constraint, LengthUnit, Validate};

#[derive(Validate)]
struct Body {
    #[validate(range(min = 1, max = 120))]
    member_num: i32,
    #[validate(range(min = 4, max = 1440))]
    time: Option<u32>,
    #[validate(range(min = 101, max = 59999))]
    agent_id: String,
    #[validate(length(max = 24, unit = "bytes"))]
    conf_caller_no: Option<String>,
    #[validate(length(min = 1, max = 127, unit = "chars"), nested)]
    voice_path: String,
    #[validate(items(min = 1, max = 120))]
    addresses: Vec<String>,
    #[validate(required)]
    play_mode: Option<i32>,
    #[validate(range(max = -1))]
    negative: i64,
    #[validate(items(max = 2))]
    fixed: [u8; 3],
}

fn main() {
    let body = Body {
        member_num: 0,
        time: Some(3),
        agent_id: "100".to_owned(),
        conf_caller_no: Some("电话".repeat(5)),
        voice_path: String::new(),
        addresses: Vec::new(),
        play_mode: None,
        negative: 0,
        fixed: [0; 3],
    };
    let violations = body.validate().err().map(|v| v.into_vec()).unwrap_or_default();
    let paths: Vec<&str> = violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "member_num", "time", "agent_id", "conf_caller_no", "voice_path", "addresses",
            "play_mode", "negative", "fixed"
        ]
    );
    assert_eq!(
        violations[3].constraint,
        Constraint::Length { min: None, max: Some(24), unit: LengthUnit::Bytes, actual: 30 }
    );
    assert_eq!(violations[6].constraint, Constraint::Required);
}
