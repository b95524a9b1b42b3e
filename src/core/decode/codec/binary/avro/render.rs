//! An Avro value as `apache-avro` read it, written as Avro's natural JSON: records as objects in field
//! order, enums as their symbol, a union as its branch's value (not wrapped), maps with their keys in
//! order (the crate holds a map in a hash map), bytes and fixed as `{"$bytes": "<hex>"}`, longs as
//! numbers, and the logical types as people read them: timestamps as RFC 3339 text in UTC (local ones
//! without the zone), dates as `YYYY-MM-DD`, decimals as their digits in a string, uuids as text, a
//! duration as its months, days and milliseconds. The schema is walked beside the value for what the value
//! alone does not say (a decimal's scale).

use std::collections::HashMap;

use apache_avro::Schema;
use apache_avro::schema::{DecimalSchema, Name};
use apache_avro::types::Value as Avro;
use chrono::{DateTime, NaiveDate, SecondsFormat};
use serde_json::{Map, Number, Value, json};

/// `value`, read with `schema`, as natural JSON; an error for a value JSON cannot show (a timestamp past
/// the calendar, a decimal wider than 128 bits).
pub(super) fn natural_json(schema: &Schema, value: Avro) -> Result<Value, String> {
    let resolved = apache_avro::schema::ResolvedSchema::new(schema)
        .map_err(|err| format!("whose schema's names do not resolve: {err}"))?;
    Render {
        names: resolved.get_names(),
    }
    .value(Some(schema), None, value)
}

struct Render<'a> {
    names: &'a HashMap<Name, &'a Schema>,
}

impl Render<'_> {
    /// The schema `schema` stands for: itself, or the type a reference names.
    fn resolve<'s>(
        &'s self,
        schema: Option<&'s Schema>,
        namespace: Option<&str>,
    ) -> Option<&'s Schema> {
        match schema {
            Some(Schema::Ref { name }) => {
                let full = name.fully_qualified_name(namespace);
                self.names.get(full.as_ref()).copied()
            }
            other => other,
        }
    }

    fn value(
        &self,
        schema: Option<&Schema>,
        namespace: Option<&str>,
        value: Avro,
    ) -> Result<Value, String> {
        let schema = self.resolve(schema, namespace);
        Ok(match value {
            Avro::Null => Value::Null,
            Avro::Boolean(b) => Value::Bool(b),
            Avro::Int(n) | Avro::TimeMillis(n) => Value::from(n),
            Avro::Long(n) | Avro::TimeMicros(n) => Value::from(n),
            Avro::Float(f) => float(f64::from(f)),
            Avro::Double(f) => float(f),
            Avro::Bytes(bytes) | Avro::Fixed(_, bytes) => {
                crate::core::decode::codec::stored_bytes(&bytes)
            }
            Avro::String(text) | Avro::Enum(_, text) => Value::String(text),
            Avro::Uuid(uuid) => Value::String(uuid.to_string()),
            Avro::Union(index, inner) => {
                let variant = match schema {
                    Some(Schema::Union(union)) => usize::try_from(index)
                        .ok()
                        .and_then(|i| union.variants().get(i)),
                    _ => None,
                };
                self.value(variant, namespace, *inner)?
            }
            Avro::Array(items) => {
                let inner = match schema {
                    Some(Schema::Array(array)) => Some(array.items.as_ref()),
                    _ => None,
                };
                Value::Array(
                    items
                        .into_iter()
                        .map(|item| self.value(inner, namespace, item))
                        .collect::<Result<_, _>>()?,
                )
            }
            Avro::Map(entries) => {
                let inner = match schema {
                    Some(Schema::Map(map)) => Some(map.types.as_ref()),
                    _ => None,
                };
                let mut entries: Vec<(String, Avro)> = entries.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                let mut object = Map::new();
                for (key, item) in entries {
                    object.insert(key, self.value(inner, namespace, item)?);
                }
                Value::Object(object)
            }
            Avro::Record(fields) => {
                let (schemas, inner_namespace) = match schema {
                    Some(Schema::Record(record)) => (
                        Some(&record.fields),
                        record
                            .name
                            .fully_qualified_name(namespace)
                            .namespace()
                            .map(str::to_owned),
                    ),
                    _ => (None, namespace.map(str::to_owned)),
                };
                let mut object = Map::new();
                for (index, (name, item)) in fields.into_iter().enumerate() {
                    let field = schemas.and_then(|f| f.get(index)).map(|f| &f.schema);
                    object.insert(name, self.value(field, inner_namespace.as_deref(), item)?);
                }
                Value::Object(object)
            }
            Avro::Date(days) => {
                let date = NaiveDate::from_yo_opt(1970, 1)
                    .and_then(|epoch| {
                        epoch.checked_add_signed(chrono::TimeDelta::days(i64::from(days)))
                    })
                    .ok_or_else(|| format!("with date {days} days from 1970 past the calendar"))?;
                Value::String(date.format("%Y-%m-%d").to_string())
            }
            Avro::TimestampMillis(n) => timestamp(
                DateTime::from_timestamp_millis(n),
                n,
                SecondsFormat::Millis,
                true,
            )?,
            Avro::TimestampMicros(n) => timestamp(
                DateTime::from_timestamp_micros(n),
                n,
                SecondsFormat::Micros,
                true,
            )?,
            Avro::TimestampNanos(n) => timestamp(
                Some(DateTime::from_timestamp_nanos(n)),
                n,
                SecondsFormat::Nanos,
                true,
            )?,
            Avro::LocalTimestampMillis(n) => timestamp(
                DateTime::from_timestamp_millis(n),
                n,
                SecondsFormat::Millis,
                false,
            )?,
            Avro::LocalTimestampMicros(n) => timestamp(
                DateTime::from_timestamp_micros(n),
                n,
                SecondsFormat::Micros,
                false,
            )?,
            Avro::LocalTimestampNanos(n) => timestamp(
                Some(DateTime::from_timestamp_nanos(n)),
                n,
                SecondsFormat::Nanos,
                false,
            )?,
            Avro::Decimal(decimal) => {
                let scale = match schema {
                    Some(Schema::Decimal(DecimalSchema { scale, .. })) => *scale,
                    _ => 0,
                };
                let bytes = Vec::<u8>::try_from(&decimal)
                    .map_err(|err| format!("with a decimal it cannot read: {err}"))?;
                Value::String(decimal_text(&bytes, scale)?)
            }
            Avro::BigDecimal(decimal) => Value::String(decimal.to_string()),
            Avro::Duration(duration) => json!({
                "months": u32::from(duration.months()),
                "days": u32::from(duration.days()),
                "millis": u32::from(duration.millis()),
            }),
        })
    }
}

