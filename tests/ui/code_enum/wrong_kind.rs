use gatespec::CodeEnum;

#[derive(CodeEnum)]
#[code(int)]
enum Role {
    #[code("0", meaning = "participant")]
    Participant,
    #[code(1, meaning = "chairperson")]
    Chairperson,
}

#[derive(CodeEnum)]
#[code(string)]
enum AddressType {
    #[code(6, meaning = "phone number")]
    PhoneNumber,
}

fn main() {}
