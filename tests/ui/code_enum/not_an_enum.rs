use gatespec::CodeEnum;

#[derive(CodeEnum)]
#[code(int)]
struct ConfState {
    code: i32,
}

#[derive(CodeEnum)]
#[code(int)]
union Raw {
    code: i32,
    other: u32,
}

fn main() {}
