use gatespec::Constrained;

#[derive(Constrained)]
#[constrained(range(min = 101, max = 59999))]
pub struct AgentId(pub String);

#[derive(Constrained)]
#[constrained(range(min = 1, max = 120))]
pub struct MemberNum(pub(crate) i32);

fn main() {}
