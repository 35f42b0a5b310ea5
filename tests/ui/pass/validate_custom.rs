//! `custom` checks on a field and on the whole struct (cross-field rules).
use gatespec::{Constraint, Invalid, Validate, ValidationContext};

mod checks {
    use gatespec::Invalid;

    pub fn ipv4(ip: &Option<String>) -> Result<(), Invalid> {
        match ip {
            Some(ip) if ip.parse::<std::net::Ipv4Addr>().is_err() => {
                Err(Invalid::new("is not an IPv4 address").with_value(format!("{ip:?}")))
            }
            _ => Ok(()),
        }
    }
}

fn not_blank(s: &String) -> Result<(), Invalid> {
    if s.trim().is_empty() { Err(Invalid::new("must not be blank")) } else { Ok(()) }
}

/// requestagentconf: voicePath is mandatory when beepTone is true.
fn voice_path_when_beep(body: &RequestAgentConf, ctx: &mut ValidationContext<'_>) {
    if body.beep_tone == Some(true) && body.voice_path.is_none() {
        ctx.field("voicePath").report(
            Constraint::Custom { message: "is required when beepTone is true".into() },
            "",
        );
    }
}

#[derive(Validate)]
#[validate(custom = voice_path_when_beep)]
struct RequestAgentConf {
    #[validate(custom = checks::ipv4)]
    ip: Option<String>,
    #[validate(custom = not_blank)]
    password: String,
    beep_tone: Option<bool>,
    #[validate(length(max = 127))]
    voice_path: Option<String>,
}

fn main() {
    let body = RequestAgentConf {
        ip: Some("localhost".into()),
        password: " ".into(),
        beep_tone: Some(true),
        voice_path: None,
    };
    let text = body.validate().err().map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(
        text,
        "ip: \"localhost\": is not an IPv4 address\n\
         password: must not be blank\n\
         voicePath: is required when beepTone is true"
    );
}
