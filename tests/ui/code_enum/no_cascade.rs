// A broken derive still emits stub impls: the uses below produce no further errors, only the
// real one is reported.
use gatespec::{CodeEnum, Validate};

#[derive(CodeEnum, Debug)]
#[code(int)]
enum Role {
    #[code(0, meaning = "participant")]
    Participant,
    #[code(0, meaning = "chairperson")]
    Chairperson,
}

#[derive(Validate)]
struct Member {
    role: Role,
}

fn main() {
    let role: Role = serde_json::from_str("0").unwrap_or(Role::Participant);
    println!("{} {} {:?}", role, role.description(), Role::from_code(1).ok());
    let _ = serde_json::to_string(&Role::Chairperson);
    let _ = Member { role }.validate();
}
