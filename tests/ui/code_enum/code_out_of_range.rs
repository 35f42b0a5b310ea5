use gatespec::CodeEnum;

#[derive(CodeEnum)]
#[code(int)]
enum ConfId {
    #[code(3000000000, meaning = "too big for i32")]
    Big,
}

#[derive(CodeEnum)]
#[code(int = u8)]
enum Small {
    #[code(1)]
    One,
}

fn main() {}
