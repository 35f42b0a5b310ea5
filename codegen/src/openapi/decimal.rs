//! Regular expressions for decimal integers in an inclusive range: how a string-coded number
//! (`"101"`..`"59999"`) is said in JSON Schema, which has no range for strings.
//!
//! The pattern accepts exactly the texts the runtime's decimal parsing accepts in the range: an
//! optional `-` (and, for lenient numbers, `+`), any number of leading zeros, ASCII digits.

/// An anchored ECMA-262 pattern matching the decimal texts of the integers in `min..=max`
/// (`None`: unbounded on that side, taken as the bounds of `i64`). `plus` also accepts a leading
/// `+` on numbers that are not negative, as Rust's integer parsing does.
pub fn pattern(min: Option<i64>, max: Option<i64>, plus: bool) -> String {
    let lo = i128::from(min.unwrap_or(i64::MIN));
    let hi = i128::from(max.unwrap_or(i64::MAX));
    let mut sides = Vec::new();
    if lo <= 0 {
        // Magnitudes of the negative part; `-0` is zero, so zero is in when the range holds it.
        let low_magnitude = if hi >= 0 { 0 } else { -hi };
        sides.push(format!("-0*{}", magnitudes(low_magnitude, -lo)));
    }
    if hi >= 0 {
        let sign = if plus { "\\+?" } else { "" };
        sides.push(format!("{sign}0*{}", magnitudes(lo.max(0), hi)));
    }
    if sides.is_empty() {
        // An empty range (min > max) is refused by the spec's checks; match nothing.
        return "^[^\\s\\S]$".to_owned();
    }
    format!("^(?:{})$", sides.join("|"))
}

/// A group matching the canonical texts (no leading zeros) of `lo..=hi`, `0 <= lo <= hi`.
fn magnitudes(lo: i128, hi: i128) -> String {
    let lo_text = lo.to_string();
    let hi_text = hi.to_string();
    let mut alternatives = Vec::new();
    for len in lo_text.len()..=hi_text.len() {
        let from = if len == lo_text.len() {
            lo_text.clone()
        } else {
            format!("1{}", "0".repeat(len - 1))
        };
        let to = if len == hi_text.len() {
            hi_text.clone()
        } else {
            "9".repeat(len)
        };
        same_length(&from, &to, &mut alternatives, String::new());
    }
    format!("(?:{})", alternatives.join("|"))
}

/// Pushes patterns for the digit strings from `lo` to `hi` (same length, `lo <= hi`), each
/// after `prefix`.
fn same_length(lo: &str, hi: &str, out: &mut Vec<String>, prefix: String) {
    let (Some(first_lo), Some(first_hi)) = (lo.chars().next(), hi.chars().next()) else {
        out.push(prefix);
        return;
    };
    let (rest_lo, rest_hi) = (&lo[1..], &hi[1..]);
    if first_lo == first_hi {
        same_length(rest_lo, rest_hi, out, format!("{prefix}{first_lo}"));
        return;
    }
    let rest_len = rest_lo.len();
    let lo_full = rest_lo.bytes().all(|b| b == b'0');
    let hi_full = rest_hi.bytes().all(|b| b == b'9');
    if !lo_full {
        same_length(
            rest_lo,
            &"9".repeat(rest_len),
            out,
            format!("{prefix}{first_lo}"),
        );
    }
    let start = if lo_full {
        digit(first_lo)
    } else {
        digit(first_lo) + 1
    };
    let end = if hi_full {
        digit(first_hi)
    } else {
        digit(first_hi) - 1
    };
    if start <= end {
        let class = if start == end {
            start.to_string()
        } else {
            format!("[{start}-{end}]")
        };
        let tail = match rest_len {
            0 => String::new(),
            1 => "[0-9]".to_owned(),
            n => format!("[0-9]{{{n}}}"),
        };
        out.push(format!("{prefix}{class}{tail}"));
    }
    if !hi_full {
        same_length(
            &"0".repeat(rest_len),
            rest_hi,
            out,
            format!("{prefix}{first_hi}"),
        );
    }
}

fn digit(c: char) -> u32 {
    c.to_digit(10).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::pattern;

    /// The texts the runtime accepts (`-`, leading zeros, digits) in `min..=max`, checked
    /// against the pattern for numbers around the bounds and across the range.
    fn agrees(min: i64, max: i64, plus: bool) {
        let re = regex_lite::Regex::new(&pattern(Some(min), Some(max), plus)).expect("compiles");
        let numbers = ((min - 150)..=(min + 150))
            .chain((max - 150)..=(max + 150))
            .chain((min..=max).step_by(997));
        for n in numbers {
            let (sign, magnitude) = if n < 0 { ("-", -n) } else { ("", n) };
            for zeros in ["", "0", "00"] {
                let text = format!("{sign}{zeros}{magnitude}");
                assert_eq!(
                    re.is_match(&text),
                    (min..=max).contains(&n),
                    "{text} in {min}..={max}"
                );
            }
            if n >= 0 {
                assert_eq!(
                    re.is_match(&format!("+{n}")),
                    plus && (min..=max).contains(&n)
                );
            }
        }
        for text in ["", "-", "+", "1 ", " 1", "1e2", "--1", "0x10", "١٠١"] {
            assert!(!re.is_match(text), "{text:?}");
        }
    }

    #[test]
    fn ranges_match_exactly_their_numbers() {
        agrees(101, 59999, false);
        agrees(101, 999_999, false);
        agrees(0, 9, false);
        agrees(1, 120, true);
        agrees(-30, 45, false);
        agrees(-1200, -7, true);
        agrees(1000, 1999, false);
        agrees(7, 7, false);
    }

    #[test]
    fn zero_spellings_follow_the_parser() {
        let re = regex_lite::Regex::new(&pattern(Some(0), Some(5), false)).expect("compiles");
        for text in ["0", "00", "-0", "-00", "05"] {
            assert!(re.is_match(text), "{text}");
        }
        let re = regex_lite::Regex::new(&pattern(Some(1), Some(5), false)).expect("compiles");
        assert!(!re.is_match("-0") && !re.is_match("0"));
    }

    #[test]
    fn unbounded_sides_are_the_bounds_of_i64() {
        let re = regex_lite::Regex::new(&pattern(None, None, false)).expect("compiles");
        assert!(re.is_match("-9223372036854775808") && re.is_match("9223372036854775807"));
        assert!(!re.is_match("9223372036854775808") && !re.is_match("-9223372036854775809"));
    }
}
