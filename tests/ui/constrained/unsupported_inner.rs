use gatespec::Constrained;

#[derive(Constrained)]
#[constrained(range(min = 0, max = 1))]
pub struct Ratio(f64);

#[derive(Constrained)]
#[constrained(range(min = 10, max = 1))]
pub struct Backwards(i32);

fn main() {}
