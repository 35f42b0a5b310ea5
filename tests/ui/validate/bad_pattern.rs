use gatespec::Validate;

#[derive(Validate)]
struct Dial {
    #[validate(pattern = "^[0-9*#+$")]
    digits: String,
    #[validate(pattern = "^[0-9]+$")]
    count: u32,
}

fn main() {}
