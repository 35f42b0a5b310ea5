use gatespec::CodeEnum;

#[derive(CodeEnum)]
#[code(int, lenient)]
enum ConfState {
    #[code(0, meening = "normal conference call")]
    Normal,
    #[code(1, meaning = "announcement playing", string)]
    Announcement,
}

fn main() {}
