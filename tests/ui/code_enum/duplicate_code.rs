use gatespec::CodeEnum;

#[derive(CodeEnum)]
#[code(string)]
enum AddressType {
    #[code("6", meaning = "phone number")]
    PhoneNumber,
    #[code("6", meaning = "agent ID")]
    AgentId,
}

fn main() {}
