//! JSON encoding of the result: an array with one object per row, keys in the table's column order; NaN, infinities and missing values are `null`.

use std::io::Write;

use polars::prelude::*;
use serde_json::{Number, Value};

use super::TableEncoder;

pub struct JsonEncoder<'w> {
    out: &'w mut dyn Write,
    rows: usize,
}

impl<'w> JsonEncoder<'w> {
    /// A JSON array of rows written to `out`.
    pub fn new(out: &'w mut dyn Write) -> Self {
        JsonEncoder { out, rows: 0 }
    }
}

impl TableEncoder for JsonEncoder<'_> {
    /// The layout of `serde_json`'s pretty printer, with keys in column order
    /// (a JSON map would sort them).
    fn write(&mut self, frame: &mut DataFrame) -> PolarsResult<()> {
        let columns = frame.columns();
        let keys: Vec<String> = columns
            .iter()
            .map(|column| Value::String(column.name().to_string()).to_string())
            .collect();
        let mut text = Vec::with_capacity(frame.height() * 256);
        for row in 0..frame.height() {
            text.extend_from_slice(if self.rows == 0 { b"[\n  {" } else { b",\n  {" });
            for (index, (column, key)) in columns.iter().zip(&keys).enumerate() {
                let separator = if index == 0 { "\n    " } else { ",\n    " };
                let value = json_value(column.get(row)?);
                write!(text, "{separator}{key}: {value}")?;
            }
            text.extend_from_slice(b"\n  }");
            self.rows += 1;
        }
        self.out.write_all(&text)?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> PolarsResult<()> {
        let end: &[u8] = if self.rows == 0 { b"[]\n" } else { b"\n]\n" };
        self.out.write_all(end)?;
        Ok(())
    }
}

/// One cell as JSON; JSON has no NaN or infinity, so those become `null`.
fn json_value(cell: AnyValue) -> Value {
    match cell {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(value) => Value::Bool(value),
        AnyValue::String(text) => Value::String(text.to_string()),
        AnyValue::StringOwned(text) => Value::String(text.to_string()),
        AnyValue::UInt64(value) => Value::Number(value.into()),
        AnyValue::UInt32(value) => Value::Number(value.into()),
        AnyValue::Int64(value) => Value::Number(value.into()),
        AnyValue::Int32(value) => Value::Number(value.into()),
        AnyValue::Float64(value) => Number::from_f64(value).map_or(Value::Null, Value::Number),
        AnyValue::Float32(value) => {
            Number::from_f64(f64::from(value)).map_or(Value::Null, Value::Number)
        }
        other => Value::String(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(frame: DataFrame) -> String {
        let mut out = Vec::new();
        let mut encoder = Box::new(JsonEncoder::new(&mut out));
        // In two batches, as a long table is written.
        let mut head = frame.slice(0, 1);
        let mut tail = frame.slice(1, usize::MAX);
        assert_eq!(head.height() + tail.height(), frame.height());
        encoder.write(&mut head).unwrap();
        encoder.write(&mut tail).unwrap();
        encoder.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn keeps_column_order_and_every_type() {
        let frame = df!(
            "label" => ["ab"],
            "count" => [3u64],
            "mean" => [f64::NAN],
            "above_threshold" => [Some(true)],
            "std" => [None::<f64>],
        )
        .unwrap();
        assert_eq!(
            encode(frame),
            "[\n  {\n    \"label\": \"ab\",\n    \"count\": 3,\n    \"mean\": null,\n    \
             \"above_threshold\": true,\n    \"std\": null\n  }\n]\n"
        );
        let empty = df!("label" => Vec::<String>::new()).unwrap();
        assert_eq!(encode(empty), "[]\n");
    }
}
