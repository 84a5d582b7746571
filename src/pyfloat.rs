//! Formats an `f64` exactly as Python's `repr` does, which is what pandas `to_csv` writes.
//!
//! Both print the shortest digits that read back to the same `f64`; they differ
//! only in when they switch to scientific notation and in how the exponent is
//! written. Python uses positional notation for `1e-4 <= |v| < 1e16`, where ryu
//! agrees with it byte for byte; outside that range we rewrite the exponent.

/// Appends Python's `repr(value)` to `out` (`inf`, `-inf` and `nan` too:
/// a key of `--by` can be infinite).
pub fn write_repr(value: f64, out: &mut Vec<u8>) {
    if !value.is_finite() {
        let word = match value {
            f64::INFINITY => "inf",
            f64::NEG_INFINITY => "-inf",
            _ => "nan",
        };
        out.extend_from_slice(word.as_bytes());
        return;
    }
    let magnitude = value.abs();
    if magnitude == 0.0 || (1e-4..1e16).contains(&magnitude) {
        out.extend_from_slice(ryu::Buffer::new().format_finite(value).as_bytes());
    } else {
        write_scientific(value, out);
    }
}

/// Python's scientific form: shortest mantissa, `e`, a sign and at least two exponent digits.
fn write_scientific(value: f64, out: &mut Vec<u8>) {
    // Rust's `{:e}` prints the shortest round-trip digits, e.g. "1.5e-7".
    let rust = format!("{value:e}");
    let (mantissa, exponent) = rust.split_once('e').expect("{:e} always has an exponent");
    let exponent: i32 = exponent.parse().expect("{:e} exponent is an integer");
    out.extend_from_slice(mantissa.as_bytes());
    let sign = if exponent < 0 { '-' } else { '+' };
    out.extend_from_slice(format!("e{sign}{:02}", exponent.abs()).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(value: f64) -> String {
        let mut out = Vec::new();
        write_repr(value, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn infinities_as_python_writes_them() {
        assert_eq!(
            [repr(f64::INFINITY), repr(f64::NEG_INFINITY), repr(f64::NAN)],
            ["inf", "-inf", "nan"]
        );
    }

    #[test]
    fn matches_python_repr() {
        // Expected strings printed by CPython 3.11 `repr` (and pandas 3.1 `to_csv`).
        let cases = [
            (0.5, "0.5"),
            (1e-05, "1e-05"),
            (3.2e-05, "3.2e-05"),
            (0.0001, "0.0001"),
            (0.00012345, "0.00012345"),
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2.5e-7, "2.5e-07"),
            (1e16, "1e+16"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1e15, "1000000000000000.0"),
            (0.0, "0.0"),
            (5e-324, "5e-324"),
            (-1.5e-5, "-1.5e-05"),
            (1e300, "1e+300"),
        ];
        for (value, expected) in cases {
            assert_eq!(repr(value), expected, "repr({value:e})");
        }
    }
}
