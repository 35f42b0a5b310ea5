use gatespec::CodeEnum;

#[derive(CodeEnum)]
enum ChannelState {
    #[code(0, meaning = "in progress")]
    InProgress,
    Held,
    #[code(2, meaning = "announcement played")]
    Announcement(u8),
}

fn main() {}
