use gatespec::Validate;

#[derive(Validate)]
struct Body {
    #[validate(required)]
    member_num: i32,
    #[validate(required, required)]
    time: Option<i32>,
    #[validate(skip, range(min = 0))]
    prompt_time: i32,
}

fn main() {}
