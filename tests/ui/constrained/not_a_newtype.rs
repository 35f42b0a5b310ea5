use gatespec::Constrained;

#[derive(Constrained)]
#[constrained(range(min = 101, max = 59999))]
pub struct AgentId {
    id: String,
}

#[derive(Constrained)]
#[constrained(range(min = 1))]
pub struct Pair(i32, i32);

#[derive(Constrained)]
#[constrained(range(min = 1))]
pub enum Either {
    A(i32),
}

fn main() {}
