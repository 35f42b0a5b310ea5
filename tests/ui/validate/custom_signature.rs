use gatespec::{Invalid, Validate};

fn not_blank(s: &str) -> bool {
    !s.is_empty()
}

fn check_ip(ip: &String) -> Result<(), Invalid> {
    let _ = ip;
    Ok(())
}

#[derive(Validate)]
struct Body {
    #[validate(custom = not_blank)]
    password: String,
    #[validate(custom = check_ip)]
    ip: Option<String>,
}

fn main() {}
