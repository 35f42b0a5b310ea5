use gatespec::Validate;

#[derive(Validate)]
struct Body {
    #[validate(range(min = 1440, max = 4))]
    time: i32,
    #[validate(range())]
    prompt_time: i32,
    #[validate(length(min = -1, max = 24))]
    address: String,
    #[validate(items(min = 1, max = "20"))]
    conf_ids: Vec<i64>,
    #[validate(length(max = 24, unit = "words"))]
    caller: String,
}

fn main() {}
