use gatespec::CodeEnum;

#[derive(CodeEnum)]
#[code(int)]
enum PlayMode {
    #[code(2, refuse_in_requests)]
    File,
    #[code(other)]
    Other(i32),
}

fn main() {}