fn float(f: f64) -> Value {
    match Number::from_f64(f) {
        Some(n) => Value::Number(n),
        None if f.is_nan() => json!({"$float": "NaN"}),
        None if f > 0.0 => json!({"$float": "Infinity"}),
        None => json!({"$float": "-Infinity"}),
    }
}

fn timestamp(
    at: Option<DateTime<chrono::Utc>>,
    n: i64,
    digits: SecondsFormat,
    utc: bool,
) -> Result<Value, String> {
    let at = at.ok_or_else(|| format!("with timestamp {n} past the calendar"))?;
    let text = if utc {
        at.to_rfc3339_opts(digits, true)
    } else {
        let fraction = match digits {
            SecondsFormat::Millis => "%.3f",
            SecondsFormat::Micros => "%.6f",
            _ => "%.9f",
        };
        at.naive_utc()
            .format(&format!("%Y-%m-%dT%H:%M:%S{fraction}"))
            .to_string()
    };
    Ok(Value::String(text))
}

/// A decimal's unscaled value (big-endian two's complement) written with `scale` digits after the point.
fn decimal_text(bytes: &[u8], scale: usize) -> Result<String, String> {
    if bytes.len() > 16 {
        return Err(format!(
            "with a decimal of {} bytes, wider than 128 bits",
            bytes.len()
        ));
    }
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let mut wide = [if negative { 0xff } else { 0 }; 16];
    wide[16 - bytes.len()..].copy_from_slice(bytes);
    let unscaled = i128::from_be_bytes(wide);
    let digits = unscaled.unsigned_abs().to_string();
    let sign = if unscaled < 0 { "-" } else { "" };
    if scale == 0 {
        return Ok(format!("{sign}{digits}"));
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    Ok(format!("{sign}{whole}.{fraction}"))
}

#[cfg(test)]
pub(super) fn decimal_text_for_tests(bytes: &[u8], scale: usize) -> Result<String, String> {
    decimal_text(bytes, scale)
}
