//! Renders one label's frame as the exact CSV bytes pandas `to_csv` writes for it.

use chrono::NaiveDate;
use rand_chacha::ChaCha8Rng;

use super::values;
use crate::pyfloat;

/// pandas writes the unnamed index as an empty header field.
const HEADER: &[u8] = b",data\n";

/// The date column, formatted once and shared by every label: `YYYY-MM-DD,` per row.
pub struct DateColumn {
    prefixes: Vec<u8>,
    rows: usize,
}

/// Bytes of one `YYYY-MM-DD,` prefix.
const PREFIX_LEN: usize = 11;

impl DateColumn {
    pub fn new(days: &[NaiveDate]) -> Self {
        let mut prefixes = Vec::with_capacity(days.len() * PREFIX_LEN);
        for day in days {
            prefixes.extend_from_slice(day.format("%Y-%m-%d,").to_string().as_bytes());
        }
        DateColumn {
            prefixes,
            rows: days.len(),
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// A buffer size that fits one whole file (values are at most 24 bytes).
    pub fn file_capacity(&self) -> usize {
        HEADER.len() + self.rows * (PREFIX_LEN + 25)
    }
}

/// Replaces `out` with the CSV of one label: the header, then a date and a
/// fresh uniform value from `rng` per row.
pub fn render(dates: &DateColumn, rng: &mut ChaCha8Rng, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(HEADER);
    for prefix in dates.prefixes.chunks_exact(PREFIX_LEN) {
        out.extend_from_slice(prefix);
        pyfloat::write_repr(values::next_unit(rng), out);
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_pandas_shape() {
        let days: Vec<NaiveDate> = ["2010-01-01", "2010-01-04"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let dates = DateColumn::new(&days);
        let mut out = Vec::new();
        render(&dates, &mut values::label_rng(1, "ab"), &mut out);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], ",data");
        assert!(lines[1].starts_with("2010-01-01,0."));
        assert!(lines[2].starts_with("2010-01-04,"));
        assert!(text.ends_with('\n'));
    }
}
