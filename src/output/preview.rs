//! A short preview of the result for the terminal: the first rows, aligned, numbers to 6 significant digits.

use polars::prelude::*;

/// Rows shown in the preview.
pub const PREVIEW_ROWS: usize = 5;

/// Columns left out of the preview (the path is long and the label names the file).
const HIDDEN: [&str; 1] = ["path"];

/// The first [`PREVIEW_ROWS`] rows of `frame` as an aligned text table,
/// followed by a line saying how many of the result's `rows` are not shown.
pub fn render(frame: &DataFrame, rows: usize) -> String {
    let columns: Vec<&Column> = frame
        .columns()
        .iter()
        .filter(|c| !HIDDEN.contains(&c.name().as_str()))
        .collect();
    let shown = frame.height().min(PREVIEW_ROWS);
    let mut cells: Vec<Vec<String>> = vec![columns.iter().map(|c| c.name().to_string()).collect()];
    for row in 0..shown {
        cells.push(columns.iter().map(|c| cell_text(c.get(row))).collect());
    }
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            cells
                .iter()
                .map(|line| line[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for line in &cells {
        let padded: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:>width$}"))
            .collect();
        text.push_str(padded.join("  ").trim_end());
        text.push('\n');
    }
    if rows > shown {
        text.push_str(&format!("… {} more rows\n", rows - shown));
    }
    text
}

fn cell_text(cell: PolarsResult<AnyValue>) -> String {
    match cell {
        Ok(AnyValue::Null) | Err(_) => "null".into(),
        Ok(AnyValue::String(text)) => text.to_string(),
        Ok(AnyValue::StringOwned(text)) => text.to_string(),
        Ok(AnyValue::Float64(value)) => format_significant(value),
        Ok(other) => other.to_string(),
    }
}

/// `value` with 6 significant digits, like pandas' display.
fn format_significant(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value == 0.0 {
        return "0".into();
    }
    let magnitude = value.abs().log10().floor() as i32;
    if (-4..6).contains(&magnitude) {
        let decimals = (5 - magnitude).max(0) as usize;
        format!("{value:.decimals$}")
    } else {
        format!("{value:.5e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits() {
        assert_eq!(format_significant(0.505141509885), "0.505142");
        assert_eq!(format_significant(4409.0), "4409.00");
        assert_eq!(format_significant(0.000175402), "0.000175402");
        assert_eq!(format_significant(1.5e-7), "1.50000e-7");
        assert_eq!(format_significant(f64::NAN), "NaN");
    }

    #[test]
    fn renders_header_rows_and_remainder() {
        let frame = df!(
            "label" => ["ab", "ac", "ad", "ae", "af", "ag"],
            "path" => ["x"; 6],
            "mean" => [0.5, 0.25, 0.125, 1.0, 2.0, 3.0],
        )
        .unwrap();
        let text = render(&frame, frame.height());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "label      mean");
        assert_eq!(lines[1], "   ab  0.500000");
        assert_eq!(lines.len(), 1 + PREVIEW_ROWS + 1);
        assert_eq!(lines[6], "… 1 more rows");
    }
}
