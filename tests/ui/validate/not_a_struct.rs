use gatespec::Validate;

#[derive(Validate)]
enum Mode {
    ListenOnly,
    SpeakOnly,
}

#[derive(Validate)]
union Raw {
    code: i32,
    other: u32,
}

fn main() {}
