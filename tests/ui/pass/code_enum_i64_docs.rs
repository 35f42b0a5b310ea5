//! 64-bit codes, meanings taken from doc comments, a string fallback, generic use of the trait.
use gatespec::CodeEnum;

#[derive(CodeEnum, Debug, PartialEq)]
#[code(int = i64)]
enum ConfId {
    /// the first conference
    ///
    /// (later paragraphs are not part of the meaning)
    #[code(4294967296)]
    First,
    /// the conference with a negative id
    #[code(-1)]
    Negative,
}

#[derive(CodeEnum, Debug, PartialEq)]
#[code(string)]
enum MediaType {
    /// text, telephone and fax
    #[code("TTF")]
    Ttf,
    #[code(other, meaning = "a media type this client does not know")]
    Other(String),
}

fn describe<T: CodeEnum>(value: &T) -> String {
    format!("{} {} ({})", T::NAME, value.code(), value.description())
}

fn main() {
    assert_eq!(describe(&ConfId::First), "ConfId 4294967296 (the first conference)");
    assert_eq!(describe(&ConfId::Negative), "ConfId -1 (the conference with a negative id)");
    assert_eq!(describe(&MediaType::Ttf), "MediaType TTF (text, telephone and fax)");
    let other = MediaType::from_code("MAIL").ok();
    assert_eq!(other, Some(MediaType::Other("MAIL".to_owned())));
    assert_eq!(
        MediaType::Other(String::new()).description(),
        "a media type this client does not know"
    );
}
