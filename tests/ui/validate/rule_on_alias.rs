// Through a type alias the macro cannot see the type; the trait bound reports it, on the rule.
use gatespec::Validate;

type Flag = bool;
type Ids = Vec<i64>;

#[derive(Validate)]
struct Body {
    #[validate(range(min = 0, max = 1))]
    beep_tone: Flag,
    #[validate(length(max = 20))]
    conf_ids: Ids,
}

fn main() {}
