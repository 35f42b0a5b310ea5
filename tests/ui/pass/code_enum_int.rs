//! An integer code table with a fallback variant.
use gatespec::CodeEnum;

#[derive(CodeEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[code(int)]
pub enum ConfState {
    #[code(0, meaning = "normal conference call")]
    Normal,
    #[code(1, meaning = "conference announcement playing")]
    AnnouncementPlaying,
    #[code(other)]
    Unknown(i32),
}

fn main() {
    assert_eq!(ConfState::from_code(1).ok(), Some(ConfState::AnnouncementPlaying));
    assert_eq!(ConfState::try_from(5).ok(), Some(ConfState::Unknown(5)));
    assert_eq!(i32::from(ConfState::Unknown(5)), 5);
    assert_eq!(ConfState::Normal.description(), "normal conference call");
    assert_eq!(ConfState::Unknown(5).description(), "unknown code");
    assert_eq!(serde_json::to_string(&ConfState::Unknown(-3)).ok().as_deref(), Some("-3"));
    assert_eq!(serde_json::from_str::<ConfState>("0").ok(), Some(ConfState::Normal));
}
