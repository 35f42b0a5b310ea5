use gatespec::CodeEnum;

#[derive(CodeEnum)]
#[code(int)]
enum ConfState {
    #[code(0, meaning = "normal conference call")]
    Normal,
    #[code(other)]
    Unknown,
}

#[derive(CodeEnum)]
#[code(string)]
enum AddressType {
    #[code("6", meaning = "phone number")]
    PhoneNumber,
    #[code(other)]
    Unknown(i32),
}

#[derive(CodeEnum)]
#[code(int)]
enum Role {
    #[code(0, meaning = "participant")]
    Participant,
    #[code(other)]
    Unknown { code: i32 },
}

fn main() {}
