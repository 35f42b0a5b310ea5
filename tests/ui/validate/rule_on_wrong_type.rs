use gatespec::Validate;

#[derive(Validate)]
struct Body {
    #[validate(range(min = 0, max = 1))]
    beep_tone: bool,
    #[validate(length(max = 24))]
    member_num: i32,
    #[validate(items(max = 20))]
    address: Option<String>,
    #[validate(range(min = 0))]
    conf_ids: Vec<i64>,
}

fn main() {}
