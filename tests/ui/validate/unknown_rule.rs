use gatespec::Validate;

#[derive(Validate)]
#[validate(custom = check, strict)]
struct Body {
    #[validate(rnage(min = 1, max = 4))]
    attribute: i32,
    #[validate(length(maximum = 24))]
    address: String,
    #[validate(nested, requird)]
    voice_path: Option<String>,
}

fn check(_: &Body, _: &mut gatespec::ValidationContext<'_>) {}

#[derive(Validate)]
#[validate(items(max = 3))]
struct Ids {
    ids: Vec<i64>,
}

fn main() {}
