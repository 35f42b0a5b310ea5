use gatespec::Validate;

struct Timestamp(u64);

#[derive(Validate)]
struct Conf {
    conf_id: i64,
    start_time: Timestamp,
}

fn main() {}
