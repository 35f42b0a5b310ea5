use gatespec::{CodeEnum, Validate};

#[derive(CodeEnum, Debug)]
#[code(int)]
enum PlayMode {
    #[code(1, meaning = "tone")]
    Tone,
    #[code(2, meaning = "file")]
    File,
}

#[derive(Validate)]
struct Body {
    #[validate(codes())]
    a: Option<PlayMode>,
    #[validate(codes(1, "6"))]
    b: PlayMode,
    #[validate(codes(2))]
    c: String,
    #[validate(codes(2))]
    d: Option<i32>,
}

fn main() {}
