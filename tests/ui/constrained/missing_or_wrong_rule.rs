use gatespec::Constrained;

#[derive(Constrained)]
pub struct AgentId(String);

#[derive(Constrained)]
#[constrained(length(max = 3))]
pub struct Minutes(u16);

#[derive(Constrained)]
#[constrained(items(max = 3), required)]
pub struct Phone(String);

fn main() {}
