//! JSON encoding of the result: an array with one object per row; NaN, infinities and missing values are `null`.

use polars::prelude::*;
use serde_json::{Map, Number, Value};

use super::Encoder;

pub struct JsonEncoder;

impl Encoder for JsonEncoder {
    fn encode(&self, frame: &mut DataFrame, out: &mut Vec<u8>) -> PolarsResult<()> {
        let columns = frame.columns();
        let rows: Vec<Value> = (0..frame.height())
            .map(|row| {
                let object: Map<String, Value> = columns
                    .iter()
                    .map(|column| (column.name().to_string(), json_value(column.get(row))))
                    .collect();
                Value::Object(object)
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)
            .map_err(|err| polars_err!(ComputeError: "cannot encode JSON: {err}"))?;
        out.push(b'\n');
        Ok(())
    }
}

/// One cell as JSON; JSON has no NaN or infinity, so those become `null`.
fn json_value(cell: PolarsResult<AnyValue>) -> Value {
    match cell {
        Ok(AnyValue::String(text)) => Value::String(text.to_string()),
        Ok(AnyValue::StringOwned(text)) => Value::String(text.to_string()),
        Ok(AnyValue::UInt64(count)) => Value::Number(count.into()),
        Ok(AnyValue::Float64(value)) => Number::from_f64(value).map_or(Value::Null, Value::Number),
        _ => Value::Null,
    }
}
