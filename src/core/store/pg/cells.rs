//! PostgreSQL's column values as [`Datum`]s, whatever their type, read from the driver's binary form: the
//! integers, floats and booleans as numbers, text, `json` and `jsonb` as their text, `bytea` as bytes, a `uuid`
//! as its 16 bytes (shown dashed, as SQLite stores' binary UUIDs are), timestamps as RFC 3339 text, `xid8` as
//! an integer. A type not in this list is refused with its name, so a query selects it `::text`.

use std::error::Error;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use postgres::types::{FromSql, Type};

use crate::core::decode::cell::Datum;

type BoxError = Box<dyn Error + Sync + Send>;

impl<'a> FromSql<'a> for Datum {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let int = |bytes: &[u8]| -> Result<i64, BoxError> {
            Ok(match bytes.len() {
                2 => i64::from(i16::from_be_bytes(bytes.try_into()?)),
                4 => i64::from(i32::from_be_bytes(bytes.try_into()?)),
                8 => i64::from_be_bytes(bytes.try_into()?),
                n => return Err(format!("{ty}: an integer of {n} bytes").into()),
            })
        };
        let text = |bytes: &[u8]| -> Result<Datum, BoxError> {
            Ok(Datum::Text(String::from_utf8(bytes.to_vec())?))
        };
        Ok(match *ty {
            Type::BOOL => Datum::Integer(i64::from(raw.first().copied().unwrap_or(0) != 0)),
            Type::INT2 | Type::INT4 | Type::INT8 => Datum::Integer(int(raw)?),
            Type::OID | Type::XID => Datum::Integer(i64::from(u32::from_be_bytes(raw.try_into()?))),
            Type::XID8 => Datum::Integer(i64::try_from(u64::from_be_bytes(raw.try_into()?))?),
            Type::FLOAT4 => Datum::Real(f64::from(f32::from_be_bytes(raw.try_into()?))),
            Type::FLOAT8 => Datum::Real(f64::from_be_bytes(raw.try_into()?)),
            Type::TEXT
            | Type::VARCHAR
            | Type::BPCHAR
            | Type::NAME
            | Type::JSON
            | Type::XML
            | Type::UNKNOWN => text(raw)?,
            // jsonb's binary form is a version byte (1) and the text.
            Type::JSONB => match raw.split_first() {
                Some((1, rest)) => text(rest)?,
                _ => return Err("jsonb in an unknown binary version".into()),
            },
            Type::BYTEA | Type::UUID => Datum::Blob(raw.to_vec()),
            Type::TIMESTAMPTZ => Datum::Text(timestamp(int(raw)?, "Z")),
            Type::TIMESTAMP => Datum::Text(timestamp(int(raw)?, "")),
            Type::DATE => Datum::Text(date(int(raw)?)),
            _ => {
                return Err(format!("a {ty} column is not read as it is; select it ::text").into());
            }
        })
    }

    fn from_sql_null(_ty: &Type) -> Result<Self, BoxError> {
        Ok(Datum::Null)
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }
}

/// Whether a column of type `ty` is read as a [`Datum`] as it is; any other is selected `::text`.
pub(super) fn read_as_is(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::BOOL
            | Type::INT2
            | Type::INT4
            | Type::INT8
            | Type::OID
            | Type::XID
            | Type::XID8
            | Type::FLOAT4
            | Type::FLOAT8
            | Type::TEXT
            | Type::VARCHAR
            | Type::BPCHAR
            | Type::NAME
            | Type::JSON
            | Type::XML
            | Type::UNKNOWN
            | Type::JSONB
            | Type::BYTEA
            | Type::UUID
            | Type::TIMESTAMPTZ
            | Type::TIMESTAMP
            | Type::DATE
    )
}

/// PostgreSQL's days and microseconds count from 2000-01-01.
fn epoch() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

/// A timestamp (microseconds since 2000) as RFC 3339 with its six digits, `zone` after it (`Z` or none);
/// PostgreSQL's `infinity` and `-infinity` as those words.
fn timestamp(micros: i64, zone: &str) -> String {
    match micros {
        i64::MAX => "infinity".to_owned(),
        i64::MIN => "-infinity".to_owned(),
        _ => epoch()
            .checked_add_signed(Duration::microseconds(micros))
            .map_or_else(
                || format!("{micros} microseconds after 2000-01-01"),
                |t| format!("{}{zone}", t.format("%Y-%m-%dT%H:%M:%S%.6f")),
            ),
    }
}

fn date(days: i64) -> String {
    match i32::try_from(days) {
        Ok(i32::MAX) => "infinity".to_owned(),
        Ok(i32::MIN) => "-infinity".to_owned(),
        _ => epoch()
            .checked_add_signed(Duration::days(days))
            .map_or_else(
                || format!("{days} days after 2000-01-01"),
                |t| t.format("%Y-%m-%d").to_string(),
            ),
    }
}
