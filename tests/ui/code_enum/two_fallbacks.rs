use gatespec::CodeEnum;

#[derive(CodeEnum)]
#[code(int)]
enum ConfState {
    #[code(0, meaning = "normal conference call")]
    Normal,
    #[code(other)]
    Unknown(i32),
    #[code(other)]
    Unexpected(i32),
}

fn main() {}
